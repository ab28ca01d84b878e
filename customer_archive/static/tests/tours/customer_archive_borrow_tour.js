/** @odoo-module **/
/*
 * Lending in the browser (addons_tests/customer_archive/test_tours.py prepares the data and
 * checks the database afterwards). Selectors use field and button names, not labels, so that
 * the tours also run in Chinese.
 */

import { registry } from "@web/core/registry";
import { screenshot } from "./tour_screenshot";

const current = (state) => `.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=${state}]`;
// Screenshot steps run code, so their trigger must be an enabled element (not the disabled current state).
const statusbar = (state) =>
    `.o_form_view .o_statusbar_status:has(button.o_arrow_button_current[data-value=${state}])`;

// A sales user opens one of their archives and asks to borrow it.
registry.category("web_tour.tours").add("customer_archive_borrow_request", {
    steps: () => [
        {
            content: "The archive is open: see its lending requests",
            trigger: ".o_form_view button[name=action_view_borrows]",
            run: "click",
        },
        {
            content: "Ask for the archive",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "The request is for the archive it was opened from",
            trigger: ".o_form_view .o_field_widget[name=archive_id] input:value(TOUR)",
        },
        {
            content: "What is asked for",
            trigger: ".o_form_view .o_field_widget[name=content] textarea",
            run: "edit 销售合同及交货记录",
        },
        {
            content: "Why",
            trigger: ".o_form_view .o_field_widget[name=purpose] textarea",
            run: "edit 准备售后回访",
        },
        {
            content: "Due in two days (a smart date, the same in every language)",
            trigger: ".o_form_view .o_field_widget[name=date_due] input",
            run: "edit +2",
        },
        {
            content: "Close the date picker",
            trigger: ".o_form_view .o_field_widget[name=purpose] textarea",
            run: "click",
        },
        ...screenshot("borrow_request_form", ".o_form_view .o_field_widget[name=date_due] input"),
        {
            content: "Submit the request (the form is saved first)",
            trigger: ".o_form_view button[name=action_submit]",
            run: "click",
        },
        {
            content: "The request waits for a decision",
            trigger: current("submitted"),
        },
        ...screenshot("borrow_request_submitted", statusbar("submitted")),
        {
            content: "Back to the archive",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(TOUR)",
            run: "click",
        },
        {
            content: "The archive counts its request",
            trigger: ".o_form_view button[name=action_view_borrows] .o_stat_value:contains(1)",
        },
        ...screenshot("archive_form", ".o_form_view button[name=action_view_borrows]"),
    ],
});

// A sales user asks for an archive from the Lending menu: the archive field offers theirs, and the
// request is in their department.
registry.category("web_tour.tours").add("customer_archive_borrow_from_menu", {
    steps: () => [
        {
            content: "New lending request",
            trigger: ".o_list_view .o_list_button_add",
            run: "click",
        },
        {
            content: "The requester's department is filled in",
            trigger: ".o_form_view .o_field_widget[name=department_id] input:value(销售一部)",
        },
        {
            content: "Look for the archive by its number",
            trigger: ".o_form_view .o_field_widget[name=archive_id] input",
            run: "edit TOUR",
        },
        {
            content: "The archive is offered",
            trigger: ".o_field_widget[name=archive_id] .o-autocomplete--dropdown-menu li:contains(TOUR)",
            run: "click",
        },
        {
            content: "It is chosen",
            trigger: ".o_form_view .o_field_widget[name=archive_id] input:value(TOUR)",
        },
        {
            content: "What is asked for",
            trigger: ".o_form_view .o_field_widget[name=content] textarea",
            run: "edit 销售合同",
        },
        {
            content: "Why",
            trigger: ".o_form_view .o_field_widget[name=purpose] textarea",
            run: "edit 续签准备",
        },
        {
            content: "Due in two days",
            trigger: ".o_form_view .o_field_widget[name=date_due] input",
            run: "edit +2",
        },
        {
            content: "Close the date picker",
            trigger: ".o_form_view .o_field_widget[name=purpose] textarea",
            run: "click",
        },
        {
            content: "Submit the request (the form is saved first)",
            trigger: ".o_form_view button[name=action_submit]",
            run: "click",
        },
        {
            content: "The request waits for a decision",
            trigger: current("submitted"),
        },
    ],
});

