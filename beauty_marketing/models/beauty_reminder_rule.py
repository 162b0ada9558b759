import ast
import calendar
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.beauty_treatment.models.beauty_package_pos_order import PAID_STATES

KINDS = [
    ("birthday", "Birthday greeting"),
    ("dormant", "Dormant customer recall"),
    ("care_due", "Care cycle due"),
    ("booking", "Booking confirmation"),
    ("review", "Archive review due"),
    ("follow_up", "Follow-up after a treatment"),
    ("important_date", "Important date (anniversary)"),
    ("archive_anniversary", "Archive anniversary"),
    ("card_expiry", "Package card expiring"),
    ("card_low", "Package card nearly used up"),
    ("home_product", "Home product running out"),
]
# The record that makes a reminder of each kind due; templates are rendered on it.
SOURCE_MODEL = {
    "birthday": "res.partner",
    "dormant": "res.partner",
    "review": "res.partner",
    "archive_anniversary": "res.partner",
    "care_due": "beauty.care.due",
    "booking": "beauty.booking",
    "follow_up": "beauty.treatment.record",
    "important_date": "beauty.important.date",
    "card_expiry": "beauty.package.card",
    "card_low": "beauty.package.card",
    "home_product": "pos.order.line",
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
        help="How many days before the event the reminder goes out (birthday, anniversaries, "
        "care cycle due, booking, card expiry, home product). Reminders are sent from that day "
        "until the event itself. Follow-up: days after the treatment (1: 24 to 48 hours).",
    )
    min_offset_days = fields.Integer(
        string="Until days before",
        help="Booking confirmation and card expiry: the reminder is no longer sent when the "
        "event is closer than this many days (0: up to the day itself). A rule for 1 to 2 days "
        "before a booking uses 2 and 1; a rule for the day itself uses 0 and 0.",
    )
    sessions_left = fields.Integer(
        string="Sessions left at most",
        default=2,
        help="Card nearly used up: remind once when an active card has this many sessions "
        "left or fewer.",
    )
    follow_days = fields.Integer(
        string="Visit followed within (days)",
        default=14,
        help="A sent reminder counts as followed when the customer books or is treated within "
        "this many days.",
    )
    partner_domain = fields.Char(
        string="Audience",
        default="[]",
        help="Only customers matching this filter receive the reminder.",
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

    @api.constrains(
        "quiet_start_hour",
        "quiet_end_hour",
        "offset_days",
        "min_offset_days",
        "days",
        "sessions_left",
        "follow_days",
    )
    def _check_numbers(self):
        for rule in self:
            if not (0 <= rule.quiet_start_hour <= 23 and 0 <= rule.quiet_end_hour <= 23):
                raise ValidationError(self.env._("Quiet hours must be between 0 and 23."))
            numbers = (rule.offset_days, rule.min_offset_days, rule.days, rule.follow_days)
            if min(numbers) < 0 or rule.sessions_left < 0:
                raise ValidationError(self.env._("Days and sessions cannot be negative."))
            if rule.min_offset_days > rule.offset_days:
                raise ValidationError(
                    self.env._("“Until days before” cannot be more than “Days before”.")
                )

    @api.constrains("partner_domain")
    def _check_partner_domain(self):
        for rule in self:
            try:
                domain = rule._audience_domain()
                self.env["res.partner"].search_count(domain, limit=1)
            except (ValueError, SyntaxError, TypeError, KeyError) as error:
                raise ValidationError(
                    self.env._(
                        "The audience of the reminder rule %(rule)s is not a valid filter: "
                        "%(error)s",
                        rule=rule.name,
                        error=error,
                    )
                ) from error

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
                        model=self.env["ir.model"]._get(rule.source_model).name,
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

    def _audience_domain(self):
        """The rule's audience filter as a domain on res.partner."""
        self.ensure_one()
        domain = ast.literal_eval((self.partner_domain or "").strip() or "[]")
        if not isinstance(domain, (list, tuple)):
            raise TypeError(self.env._("A filter is a list of conditions."))
        return Domain(list(domain))

    def _audience(self):
        """Sub-query of the customers of the rule's store who match its audience filter:
        every collector below joins it into its one query."""
        self.ensure_one()
        return self.env["res.partner"]._search(
            Domain(self._customer_domain()) & self._audience_domain()
        )

    def _due_items(self):
        """``[(res_id, partner_id, due_date)]`` of every record this rule makes due today,
        in a constant number of queries."""
        self.ensure_one()
        today = self._local_now().date()
        return getattr(self, f"_due_{self.kind}")(today)

    def _due_yearly(self, today, table, date_column, partner_column, extra=None):
        """``(id, partner, due date)`` of the rows of ``table`` whose yearly date (month and
        day of ``date_column``) falls from today to ``offset_days`` ahead, due on that day.
        Like the other kinds, the reminder is due from ``offset_days`` before until the day
        itself: a run that crashed or fell in quiet hours is made up by the next one, and the
        log (keyed on the due date) keeps it to once. Born on 29 February counts as the 28th
        in other years. ``extra`` may use ``w.due``, the day the row is due."""
        window = []
        for n in range(self.offset_days + 1):
            day = today + timedelta(days=n)
            window.append(SQL("(%s, %s, %s::date)", day.month, day.day, day))
            if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
                window.append(SQL("(2, 29, %s::date)", day))
        self.env.cr.execute(
            SQL(
                """
                SELECT t.id, t.%(partner)s, w.due FROM %(table)s t
                  JOIN (VALUES %(window)s) AS w(month, day, due)
                    ON EXTRACT(MONTH FROM t.%(column)s) = w.month
                   AND EXTRACT(DAY FROM t.%(column)s) = w.day
                 WHERE t.%(partner)s IN %(audience)s
                   AND %(extra)s
                 ORDER BY t.id, w.due
                """,
                table=SQL.identifier(table),
                partner=SQL.identifier(partner_column),
                column=SQL.identifier(date_column),
                window=SQL(", ").join(window),
                audience=self._audience().subselect(),
                extra=extra or SQL("TRUE"),
            )
        )
        return self.env.cr.fetchall()

    def _due_birthday(self, today):
        self.env["res.partner"].flush_model(["beauty_birthday"])
        return self._due_yearly(today, "res_partner", "beauty_birthday", "id")

    def _due_archive_anniversary(self, today):
        """Once a year on the day the customer's archive was opened, from the first year."""
        self.env["res.partner"].flush_model(["beauty_archive_date"])
        return self._due_yearly(
            today,
            "res_partner",
            "beauty_archive_date",
            "id",
            SQL("EXTRACT(YEAR FROM t.beauty_archive_date) < EXTRACT(YEAR FROM w.due)"),
        )

    def _due_important_date(self, today):
        """The customer's important dates (wedding anniversary, a family birthday...):
        yearly ones every year from the first anniversary, the others once on the day."""
        self.env["beauty.important.date"].flush_model()
        return self._due_yearly(
            today,
            "beauty_important_date",
            "date",
            "partner_id",
            SQL(
                "(t.date = w.due OR (t.yearly AND EXTRACT(YEAR FROM t.date) < "
                "EXTRACT(YEAR FROM w.due)))"
            ),
        )

    def _due_since(self, today, fname):
        limit = today - timedelta(days=self.days)
        partners = self.env["res.partner"].search_fetch(
            [("id", "in", self._audience()), (fname, "!=", False), (fname, "<=", limit)],
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
                ("partner_id", "in", self._audience()),
                ("date_due", ">=", today),
                ("date_due", "<=", today + timedelta(days=self.offset_days)),
            ],
            ["partner_id", "date_due"],
            order="id",
        )
        return [(due.id, due.partner_id.id, due.date_due) for due in dues]

    def _utc(self, day):
        """Midnight of ``day`` in store time, as a naive UTC datetime."""
        moment = self._tz().localize(datetime.combine(day, time.min))
        return moment.astimezone(pytz.utc).replace(tzinfo=None)

    def _due_booking(self, today):
        tz = self._tz()
        bookings = self.env["beauty.booking"].search_fetch(
            [
                ("company_id", "=", self.company_id.id),
                ("partner_id", "in", self._audience()),
                ("state", "in", ["booked", "confirmed"]),
                ("start", ">=", self._utc(today + timedelta(days=self.min_offset_days))),
                ("start", "<", self._utc(today + timedelta(days=self.offset_days + 1))),
            ],
            ["partner_id", "start"],
            order="id",
        )
        return [
            (b.id, b.partner_id.id, pytz.utc.localize(b.start).astimezone(tz).date())
            for b in bookings
        ]

    def _due_follow_up(self, today):
        """Treatment records finished ``offset_days`` ago: with 1, a record of yesterday is
        followed up today, between 24 and 48 hours after the session."""
        tz = self._tz()
        day = today - timedelta(days=self.offset_days)
        records = self.env["beauty.treatment.record"].search_fetch(
            [
                ("company_id", "=", self.company_id.id),
                ("partner_id", "in", self._audience()),
                ("state", "=", "done"),
                ("date", ">=", self._utc(day)),
                ("date", "<", self._utc(day + timedelta(days=1))),
            ],
            ["partner_id", "date"],
            order="id",
        )
        return [
            (
                record.id,
                record.partner_id.id,
                pytz.utc.localize(record.date).astimezone(tz).date()
                + timedelta(days=self.offset_days),
            )
            for record in records
        ]

    def _due_card_expiry(self, today):
        cards = self.env["beauty.package.card"].search_fetch(
            [
                ("company_id", "=", self.company_id.id),
                ("partner_id", "in", self._audience()),
                ("state", "=", "active"),
                ("expiry_date", ">=", today + timedelta(days=self.min_offset_days)),
                ("expiry_date", "<=", today + timedelta(days=self.offset_days)),
            ],
            ["partner_id", "expiry_date"],
            order="id",
        )
        return [(card.id, card.partner_id.id, card.expiry_date) for card in cards]

    def _due_card_low(self, today):
        """Active cards with at most ``sessions_left`` sessions left: once per card (the
        due date is the day the card was opened)."""
        self.env["beauty.package.card"].flush_model(["partner_id", "company_id", "state"])
        self.env["beauty.package.card.line"].flush_model(["card_id", "remaining"])
        self.env.cr.execute(
            SQL(
                """
                SELECT card.id, card.partner_id, card.open_date
                  FROM beauty_package_card card
                  JOIN beauty_package_card_line line ON line.card_id = card.id
                 WHERE card.company_id = %(company)s AND card.state = 'active'
                   AND (card.expiry_date IS NULL OR card.expiry_date >= %(today)s)
                   AND card.partner_id IN %(audience)s
                 GROUP BY card.id
                HAVING SUM(line.remaining) BETWEEN 1 AND %(left)s
                 ORDER BY card.id
                """,
                company=self.company_id.id,
                today=today,
                audience=self._audience().subselect(),
                left=self.sessions_left,
            )
        )
        return self.env.cr.fetchall()

    def _due_home_product(self, today):
        """Products bought at the till (paid orders) whose days of use run out within
        ``offset_days``; a later purchase of the same product by the customer cancels it."""
        self.env["pos.order"].flush_model(["partner_id", "state", "date_order", "company_id"])
        self.env["pos.order.line"].flush_model(["order_id", "product_id", "qty"])
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["beauty_days_of_use"])
        tz = self._tz().zone
        self.env.cr.execute(
            SQL(
                """
                WITH purchase AS (
                    SELECT line.id, ord.partner_id, line.product_id, ord.date_order,
                           (ord.date_order AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                             + tmpl.beauty_days_of_use AS due
                      FROM pos_order_line line
                      JOIN pos_order ord ON ord.id = line.order_id
                      JOIN product_product prod ON prod.id = line.product_id
                      JOIN product_template tmpl ON tmpl.id = prod.product_tmpl_id
                     WHERE ord.company_id = %(company)s AND ord.state IN %(states)s
                       AND tmpl.beauty_days_of_use > 0 AND line.qty > 0
                       AND ord.partner_id IN %(audience)s
                       AND ord.date_order >= %(oldest)s
                )
                SELECT p.id, p.partner_id, p.due FROM purchase p
                 WHERE p.due BETWEEN %(today)s AND %(last)s
                   AND NOT EXISTS (
                        SELECT 1 FROM pos_order_line later_line
                          JOIN pos_order later ON later.id = later_line.order_id
                         WHERE later.partner_id = p.partner_id
                           AND later_line.product_id = p.product_id
                           AND later.state IN %(states)s AND later_line.qty > 0
                           AND later.date_order > p.date_order
                   )
                 ORDER BY p.id
                """,
                tz=tz,
                company=self.company_id.id,
                states=PAID_STATES,
                audience=self._audience().subselect(),
                oldest=self._utc(today - timedelta(days=self._max_days_of_use())),
                today=today,
                last=today + timedelta(days=self.offset_days),
            )
        )
        return self.env.cr.fetchall()

    def _max_days_of_use(self):
        self.env.cr.execute(
            SQL(
                "SELECT COALESCE(MAX(beauty_days_of_use), 0) + 1 FROM product_template "
                "WHERE beauty_days_of_use > 0"
            )
        )
        return self.env.cr.fetchone()[0]

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
        self.env["beauty.reminder.log"]._track_visits()
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
                    "beauty_company_id": self.company_id.id,
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
