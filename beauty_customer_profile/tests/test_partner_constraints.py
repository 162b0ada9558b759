from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import BeautyCase


@tagged("post_install", "-at_install")
class TestPartnerConstraints(BeautyCase):
    @freeze_time("2026-06-15")
    def test_birthday_in_future(self):
        with self.assertRaisesRegex(ValidationError, "future"):
            self._customer("未来生日", beauty_birthday=date(2026, 6, 16))
        with self.assertRaisesRegex(ValidationError, "future"):
            self._customer("未来年份", beauty_birth_year=2027)
        customer = self._customer("今天生日", beauty_birthday=date(1990, 6, 15))
        self.assertEqual(customer.beauty_age, 36)
        self.assertEqual(customer.beauty_birth_month, 6)
        by_year = self._customer("只有年份", beauty_birth_year=1986)
        self.assertEqual(by_year.beauty_age, 40)

    def test_malformed_phone(self):
        for bad in ("12345", "abc", "+86 138 1234"):
            with self.subTest(phone=bad), self.assertRaisesRegex(ValidationError, "not valid"):
                self._customer("坏号码", phone=bad)
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self._customer("坏备用", beauty_phone_backup="999")
        # Contacts that are not salon customers keep Odoo's free phone field.
        self.env["res.partner"].create({"name": "Supplier", "phone": "ext. 12"})

    def test_duplicate_phone_in_store(self):
        self._customer("王丽", phone="+86 138 0000 1111")
        with self.assertRaisesRegex(ValidationError, "already used"):
            self._customer("王丽丽", phone="13800001111")
        other_store = self.env["res.company"].create({"name": "Second store"})
        twin = self._customer("王丽", phone="13800001111", company_id=other_store.id)
        self.assertEqual(twin.company_id, other_store)

    def test_customer_number_per_store(self):
        first = self._customer("一号")
        second = self._customer("二号")
        self.assertTrue(first.beauty_customer_number)
        self.assertNotEqual(first.beauty_customer_number, second.beauty_customer_number)
        other_store = self.env["res.company"].create({"name": "Branch"})
        branch = self._customer("分店", company_id=other_store.id)
        self.assertTrue(branch.beauty_customer_number.startswith(f"C{other_store.id:02d}-"))
        self.assertEqual(first.beauty_archive_date, date.today())
        contact = self.env["res.partner"].create({"name": "Later customer"})
        self.assertFalse(contact.beauty_customer_number)
        contact.beauty_is_customer = True
        self.assertTrue(contact.beauty_customer_number)
        self.assertTrue(contact.beauty_archive_date)

    def test_referrals(self):
        referrer = self._customer("介绍人")
        friends = [self._customer(f"朋友{i}", beauty_referrer_id=referrer.id) for i in range(3)]
        self.assertEqual(referrer.beauty_referred_count, 3)
        action = referrer.with_user(self.users["front_desk"]).action_beauty_open_referred()
        found = self.env["res.partner"].search(action["domain"])
        self.assertEqual(set(found.ids), {friend.id for friend in friends})

    def test_only_manager_deletes_customers(self):
        customer = self._customer("删除测试")
        with self.assertRaises(UserError):
            customer.with_user(self.users["clinician"]).unlink()
        customer.with_user(self.users["manager"]).unlink()
        self.assertFalse(customer.exists())

    def test_health_alert_is_a_bare_flag(self):
        customer = self._customer("警示")
        self.assertFalse(customer.beauty_health_alert)
        self.env["beauty.allergy"].with_user(self.users["therapist"]).create(
            {
                "partner_id": customer.id,
                "allergen_id": self.env.ref("beauty_customer_profile.beauty_allergen_fragrance").id,
            }
        )
        as_front_desk = customer.with_user(self.users["front_desk"])
        self.assertTrue(as_front_desk.beauty_health_alert)
        alerted = (
            self.env["res.partner"]
            .with_user(self.users["front_desk"])
            .search([("beauty_health_alert", "=", True), ("id", "=", customer.id)])
        )
        self.assertEqual(alerted, customer)


@tagged("post_install", "-at_install")
class TestMessagesInChinese(BeautyCase):
    def test_errors_speak_the_users_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["beauty_customer_profile"], ["zh_CN"], overwrite=True
        )
        front_desk = self.users["front_desk"]
        front_desk.lang = "zh_CN"
        # The web client sends the user's language in the context of every call.
        partners = self.env["res.partner"].with_user(front_desk).with_context(lang="zh_CN")
        with self.assertRaises(ValidationError) as caught:
            partners.create(
                {"name": "未来", "beauty_is_customer": True, "beauty_birthday": "2999-01-01"}
            )
        message = str(caught.exception)
        self.assertRegex(message, "[\u4e00-\u9fff]{4,}", "the message is in Chinese")
        self.assertNotIn("cannot", message)
        customer = self._customer("无同意", consents=("personal",))
        with self.assertRaises(ValidationError) as caught:
            self.env["beauty.health.profile"].with_user(self.users["clinician"]).with_context(
                lang="zh_CN"
            ).create({"partner_id": customer.id})
        self.assertIn("敏感健康信息", str(caught.exception))
