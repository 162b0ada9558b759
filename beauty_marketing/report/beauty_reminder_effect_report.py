from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.beauty_reminder_rule import KINDS


class BeautyReminderEffectReport(models.Model):
    """One row per reminder sent: did a booking or a visit follow? Summed by rule it gives
    the reminders sent, those followed, and (averaged) the follow rate."""

    _name = "beauty.reminder.effect.report"
    _description = "Reminder effect"
    _auto = False
    _order = "date desc"
    _depends = {
        "beauty.reminder.log": [
            "rule_id",
            "kind",
            "company_id",
            "partner_id",
            "channel",
            "state",
            "date",
            "followed",
            "follow_closed",
        ],
    }

    date = fields.Datetime(string="Sent on", readonly=True)
    rule_id = fields.Many2one("beauty.reminder.rule", readonly=True)
    kind = fields.Selection(KINDS, string="Reminder", readonly=True)
    company_id = fields.Many2one("res.company", string="Store", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    channel = fields.Selection(
        [("email", "Email"), ("sms", "SMS"), ("activity", "Staff call task")], readonly=True
    )
    follow_closed = fields.Boolean(string="Window closed", readonly=True)
    sent = fields.Integer(readonly=True, aggregator="sum")
    followed = fields.Integer(string="Visits followed", readonly=True, aggregator="sum")
    follow_rate = fields.Float(
        string="Follow rate (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the reminders after which the customer booked or came.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %s AS (
                    SELECT log.id AS id,
                           log.date AS date,
                           log.rule_id AS rule_id,
                           log.kind AS kind,
                           log.company_id AS company_id,
                           log.partner_id AS partner_id,
                           log.channel AS channel,
                           COALESCE(log.follow_closed, FALSE) AS follow_closed,
                           1 AS sent,
                           CASE WHEN log.followed THEN 1 ELSE 0 END AS followed,
                           CASE WHEN log.followed THEN 100.0 ELSE 0.0 END AS follow_rate
                      FROM beauty_reminder_log log
                     WHERE log.state = 'sent'
                )
                """,
                SQL.identifier(self._table),
            )
        )
