"""The archive's own fields on the contact (what our addons add to res.partner) are for
salon roles only: a plain internal user and a plain Point of Sale user read the contact,
never the archive, by any path; the till still gets what it loads."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.beauty_customer_profile.tests.common import BeautyCase

ARCHIVE_FIELDS = (
    "beauty_family_notes",
    "beauty_ingredients_avoid",
    "beauty_birthday",
    "beauty_birth_month",
    "beauty_age",
    "beauty_missing_info",
    "beauty_completeness",
    "beauty_wechat",
    "beauty_important_date_ids",
    "beauty_consent_ids",
    "beauty_missing_consent",
    "beauty_pref_scent",
    "beauty_last_visit_date",
    "beauty_booking_count",
    "beauty_spend_12m",
    "beauty_visits_12m",
)


@tagged("post_install", "-at_install")
class TestArchiveFieldsRoles(BeautyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outsiders = {
            "internal user": new_test_user(
                cls.env, login="beauty_plain", groups="base.group_user,base.group_allow_export"
            ),
            "POS user": new_test_user(
                cls.env,
                login="beauty_cashier",
                groups="base.group_user,point_of_sale.group_pos_user,base.group_allow_export",
            ),
        }
        cls.customer = cls._customer(
            "档案字段",
            beauty_family_notes="Husband in hospital",
            beauty_ingredients_avoid="Retinol",
            beauty_birthday="1990-05-20",
            beauty_wechat="wx_secret",
        )
        cls.config = cls.env["pos.config"].search([], limit=1) or cls.env["pos.config"].create(
            {"name": "Archive till"}
        )

    def test_outsiders_read_no_archive_field(self):
        for who, user in self.outsiders.items():
            mine = self.customer.with_user(user)
            self.assertTrue(mine.read(["name", "phone"]))
            for fname in ARCHIVE_FIELDS:
                field = self.customer._fields[fname]
                with self.subTest(user=who, field=fname):
                    with self.assertRaises(AccessError):
                        mine.read([fname])
                    with self.assertRaises(AccessError):
                        mine.web_read({fname: {}})
                    with self.assertRaises(AccessError):
                        mine.export_data([fname])
                    if field.store or field.search:
                        with self.assertRaises(AccessError):
                            mine.search([(fname, "!=", False)])
                    if field.store and field.type not in ("one2many", "many2many", "text"):
                        with self.assertRaises(AccessError):
                            mine._read_group([], [fname], ["__count"])

    def test_salon_roles_read_them(self):
        mine = self.customer.with_user(self.users["front_desk"])
        values = mine.read(list(ARCHIVE_FIELDS))[0]
        self.assertEqual(values["beauty_ingredients_avoid"], "Retinol")

    def test_till_gets_what_it_loads(self):
        cashier = self.outsiders["POS user"]
        Partner = self.env["res.partner"].with_user(cashier)
        fnames = Partner._load_pos_data_fields(self.config)
        self.assertIn("beauty_health_alert", fnames)
        self.assertIn("beauty_customer_number", fnames)
        rows = Partner.search_read([("id", "=", self.customer.id)], fnames, load=False)
        self.assertEqual(rows[0]["beauty_customer_number"], self.customer.beauty_customer_number)
        self.assertFalse(set(ARCHIVE_FIELDS) & set(fnames))

    def test_outsiders_still_create_contacts(self):
        # Creating a contact must not need to read the archive's fields (the archive date is
        # computed, not read with the user's rights).
        clerk = new_test_user(
            self.env,
            login="beauty_contacts_clerk",
            groups="base.group_user,base.group_partner_manager,point_of_sale.group_pos_user",
        )
        partner = self.env["res.partner"].with_user(clerk).create({"name": "Walk-in"})
        self.assertFalse(partner.sudo().beauty_archive_date)
        customer = (
            self.env["res.partner"]
            .with_user(self.users["front_desk"])
            .create({"name": "新顾客", "beauty_is_customer": True, "phone": self._next_phone()})
        )
        self.assertTrue(customer.beauty_archive_date)
        self.assertEqual(customer.company_id, self.company)