// The archive office manager approves it for longer than the working day.
registry.category("web_tour.tours").add("customer_archive_borrow_decide", {
    steps: () => [
        {
            content: "Decide on the submitted request",
            trigger: ".o_form_view button[name=action_open_decision_wizard]",
            run: "click",
        },
        {
            content: "Approve (the default) and allow a loan longer than the working day",
            trigger: ".modal .o_field_widget[name=allow_long_loan] input",
            run: "check",
        },
        {
            content: "Approval is chosen",
            trigger: ".modal .o_field_widget[name=decision] input[data-value=approve]:checked",
        },
        {
            content: "Confirm the decision",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The request is approved",
            trigger: `body:not(:has(.modal)) ${current("approved")}`,
        },
    ],
});

// Sign in a signature field: the signature dialog draws the name of the field's person (its
// "Auto" mode), then "Adopt & Sign" (the dialog's primary button) sets the field.
const sign = (field, content) => [
    {
        content,
        trigger: `.modal .o_field_widget[name=${field}] .o_signature`,
        run: "click",
    },
    {
        content: "The signature dialog writes the name",
        trigger: ".modal .o_web_sign_auto_button.active",
    },
    {
        content: "Adopt the signature",
        trigger: ".modal:has(.o_web_sign_name_and_signature) .modal-footer .btn-primary:enabled",
        run: "click",
    },
    {
        content: "Signed",
        trigger: `body:not(:has(.o_web_sign_name_and_signature)) .modal .o_field_widget[name=${field}] img.o_signature`,
    },
];

// The archive officer hands it out (the borrower signs), takes it back with the integrity check
// of each document and closes it.
registry.category("web_tour.tours").add("customer_archive_borrow_lend_and_return", {
    steps: () => [
        {
            content: "Hand the archive out",
            trigger: ".o_form_view button[name=action_open_lend_wizard]",
            run: "click",
        },
        {
            content: "The hand-out lists the documents lent",
            trigger: ".modal .o_field_widget[name=document_ids] .o_data_row",
        },
        ...sign("borrower_signature", "The borrower signs on the officer's screen"),
        ...sign("officer_signature", "The officer countersigns"),
        ...screenshot("borrow_hand_out_signed", ".modal .o_field_widget[name=officer_signature] img.o_signature"),
        {
            content: "Confirm the hand-out",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The archive is out",
            trigger: `body:not(:has(.modal)) ${current("lent")}`,
        },
        {
            content: "See who handed it out and when",
            trigger: ".o_form_view .o_notebook .nav-link[name=lending]",
            run: "click",
        },
        {
            content: "Handed out by the officer (the test checks who)",
            trigger: ".o_form_view .o_field_widget[name=lent_by_id] a.o_form_uri",
        },
        {
            content: "The borrower's signature is on the request",
            trigger: ".o_form_view .o_field_widget[name=borrower_signature] img.o_signature",
        },
        ...screenshot("borrow_lent", ".o_form_view .o_field_widget[name=date_lent]"),
        {
            content: "Take it back",
            trigger: ".o_form_view button[name=action_open_return_wizard]",
            run: "click",
        },
        {
            content: "Each document lent is listed with its pages, complete by default",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=integrity_result]",
        },
        {
            content: "The loan's integrity check, derived from its documents, says complete",
            trigger: ".modal .o_field_widget[name=integrity_result] input[data-value=complete]:checked",
        },
        ...screenshot("borrow_return_check", ".modal .o_field_widget[name=integrity_result]"),
        {
            content: "Confirm the return",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The archive is back",
            trigger: `body:not(:has(.modal)) ${current("returned")}`,
        },
        {
            content: "Close the registration",
            trigger: ".o_form_view button[name=action_close]",
            run: "click",
        },
        {
            content: "The request is done",
            trigger: current("done"),
        },
        {
            content: "Back on the hand-out page: received back by the officer (the test checks who)",
            trigger: ".o_form_view .o_field_widget[name=received_by_id] a.o_form_uri",
        },
    ],
});
