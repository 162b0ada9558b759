from odoo import api, fields, models
from odoo.tools import SQL

SKIP_REASONS = [
    ("opt_out", "Opted out"),
    ("no_consent", "No marketing consent"),
    ("no_address", "No email or phone"),
    ("cap", "Frequency cap reached"),
]


class BeautyReminderLog(models.Model):
    """One line per reminder a rule made due: sent or skipped, never twice.

    The line is written in the transaction that queues the message, so the unique key
    (rule, record, due date) is what makes a retried or concurrent run harmless."""

    _name = "beauty.reminder.log"
    _description = "Reminder send log"
    _order = "date desc, id desc"

    rule_id = fields.Many2one("beauty.reminder.rule", required=True, ondelete="cascade", index=True)
    kind = fields.Selection(related="rule_id.kind", store=True, string="Reminder")
    company_id = fields.Many2one(related="rule_id.company_id", store=True, string="Store")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True
    )
    res_model = fields.Char(string="Source model", required=True)
    res_id = fields.Many2oneReference(
        string="Source record", model_field="res_model", required=True
    )
    due_date = fields.Date(required=True)
    channel = fields.Selection(
        [("email", "Email"), ("sms", "SMS"), ("activity", "Staff call task")], required=True
    )
    state = fields.Selection([("sent", "Sent"), ("skipped", "Skipped")], required=True)
    skip_reason = fields.Selection(SKIP_REASONS, string="Reason skipped")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)

    followed = fields.Boolean(
        string="Visit followed",
        readonly=True,
        default=False,
        help="The customer booked or was treated within the rule's days after the reminder.",
    )
    follow_closed = fields.Boolean(
        string="Follow-up window closed",
        readonly=True,
        default=False,
        help="The days in which a visit counts are over: the line is no longer checked.",
    )

    _rule_record_due_unique = models.UniqueIndex("(rule_id, res_model, res_id, due_date)")
    _partner_date_idx = models.Index("(partner_id, date) WHERE state = 'sent'")
    _follow_open_idx = models.Index("(date) WHERE state = 'sent' AND follow_closed IS NOT TRUE")

    @api.model
    def _track_visits(self):
        """Mark the sent reminders after which the customer booked or was treated within
        the rule's ``follow_days``, and close the lines whose window is over: two set-based
        statements, whatever the number of lines."""
        for model, fnames in (
            ("beauty.reminder.log", ["state", "date", "partner_id", "followed", "follow_closed"]),
            ("beauty.reminder.rule", ["follow_days"]),
            ("beauty.booking", ["partner_id", "state", "create_date"]),
            ("beauty.treatment.record", ["partner_id", "state", "date"]),
        ):
            self.env[model].flush_model(fnames)
        now = fields.Datetime.now()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                UPDATE beauty_reminder_log log SET followed = TRUE
                  FROM beauty_reminder_rule rule
                 WHERE rule.id = log.rule_id
                   AND log.state = 'sent' AND log.follow_closed IS NOT TRUE
                   AND log.followed IS NOT TRUE
                   AND (
                        EXISTS (
                            SELECT 1 FROM beauty_booking booking
                             WHERE booking.partner_id = log.partner_id
                               AND booking.state NOT IN ('cancelled', 'no_show')
                               AND booking.create_date > log.date
                               AND booking.create_date <= LEAST(
                                    %(now)s, log.date + rule.follow_days * INTERVAL '1 day')
                        )
                        OR EXISTS (
                            SELECT 1 FROM beauty_treatment_record record
                             WHERE record.partner_id = log.partner_id
                               AND record.state = 'done'
                               AND record.date > log.date
                               AND record.date <= LEAST(
                                    %(now)s, log.date + rule.follow_days * INTERVAL '1 day')
                        )
                   )
                """,
                now=now,
            )
        )
        cr.execute(
            SQL(
                """
                UPDATE beauty_reminder_log log SET follow_closed = TRUE
                  FROM beauty_reminder_rule rule
                 WHERE rule.id = log.rule_id
                   AND log.state = 'sent' AND log.follow_closed IS NOT TRUE
                   AND (log.followed IS TRUE OR log.date + rule.follow_days * INTERVAL '1 day' < %s)
                """,
                now,
            )
        )
        self.invalidate_model(["followed", "follow_closed"])
