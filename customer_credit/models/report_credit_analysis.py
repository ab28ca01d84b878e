from odoo import api, models


class ReportCreditAnalysis(models.AbstractModel):
    """Values of the half-yearly statistics and the annual credit analysis (统计报表, 分析报告,
    C13): the figures of ``customer.credit.analysis.wizard``, computed before rendering."""

    _name = "report.customer_credit.report_credit_analysis"
    _description = "Credit Statistics and Analysis Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        """Take the wizards' ids; return them and ``analysis`` {wizard id: its ``_analysis_data()``}.
        Raises AccessError for anyone but the credit department and the general management."""
        wizards = self.env["customer.credit.analysis.wizard"].browse(docids)
        wizards._check_reader()
        wizards.check_access("read")
        return {
            "doc_ids": docids,
            "doc_model": "customer.credit.analysis.wizard",
            "docs": wizards,
            "analysis": {wizard.id: wizard._analysis_data() for wizard in wizards},
        }
