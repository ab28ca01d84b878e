import { registry } from "@web/core/registry";
import { CustomerArchiveDashboard } from "@customer_archive/dashboard/dashboard";

/** The credit overview: the archive office's overview component on the credit tiles. */
export class CustomerCreditDashboard extends CustomerArchiveDashboard {
    static dashboardModel = "customer.credit.dashboard";
}

registry.category("actions").add("customer_credit.dashboard", CustomerCreditDashboard);
