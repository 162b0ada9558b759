"""Every customer belongs to a store, only managers move her; no store rule lets "no store"
through; an archive goes away only by a manager's logged deletion. As the least-privileged
users of two stores."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import GROUP, BeautyCase


@tagged("post_install", "-at_install")
class TestCustomerStores(BeautyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.store_b = env["res.company"].create({"name": "Store B"})
        cls.users_b = {
            role: new_test_user(
                env,
                login=f"beauty_store_{role}_b",
                groups=f"{GROUP}{role}",
                company_id=cls.store_b.id,
                company_ids=[Command.set(cls.store_b.ids)],
            )
            for role in ("front_desk", "clinician")
        }
        cls.users["manager"].company_ids = [Command.link(cls.store_b.id)]
        cls.customer = cls._customer("甲店顾客")
        cls.records = cls._sensitive_records(cls.customer)

    def test_becoming_a_customer_gives_a_store(self):
        contact = self.env["res.partner"].create({"name": "No store yet", "company_id": False})
        contact.with_user(self.users["front_desk"]).write({"beauty_is_customer": True})
        self.assertEqual(contact.company_id, self.company)
        with self.assertRaises(ValidationError):
            self.customer.write({"company_id": False})

    def test_only_a_manager_moves_a_customer(self):
        mine = self.customer.with_user(self.users["front_desk"])
        for company in (False, self.store_b.id):
            with self.subTest(company=company), self.assertRaises(AccessError):
                mine.write({"company_id": company})
        self.assertEqual(self.customer.company_id, self.company)
        self.customer.with_user(self.users["manager"]).with_context(
            allowed_company_ids=[self.company.id, self.store_b.id]
        ).write({"company_id": self.store_b.id})
        self.assertEqual(self.records["beauty.health.profile"].company_id, self.store_b)

    def test_no_store_is_not_every_store(self):
        # Data left without a store (as before every customer had one) stays closed.
        profile = self.records["beauty.health.profile"]
        self.env.cr.execute(
            "UPDATE beauty_health_profile SET company_id = NULL WHERE id = %s", [profile.id]
        )
        profile.invalidate_recordset(["company_id"])
        clinician_b = self.users_b["clinician"]
        self.assertFalse(
            self.env["beauty.health.profile"]
            .with_user(clinician_b)
            .search([("id", "=", profile.id)])
        )
        for model in ("beauty.allergy", "beauty.skin.profile", "beauty.consent"):
            with self.subTest(model=model):
                self.assertFalse(
                    self.env[model]
                    .with_user(clinician_b)
                    .search([("partner_id", "=", self.customer.id)])
                )

    def test_important_dates_stay_in_their_store(self):
        date = self.env["beauty.important.date"].create(
            {"partner_id": self.customer.id, "kind": "anniversary", "date": "2020-05-20"}
        )
        self.assertEqual(date.company_id, self.company)
        Dates = self.env["beauty.important.date"]
        self.assertIn(date, Dates.with_user(self.users["front_desk"]).search([]))
        self.assertNotIn(date, Dates.with_user(self.users_b["front_desk"]).search([]))
        with self.assertRaises(AccessError):
            date.with_user(self.users_b["front_desk"]).read(["name", "date"])

    def test_front_desk_cannot_delete_an_archive(self):
        mine = self.customer.with_user(self.users["front_desk"])
        with self.assertRaises(AccessError):
            mine.write({"beauty_is_customer": False})
        # Even once a manager closed the archive, deleting it stays a manager's act.
        self.customer.with_user(self.users["manager"]).write({"beauty_is_customer": False})
        with self.assertRaises(UserError):
            mine.unlink()
        self.assertTrue(self.customer.exists())
        self.assertTrue(self.records["beauty.health.profile"].exists())

    def test_manager_deletion_is_logged(self):
        manager = self.users["manager"]
        profile = self.records["beauty.health.profile"]
        self.customer.with_user(manager).unlink()
        self.assertFalse(profile.exists())
        lines = self.env["beauty.access.log"].search(
            [("user_id", "=", manager.id), ("operation", "=", "unlink")]
        )
        self.assertIn(
            ("res.partner", self.customer.id), {(line.model, line.res_id) for line in lines}
        )
        self.assertIn(
            ("beauty.health.profile", profile.id, self.customer.id),
            {(line.model, line.res_id, line.customer_ref) for line in lines},
        )

    def test_a_contact_manager_outside_the_salon_deletes_a_plain_contact(self):
        """A user without a salon role (a Point of Sale manager, an accountant) may still
        delete a contact that never had an archive, and still cannot delete an archive."""
        clerk = new_test_user(
            self.env, login="contact_clerk", groups="base.group_user,base.group_partner_manager"
        )
        contact = self.env["res.partner"].create({"name": "供应商联系人"})
        contact.with_user(clerk).unlink()
        self.assertFalse(contact.exists())
        with self.assertRaises(UserError):  # an AccessError is a UserError too
            self.customer.with_user(clerk).unlink()
        self.assertTrue(self.customer.exists())
