import calendar
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

KINDS = [
    ("birthday", "Birthday greeting"),
    ("dormant", "Dormant customer recall"),
    ("care_due", "Care cycle due"),
    ("booking", "Booking confirmation"),
    ("review", "Archive review due"),
]
# The record that makes a reminder of each kind due; templates are rendered on it.
SOURCE_MODEL = {
    "birthday": "res.partner",
    "dormant": "res.partner",
    "review": "res.partner",
    "care_due": "beauty.care.due",
    "booking": "beauty.booking",
}
CONSENT_PURPOSE = {
    "email": "marketing_email",
    "sms": "marketing_sms",
    "activity": "marketing_phone",
}
# Channels that reach the customer directly: quiet hours and the frequency cap apply.
MESSAGE_CHANNELS = ("email", "sms")


class BeautyReminderRule(models.Model):
    """A configurable reminder: what makes it due, how it reaches the customer, and when
    it may not. One cron (``_cron_send_reminders``) runs every active rule."""

    _name = "beauty.reminder.rule"
    _description = "Reminder rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", string="Store", required=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(KINDS, string="Reminder", required=True)
    source_model = fields.Char(compute="_compute_source_model")
    channel = fields.Selection(
        [("email", "Email"), ("sms", "SMS"), ("activity", "Staff call task")],
        required=True,
        default="sms",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email template",
        domain="[('model', '=', source_model)]",
    )
    sms_template_id = fields.Many2one(
        "sms.template", string="SMS template", domain="[('model', '=', source_model)]"
    )
    activity_type_id = fields.Many2one("mail.activity.type", string="Task type")
    activity_user_id = fields.Many2one(
        "res.users",
        string="Assign calls to",
        help="The staff member who gets the call task. Empty: the user running the reminders.",
    )
    offset_days = fields.Integer(
        string="Days before",
        help="How many days before the event the reminder goes out (birthday, care cycle due, "
        "booking). Reminders are sent from that day until the event itself.",
    )
    days = fields.Integer(
        string="Days without",
        default=90,
        help="Dormant recall: days since the last visit. Archive review: days since the last "
        "review.",
    )
    require_consent = fields.Boolean(
        string="Needs marketing consent",
        default=True,
        help="Send only to customers who consented to marketing on this channel. Opt-outs "
        "(blacklisted email or phone) are always honoured.",
    )
    quiet_start_hour = fields.Integer(
        string="Quiet from", default=21, help="Hour (0-23, store time) quiet hours start."
    )
    quiet_end_hour = fields.Integer(
        string="Quiet until", default=9, help="Hour (0-23, store time) quiet hours end."
    )
    log_ids = fields.One2many("beauty.reminder.log", "rule_id", string="Send log")
    log_count = fields.Integer(string="Sent", compute="_compute_log_count")

    @api.depends("kind")
    def _compute_source_model(self):
        for rule in self:
            rule.source_model = SOURCE_MODEL.get(rule.kind, "res.partner")

    def _compute_log_count(self):
        counts = dict(
            self.env["beauty.reminder.log"]._read_group(
                [("rule_id", "in", self.ids), ("state", "=", "sent")], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.log_count = counts.get(rule, 0)

    @api.constrains("quiet_start_hour", "quiet_end_hour", "offset_days", "days")
    def _check_numbers(self):
        for rule in self:
            if not (0 <= rule.quiet_start_hour <= 23 and 0 <= rule.quiet_end_hour <= 23):
                raise ValidationError(self.env._("Quiet hours must be between 0 and 23."))
            if rule.offset_days < 0 or rule.days < 0:
                raise ValidationError(self.env._("Days cannot be negative."))

    @api.constrains("channel", "mail_template_id", "sms_template_id", "kind")
    def _check_template(self):
        for rule in self:
            template = {"email": rule.mail_template_id, "sms": rule.sms_template_id}.get(
                rule.channel
            )
            if rule.channel != "activity" and not template:
                raise ValidationError(
                    self.env._("The reminder rule %s needs a template for its channel.", rule.name)
                )
            if template and template.model != rule.source_model:
                raise ValidationError(
                    self.env._(
                        "The template of the reminder rule %(rule)s must be made for %(model)s.",
                        rule=rule.name,
                        model=rule.source_model,
                    )
                )

    def action_open_logs(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "beauty_marketing.beauty_reminder_log_action"
        )
        action["domain"] = [("rule_id", "=", self.id)]
        return action

    # -- time ------------------------------------------------------------------------------
    def _tz(self):
        self.ensure_one()
        return pytz.timezone(self.company_id.partner_id.tz or self.env.user.tz or "UTC")

    def _local_now(self):
        return pytz.utc.localize(fields.Datetime.now()).astimezone(self._tz())

    def _is_quiet(self):
        """Whether it is now within the rule's quiet hours (store time)."""
        self.ensure_one()
        if self.channel not in MESSAGE_CHANNELS or self.quiet_start_hour == self.quiet_end_hour:
            return False
        hour = self._local_now().hour
        start, end = self.quiet_start_hour, self.quiet_end_hour
        if start < end:
            return start <= hour < end
        return hour >= start or hour < end

    # -- what is due -----------------------------------------------------------------------
    def _customer_domain(self, prefix=""):
        return [
            (f"{prefix}beauty_is_customer", "=", True),
            (f"{prefix}company_id", "in", [self.company_id.id, False]),
        ]

    def _due_items(self):
        """``[(res_id, partner_id, due_date)]`` of every record this rule makes due today,
        in a constant number of queries."""
        self.ensure_one()
        today = self._local_now().date()
        return getattr(self, f"_due_{self.kind}")(today)

    def _due_birthday(self, today):
        target = today + timedelta(days=self.offset_days)
        Partner = self.env["res.partner"]
        Partner.flush_model(["active", "beauty_is_customer", "company_id", "beauty_birthday"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM res_partner
                 WHERE active AND beauty_is_customer
                   AND (company_id IS NULL OR company_id = %(company)s)
                   AND (
                        (EXTRACT(MONTH FROM beauty_birthday) = %(month)s
                         AND EXTRACT(DAY FROM beauty_birthday) = %(day)s)
                        OR (%(leap_day)s AND EXTRACT(MONTH FROM beauty_birthday) = 2
                            AND EXTRACT(DAY FROM beauty_birthday) = 29)
                   )
                 ORDER BY id
                """,
                company=self.company_id.id,
                month=target.month,
                day=target.day,
                # Born on 29 February: greeted on the 28th when the year has no 29th.
                leap_day=(target.month, target.day) == (2, 28) and not calendar.isleap(target.year),
            )
        )
        return [(pid, pid, target) for (pid,) in self.env.cr.fetchall()]

    def _due_since(self, today, fname):
        limit = today - timedelta(days=self.days)
        partners = self.env["res.partner"].search_fetch(
            [*self._customer_domain(), (fname, "!=", False), (fname, "<=", limit)],
            [fname],
            order="id",
        )
        return [(p.id, p.id, p[fname] + timedelta(days=self.days)) for p in partners]

    def _due_dormant(self, today):
        return self._due_since(today, "beauty_last_visit_date")

    def _due_review(self, today):
        return self._due_since(today, "beauty_last_review_date")

    def _due_care_due(self, today):
        dues = self.env["beauty.care.due"].search_fetch(
            [
                *self._customer_domain("partner_id."),
                ("date_due", ">=", today),
                ("date_due", "<=", today + timedelta(days=self.offset_days)),
            ],
            ["partner_id", "date_due"],
            order="id",
        )
        return [(due.id, due.partner_id.id, due.date_due) for due in dues]

    def _due_booking(self, today):
        tz = self._tz()
        start = datetime.combine(today, time.min)
        stop = start + timedelta(days=self.offset_days + 1)
        utc = [
            tz.localize(moment).astimezone(pytz.utc).replace(tzinfo=None)
            for moment in (start, stop)
        ]
        bookings = self.env["beauty.booking"].search_fetch(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "in", ["booked", "confirmed"]),
                ("start", ">=", utc[0]),
                ("start", "<", utc[1]),
            ],
            ["partner_id", "start"],
            order="id",
        )
        return [
            (b.id, b.partner_id.id, pytz.utc.localize(b.start).astimezone(tz).date())
            for b in bookings
        ]

    def _drop_logged(self, items):
        """Leave out what was already sent or skipped (one query)."""
        if not items:
            return items
        logged = {
            (log.res_id, log.due_date)
            for log in self.env["beauty.reminder.log"].search_fetch(
                [
                    ("rule_id", "=", self.id),
                    ("res_model", "=", self.source_model),
                    ("res_id", "in", list({item[0] for item in items})),
                ],
                ["res_id", "due_date"],
            )
        }
        return [item for item in items if (item[0], item[2]) not in logged]

    # -- the engine ------------------------------------------------------------------------
    @api.model
    def _batch_size(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("beauty_marketing.reminder_batch_size", 200)
        )

    @api.model
    def _cron_send_reminders(self):
        """Send every reminder that is due, in batches that each commit the messages
        together with their log lines: a crash loses a whole batch, never half of it, and
        the next run sends what the crashed batch did not."""
        work = []
        for rule in self.search([]):
            if rule._is_quiet():
                # Nothing is logged: the next run outside quiet hours sends it.
                continue
            items = rule._drop_logged(rule._due_items())
            if items:
                work.append((rule, items))
        remaining = sum(len(items) for _rule, items in work)
        size = self._batch_size()
        for rule, items in work:
            for start in range(0, len(items), size):
                batch = items[start : start + size]
                rule._process_batch(batch)
                remaining -= len(batch)
                if self.env["ir.cron"]._commit_progress(len(batch), remaining=remaining) <= 0:
                    return

    def _cap_counts(self, partners):
        """Messages sent to each of ``partners`` within the company's cap period."""
        company = self.company_id
        if company.beauty_reminder_cap_count <= 0:
            return None
        since = fields.Datetime.now() - timedelta(days=company.beauty_reminder_cap_days)
        return {
            partner.id: count
            for partner, count in self.env["beauty.reminder.log"]._read_group(
                [
                    ("partner_id", "in", partners.ids),
                    ("state", "=", "sent"),
                    ("channel", "in", list(MESSAGE_CHANNELS)),
                    ("date", ">=", since),
                ],
                ["partner_id"],
                ["__count"],
            )
        }

    def _skip_reasons(self, partners):
        """``{partner_id: reason}`` for the partners this rule may not reach."""
        self.ensure_one()
        reasons = {}
        if self.channel == "email":
            for partner in partners:
                if not partner.email_normalized:
                    reasons[partner.id] = "no_address"
                elif partner.is_blacklisted:
                    reasons[partner.id] = "opt_out"
        else:
            for partner in partners:
                if not partner.phone_sanitized:
                    reasons[partner.id] = "no_address"
                elif partner.phone_sanitized_blacklisted:
                    reasons[partner.id] = "opt_out"
        if self.require_consent:
            consenting = partners._beauty_partners_with_consent(CONSENT_PURPOSE[self.channel])
            for partner in partners - consenting:
                reasons.setdefault(partner.id, "no_consent")
        return reasons

    def _process_batch(self, items):
        """Queue the messages of one batch and write their log lines, in one transaction."""
        self.ensure_one()
        partners = self.env["res.partner"].browse(list({item[1] for item in items}))
        reasons = self._skip_reasons(partners)
        counts = self._cap_counts(partners) if self.channel in MESSAGE_CHANNELS else None
        cap = self.company_id.beauty_reminder_cap_count
        to_send, log_vals = [], []
        for res_id, partner_id, due_date in items:
            reason = reasons.get(partner_id)
            if not reason and counts is not None:
                if counts.get(partner_id, 0) >= cap:
                    reason = "cap"
                else:
                    counts[partner_id] = counts.get(partner_id, 0) + 1
            if not reason:
                to_send.append((res_id, partner_id))
            log_vals.append(
                {
                    "rule_id": self.id,
                    "partner_id": partner_id,
                    "res_model": self.source_model,
                    "res_id": res_id,
                    "due_date": due_date,
                    "channel": self.channel,
                    "state": "skipped" if reason else "sent",
                    "skip_reason": reason or False,
                }
            )
        if to_send:
            getattr(self, f"_send_{self.channel}")(to_send)
        self.env["beauty.reminder.log"].create(log_vals)

    def _send_email(self, to_send):
        # Queued only: the mail queue cron delivers them once this transaction commits.
        self.mail_template_id.send_mail_batch([res_id for res_id, _partner in to_send])

    def _send_sms(self, to_send):
        template = self.sms_template_id
        bodies = template._render_field("body", [res_id for res_id, _p in to_send])
        partners = self.env["res.partner"].browse([partner_id for _r, partner_id in to_send])
        self.env["sms.sms"].create(
            [
                {
                    "body": bodies[res_id],
                    "partner_id": partner.id,
                    "number": partner.phone_sanitized,
                    "state": "outgoing",
                }
                for (res_id, _p), partner in zip(to_send, partners, strict=True)
            ]
        )

    def _send_activity(self, to_send):
        activity_type = self.activity_type_id or self.env.ref("mail.mail_activity_data_call")
        model_id = self.env["ir.model"]._get_id("res.partner")
        user = self.activity_user_id or self.env.user
        today = self._local_now().date()
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": partner_id,
                    "activity_type_id": activity_type.id,
                    "summary": self.name,
                    "user_id": user.id,
                    "date_deadline": today,
                }
                for _res_id, partner_id in to_send
            ]
        )
