from odoo import fields, models

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

    _rule_record_due_unique = models.UniqueIndex("(rule_id, res_model, res_id, due_date)")
    _partner_date_idx = models.Index("(partner_id, date) WHERE state = 'sent'")
