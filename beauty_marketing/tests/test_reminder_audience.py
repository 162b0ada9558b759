from datetime import timedelta

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import TODAY, ReminderCase


@tagged("post_install", "-at_install")
class TestReminderAudience(ReminderCase):
    """The audience filter of a rule narrows who is reminded, in every kind's query."""

    def test_audience_filters_birthday_and_recall(self):
        birthday = TODAY.replace(year=1990)
        vip = self._client("VIP顾客", beauty_birthday=birthday, city="上海")
        other = self._client("普通顾客", beauty_birthday=birthday, city="北京")
        rule = self._rule("birthday", partner_domain="[('city', '=', '上海')]")
        self._run()
        self.assertEqual(self._sms(vip | other).partner_id, vip)
        self.assertEqual(self._logs(rule).partner_id, vip, "no skipped line for the others")

        last = TODAY - timedelta(days=120)
        (vip | other).beauty_last_visit_date = last
        recall = self._rule(
            "dormant", channel="email", days=90, partner_domain="[('city', '!=', '上海')]"
        )
        self._run()
        self.assertEqual(self._logs(recall).partner_id, other)

    def test_empty_audience_is_everyone(self):
        birthday = TODAY.replace(year=1990)
        clients = self._client("甲", beauty_birthday=birthday) | self._client(
            "乙", beauty_birthday=birthday
        )
        rule = self._rule("birthday", partner_domain="")
        self._run()
        self.assertEqual(self._logs(rule).partner_id, clients)

    def test_audience_must_be_a_valid_filter(self):
        for bad in ("[('no_such_field', '=', 1)]", "not a domain", "{'a': 1}"):
            with self.subTest(domain=bad), self.assertRaises(ValidationError):
                self._rule("birthday", partner_domain=bad)
