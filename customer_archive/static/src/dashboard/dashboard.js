import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * An overview of tiles counted on the server. The server model (an AbstractModel inheriting
 * customer.archive.dashboard) says which tiles the user sees and what they count; a click opens
 * the list the server returns for the tile.
 */
export class CustomerArchiveDashboard extends Component {
    static template = "customer_archive.Dashboard";
    static components = { Layout };
    static props = { ...standardActionServiceProps };
    static dashboardModel = "customer.archive.dashboard";

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ sections: [], charts: [] });
        onWillStart(() => this.load());
    }

    get dashboardModel() {
        return this.props.action.params?.model || this.constructor.dashboardModel;
    }

    async load() {
        const data = await this.orm.call(this.dashboardModel, "get_dashboard_data", []);
        this.state.sections = data.sections;
        this.state.charts = data.charts || [];
    }

    barWidth(chart, row) {
        const largest = Math.max(...chart.rows.map((r) => r.value), 0);
        return largest > 0 ? Math.max(2, Math.round((row.value / largest) * 100)) : 0;
    }

    /** A chart's bar opens what it sums: a tile's list, an action, or a record. */
    async openRow(row) {
        if (row.tile) {
            return this.openTile({ key: row.tile });
        }
        if (row.action) {
            return this.actionService.doAction(row.action);
        }
        if (row.res_model && row.res_id) {
            return this.actionService.doAction({
                type: "ir.actions.act_window",
                res_model: row.res_model,
                res_id: row.res_id,
                views: [[false, "form"]],
            });
        }
    }

    tileClass(tile) {
        return tile.count ? `o_customer_dashboard_tile_${tile.level}` : "o_customer_dashboard_tile_empty";
    }

    async openTile(tile) {
        const action = await this.orm.call(this.dashboardModel, "action_open_tile", [tile.key]);
        await this.actionService.doAction(action);
    }
}

registry.category("actions").add("customer_archive.dashboard", CustomerArchiveDashboard);
