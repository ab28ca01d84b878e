/** @odoo-module **/
/*
 * Credit in the browser (addons_tests/customer_credit/test_tours.py prepares the data and checks
 * the database afterwards). Selectors use field and button names and data typed by the tests,
 * not labels, so that the tours also run in Chinese.
 */

import { registry } from "@web/core/registry";
import { screenshot } from "@customer_archive/../tests/tours/tour_screenshot";

const CUSTOMER = "华南电子";
const current = (state) => `.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=${state}]`;
// Screenshot steps run code, so their trigger must be an enabled element (not the disabled current state).
const statusbar = (state) =>
    `.o_form_view .o_statusbar_status:has(button.o_arrow_button_current[data-value=${state}])`;
// The score cells of the manual indicators (computed ones are read-only), first is 0.
const manualScore = (index) =>
    `.o_field_widget[name=line_ids] .o_data_row td[name=score]:not(.o_readonly_modifier):eq(${index})`;

function pickCustomer() {
    return [
        {
            content: "Choose the customer",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input",
            run: `edit ${CUSTOMER}`,
        },
        {
            content: "Pick it from the list",
            trigger: `.o_field_widget[name=partner_id] .o-autocomplete--dropdown-item a:contains(${CUSTOMER})`,
            run: "click",
        },
    ];
}

// A credit officer evaluates a customer and submits the evaluation.
registry.category("web_tour.tours").add("customer_credit_evaluation_submit", {
    steps: () => [
        ...pickCustomer(),
        {
            content: "Open the scorecards of the company",
            trigger: ".o_form_view .o_field_widget[name=scorecard_id] input",
            run: "click",
        },
        {
            content: "The company's scorecard",
            // not the "Loading..." item the list shows while the scorecards are read: clicked on a
            // busy machine, it chose nothing
            trigger: ".o_field_widget[name=scorecard_id] .o-autocomplete--dropdown-item:first-child a:not([id$=_loading])",
            run: "click",
        },
        {
            content: "Save: the scorecard's indicators are filled in, computed ones from the accounts",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The indicators are there, with two to score by hand",
            trigger: manualScore(1),
            // The save computes the indicators from the accounts: slower on a loaded CI machine.
            timeout: 30000,
        },
        {
            content: "Score the financial situation (a manual indicator)",
            trigger: manualScore(0),
            run: "click",
        },
        {
            content: "90 points",
            trigger: `${manualScore(0)} input`,
            run: "edit 90",
        },
        {
            content: "Score management and reputation",
            trigger: manualScore(1),
            run: "click",
        },
        {
            content: "80 points",
            trigger: `${manualScore(1)} input`,
            run: "edit 80",
        },
        {
            content: "Leave the line",
            trigger: ".o_form_view .o_field_widget[name=note] textarea",
            run: "edit 五月实地考察了客户工厂",
        },
        {
            content: "Propose a limit",
            trigger: ".o_form_view .o_field_widget[name=proposed_credit_limit] input",
            run: "edit 150000",
        },
        {
            content: "and a term",
            trigger: ".o_form_view .o_field_widget[name=proposed_term_days] input",
            run: "edit 45",
        },
        {
            content: "Submit to the credit manager (the form is saved first)",
            trigger: ".o_form_view button[name=action_submit]",
            run: "click",
        },
        {
            content: "The evaluation waits for the credit manager",
            trigger: current("submitted"),
        },
        {
            content: "The proposal is kept",
            trigger: ".o_form_view .o_field_widget[name=proposed_term_days]:contains(45)",
        },
        ...screenshot("credit_evaluation", statusbar("submitted")),
    ],
});

// The credit manager approves it.
registry.category("web_tour.tours").add("customer_credit_evaluation_approve", {
    steps: () => [
        {
            content: "Approve the submitted evaluation",
            trigger: ".o_form_view button[name=action_approve]",
            run: "click",
        },
        {
            content: "Approved",
            trigger: current("approved"),
        },
        {
            content: "The approver is shown (the test checks who)",
            trigger: ".o_form_view .o_field_widget[name=approver_id] a.o_form_uri",
        },
        ...screenshot("credit_evaluation_approved", statusbar("approved")),
    ],
});

