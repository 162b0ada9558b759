"""Fixtures of the reminder tests: a store in Shanghai time, a clock frozen at noon there,
customers with every marketing consent, and a cron whose commits are left to the test."""

from datetime import date, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.fields import Command

from odoo.addons.beauty_treatment.tests.common import TreatmentCase
from odoo.addons.beauty_treatment.tests.package_common import PackageCase

# Tuesday 10 March 2026, 12:00 in Shanghai.
NOW = datetime(2026, 3, 10, 4, 0)
TODAY = date(2026, 3, 10)
MARKETING = ("personal", "marketing_sms", "marketing_email", "marketing_phone")
# What each channel leaves behind for one reminder.
QUEUED_MODEL = {"sms": "sms.sms", "email": "mail.mail", "activity": "mail.activity"}


class WorkerKilled(Exception):
    """The crash the tests inject into a reminder batch."""


def no_commit(self, processed=0, *, remaining=None, deactivate=False):
    """``ir.cron._commit_progress`` for TransactionCase: no commit, time never runs out."""
    return float("inf")


class ReminderCase(TreatmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(patch.object(type(cls.env["ir.cron"]), "_commit_progress", no_commit))
        cls.startClassPatcher(freeze_time(NOW))
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.company.beauty_reminder_cap_count = 0
        cls.Rule = cls.env["beauty.reminder.rule"]
        cls.Log = cls.env["beauty.reminder.log"]
        # The shipped rules stay out of the way; each test makes the rules it checks.
        cls.Rule.search([]).active = False
        cls.sms_birthday = cls.env.ref("beauty_marketing.sms_template_birthday")
        cls.mail_dormant = cls.env.ref("beauty_marketing.mail_template_dormant")

    @classmethod
    def _client(cls, name, consents=MARKETING, **vals):
        vals.setdefault("email", f"c{next(cls.phone_seq)}@example.com")
        return cls._customer(name, consents=consents, **vals)

    def _rule(self, kind, channel="sms", **vals):
        template = {
            "sms": {"sms_template_id": self.sms_birthday.id},
            "email": {"mail_template_id": self.mail_dormant.id},
            "activity": {},
        }[channel]
        return self.Rule.create(
            {"name": f"Test {kind}", "kind": kind, "channel": channel, **template, **vals}
        )

    def _run(self):
        self.Rule._cron_send_reminders()

    def _sms(self, partners):
        return self.env["sms.sms"].search([("partner_id", "in", partners.ids)])

    def _logs(self, rule):
        return self.Log.search([("rule_id", "=", rule.id)])

    def _queued(self, channel, after_id):
        """Customer ids of what ``channel`` queued after record ``after_id``, one per message
        (or call task), sorted."""
        queued = self.env[QUEUED_MODEL[channel]].search([("id", ">", after_id)])
        if channel == "sms":
            return sorted(sms.partner_id.id for sms in queued)
        if channel == "email":
            return sorted(partner.id for mail in queued for partner in mail.recipient_ids)
        self.assertEqual(set(queued.mapped("res_model")), {"res.partner"})
        return sorted(queued.mapped("res_id"))

    def _logged(self, rule):
        """``[(res_id, partner_id)]`` of the rule's log lines, sorted, one per line."""
        return sorted((log.res_id, log.partner_id.id) for log in self._logs(rule))

    def _last_id(self, channel):
        return self.env[QUEUED_MODEL[channel]].search([], order="id desc", limit=1).id or 0

    def _assert_crash_then_sent_once(self, rule, due, size=2, rerun_at=None):
        """Run the reminders in batches of ``size`` with the worker killed in the second
        batch, after its messages were queued and before their log lines were written;
        then run them again (one hour later unless ``rerun_at``).

        ``due``: ``[(record, partner)]``, every reminder ``rule`` makes due. The crashed
        batch must leave no trace, and after the rerun each due record has exactly one log
        line, sent, and exactly one message (or call task) to its customer."""
        due = sorted(((record.id, partner.id) for record, partner in due), key=lambda d: d[0])
        self.assertGreater(len(due), 2 * size, "a batch must come after the crashed one")
        self.env["ir.config_parameter"].set_param("beauty_marketing.reminder_batch_size", size)
        channel = rule.channel
        after_id = self._last_id(channel)
        # Each _commit_progress "commits" by releasing the batch's savepoint; the crash rolls
        # back to the last one, as the cron's transaction would.
        cr = self.env.cr
        state = {"savepoint": cr.savepoint(), "batches": 0}

        def commit(cron, processed=0, *, remaining=None, deactivate=False):
            state["savepoint"].close(rollback=False)
            state["savepoint"] = cr.savepoint()
            return float("inf")

        Rule = type(rule)
        send = getattr(Rule, f"_send_{channel}")

        def send_then_crash(records, to_send):
            state["batches"] += 1
            send(records, to_send)
            if state["batches"] == 2:
                raise WorkerKilled("worker killed")

        # Not assertRaises: it would roll back to a savepoint of its own, batch 1 included.
        crashed = False
        with (
            patch.object(type(self.env["ir.cron"]), "_commit_progress", commit),
            patch.object(Rule, f"_send_{channel}", send_then_crash),
        ):
            try:
                self._run()
            except WorkerKilled:
                crashed = True
        self.assertTrue(crashed, "the second batch did not run")
        state["savepoint"].close(rollback=True)
        self.env.invalidate_all()
        # The first batch went out with its log lines; the crashed one left nothing.
        first = self._logged(rule)
        self.assertEqual(len(first), size)
        self.assertLessEqual(set(first), set(due))
        self.assertEqual(self._queued(channel, after_id), sorted(p for _r, p in first))

        with freeze_time(rerun_at or fields.Datetime.now() + timedelta(hours=1)):
            self._run()
        self.env.invalidate_all()
        self.assertEqual(self._logged(rule), due)
        logs = self._logs(rule)
        self.assertEqual(set(logs.mapped("state")), {"sent"})
        self.assertEqual(set(logs.mapped("res_model")), {rule.source_model})
        self.assertEqual(self._queued(channel, after_id), sorted(p for _r, p in due))
        return logs

    def _birthday_clients(self, count, prefix="顾客"):
        birthday = TODAY.replace(year=1990)
        return self.env["res.partner"].concat(
            *(self._client(f"{prefix}{i}", beauty_birthday=birthday) for i in range(count))
        )


class ReminderKindsCase(ReminderCase, PackageCase):
    """The reminder fixtures plus what makes the other kinds due: treatment records, package
    cards, and purchases at a POS till."""

    def _template(self, xmlid):
        return self.env.ref(f"beauty_marketing.sms_template_{xmlid}")

    def _sms_rule(self, kind, template, **vals):
        return self._rule(kind, sms_template_id=self._template(template).id, **vals)

    def _done_record(self, partner, when):
        record = self.env["beauty.treatment.record"].create(
            {
                "partner_id": partner.id,
                "treatment_id": self.facial.id,
                "therapist_id": self.therapist_a.id,
                "date": when,
                "line_ids": [Command.clear()],
            }
        )
        record.action_done()
        return record

    def _card(self, partner, remaining=5, total=10, expiry=None, state="active"):
        return self.env["beauty.package.card"].create(
            {
                "partner_id": partner.id,
                "expiry_date": expiry,
                "state": state,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": self.facial.id,
                            "total": total,
                            "used": total - remaining,
                            "remaining": remaining,
                            "unit_value": 300.0,
                        }
                    )
                ],
            }
        )

    def _home_product(self, name="Night cream", days_of_use=30):
        return self.env["product.product"].create(
            {
                "name": name,
                "type": "consu",
                "list_price": 380.0,
                "taxes_id": False,
                "available_in_pos": True,
                "beauty_days_of_use": days_of_use,
            }
        )

    def _buy(self, partner, product, when):
        """A paid till order of one ``product`` for ``partner`` at ``when`` (UTC)."""
        with freeze_time(when):
            order = self._sync(
                self._payload(partner, [{"product": product, "qty": 1, "price": 380.0}])
            )
        return order
