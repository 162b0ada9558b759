from odoo import fields, models, tools
from odoo.tools import SQL


class BeautyComplaintReport(models.Model):
    """Complaints against their deadlines: responded and solved on time, by store and
    month. A complaint still open past a deadline counts as late."""

    _name = "beauty.complaint.report"
    _description = "Complaints on time"
    _auto = False
    _order = "date desc"
    _depends = {
        "beauty.complaint": [
            "date",
            "company_id",
            "kind",
            "severity",
            "state",
            "therapist_id",
            "response_deadline",
            "solution_deadline",
            "date_responded",
            "date_solved",
        ],
    }

    date = fields.Datetime(string="Received", readonly=True)
    company_id = fields.Many2one("res.company", string="Store", readonly=True)
    complaint_id = fields.Many2one("beauty.complaint", readonly=True)
    therapist_id = fields.Many2one("hr.employee", readonly=True)
    severity = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")], readonly=True
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("responded", "Responded"),
            ("solved", "Solved"),
            ("cancelled", "Cancelled"),
        ],
        readonly=True,
    )
    complaint_count = fields.Integer(string="Complaints", readonly=True, aggregator="sum")
    responded_on_time = fields.Integer(readonly=True, aggregator="sum")
    solved_on_time = fields.Integer(readonly=True, aggregator="sum")
    response_rate = fields.Float(string="Responded on time (%)", readonly=True, aggregator="avg")
    solution_rate = fields.Float(string="Solved on time (%)", readonly=True, aggregator="avg")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %s AS (
                    SELECT c.id AS id,
                           c.id AS complaint_id,
                           c.date AS date,
                           c.company_id AS company_id,
                           c.therapist_id AS therapist_id,
                           c.severity AS severity,
                           c.state AS state,
                           1 AS complaint_count,
                           ontime.responded AS responded_on_time,
                           ontime.solved AS solved_on_time,
                           ontime.responded * 100.0 AS response_rate,
                           ontime.solved * 100.0 AS solution_rate
                      FROM beauty_complaint c
                     CROSS JOIN LATERAL (
                        SELECT CASE WHEN c.date_responded IS NOT NULL
                                     AND c.date_responded <= c.response_deadline
                                    THEN 1 ELSE 0 END AS responded,
                               CASE WHEN c.date_solved IS NOT NULL
                                     AND c.date_solved <= c.solution_deadline
                                    THEN 1 ELSE 0 END AS solved
                     ) ontime
                     WHERE c.kind = 'complaint' AND c.state != 'cancelled'
                )
                """,
                SQL.identifier(self._table),
            )
        )