// A salesperson confirms an order over the customer's credit limit: it goes on credit hold.
registry.category("web_tour.tours").add("customer_credit_order_hold", {
    steps: () => [
        ...pickCustomer(),
        {
            content: "Add a product",
            trigger: ".o_field_widget[name=order_line] .o_field_x2many_list_row_add > a",
            run: "click",
        },
        {
            content: "The product",
            trigger:
                ".o_field_widget[name=order_line] .o_selected_row .o_field_widget[name=product_template_id] input, " +
                ".o_field_widget[name=order_line] .o_selected_row .o_field_widget[name=product_id] input",
            run: "edit PLC-200",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item a:contains(PLC-200)",
            run: "click",
        },
        {
            content: "Its price is filled in",
            trigger: ".o_field_widget[name=order_line] .o_data_row td[name=price_unit] input:value(1,000)",
        },
        {
            content: "Leave the line",
            trigger: ".o_form_view .oe_title h1",
            run: "click",
        },
        {
            content: "The line is kept",
            trigger: ".o_field_widget[name=order_line] .o_data_row:not(.o_selected_row) td[name=price_subtotal]",
        },
        {
            content: "Before confirming, the salesperson is told the order would go on credit hold, and why",
            trigger: ".o_form_view .alert-warning .o_field_widget[name=credit_would_hold_reason]:contains(1,000)",
        },
        ...screenshot("sale_order_credit_alert", ".o_form_view .o_statusbar_buttons button[name=action_confirm]"),
        {
            content: "Confirm the order (the form is saved first)",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The order is on credit hold",
            trigger: current("credit_hold"),
        },
        {
            content: "and the salesperson sees why",
            trigger: ".o_form_view .alert-warning .o_field_widget[name=credit_hold_reason]:contains(1,000)",
        },
        ...screenshot("sale_order_credit_hold", statusbar("credit_hold")),
    ],
});

// The credit manager opens the holds waiting from the overview, reads the customer's credit and
// releases the hold with a reason.
registry.category("web_tour.tours").add("customer_credit_hold_release", {
    steps: () => [
        {
            content: "The overview shows the holds waiting, with their amount",
            trigger: ".o_customer_dashboard_tile[data-tile=holds_pending]:has(.o_customer_dashboard_amount)",
            run: "click",
        },
        {
            content: "Open the customer's pending hold",
            trigger: `.o_list_view .o_data_row:contains(${CUSTOMER}) td[name=order_id]`,
            run: "click",
        },
        {
            content: "The customer's credit is there to decide on: the ageing of its receivables",
            trigger: ".o_form_view .o_field_widget[name=customer_ageing_not_due]",
        },
        {
            content: "Release it",
            trigger: ".o_form_view button[name=action_open_release]",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit 客户已预付货款",
        },
        {
            content: "The order will be confirmed as it stands",
            trigger: ".modal .modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Released",
            trigger: `body:not(:has(.modal)) ${current("released")}`,
        },
        {
            content: "The approver is shown (the test checks who)",
            trigger: ".o_form_view .o_field_widget[name=approver_id] a.o_form_uri",
        },
        ...screenshot("credit_hold_released", statusbar("released")),
    ],
});

// The credit officer reads the overview: the tiles with their amounts, then the charts.
registry.category("web_tour.tours").add("customer_credit_overview", {
    steps: () => [
        // The amounts are those the test computes by hand from its invoices and order.
        {
            content: "The holds waiting, with their amount",
            trigger: ".o_customer_dashboard_tile[data-tile=holds_pending] .o_customer_dashboard_amount:contains(40,000.00)",
        },
        {
            content: "The exposure over the limits",
            trigger: ".o_customer_dashboard_tile[data-tile=over_limit] .o_customer_dashboard_amount:contains(45,000.00)",
        },
        {
            content: "The overdue receivables, with their amount",
            trigger: ".o_customer_dashboard_tile[data-tile=overdue] .o_customer_dashboard_amount:contains(211,000.00)",
        },
        {
            content: "The chart of the overdue receivables by age",
            trigger: ".o_customer_dashboard_chart[data-chart=overdue_by_age] .o_customer_dashboard_bar",
        },
        {
            content: "The chart of the largest exposures",
            trigger: ".o_customer_dashboard_chart[data-chart=largest_exposures] .o_customer_dashboard_bar",
        },
        ...screenshot("credit_overview", ".o_customer_dashboard_tile[data-tile=holds_pending]"),
    ],
});
