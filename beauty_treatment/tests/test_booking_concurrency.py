import time
from datetime import datetime

import psycopg2

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import tagged
from odoo.tests.common import BaseCase
from odoo.tools import mute_logger

from odoo.addons.beauty_customer_profile.tests.common import ConcurrentTillsMixin

SLOT = datetime(2031, 5, 5, 10, 0)


@tagged("post_install", "-at_install")
class TestBookingConcurrency(ConcurrentTillsMixin, BaseCase):
    """Two users book the same therapist for the same slot at the same moment, each in
    her own database transaction: exactly one booking is saved.

    The fixtures are committed so that both transactions see them; everything committed
    here is deleted again when the class is done.
    """

    tills = 2

    @classmethod
    def _till_fixtures(cls, env):
        partners = env["res.partner"].create([{"name": "Concurrent A"}, {"name": "Concurrent B"}])
        # No working schedule: the therapist is always available, only the overlap counts.
        therapist = env["hr.employee"].create(
            {
                "name": "Concurrent therapist",
                "beauty_is_therapist": True,
                "resource_calendar_id": False,
            }
        )
        treatment = env["product.product"].create(
            {
                "name": "Concurrent facial",
                "type": "service",
                "beauty_is_treatment": True,
                "beauty_duration": 1.0,
            }
        )
        return {"partners": partners.ids, "therapist": therapist.id, "treatment": treatment.id}

    @classmethod
    def _till_cleanup(cls, env):
        env["beauty.booking"].search([("therapist_id", "=", cls.ids["therapist"])]).unlink()
        product = env["product.product"].browse(cls.ids["treatment"])
        template = product.product_tmpl_id
        product.unlink()
        template.unlink()
        employee = env["hr.employee"].browse(cls.ids["therapist"])
        work_contact = employee.work_contact_id
        employee.unlink()
        (env["res.partner"].browse(cls.ids["partners"]) | work_contact).unlink()

    def _count_bookings(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM beauty_booking WHERE therapist_id = %s "
                "AND state NOT IN ('cancelled', 'no_show')",
                [self.ids["therapist"]],
            )
            return cr.fetchone()[0]

    def test_one_of_two_concurrent_bookings_is_saved(self):
        def book(env, till, _number):
            # Both transactions have read the calendar and found the slot free.
            env["beauty.booking"].create(
                {
                    "partner_id": self.ids["partners"][till],
                    "treatment_ids": [Command.set([self.ids["treatment"]])],
                    "therapist_id": self.ids["therapist"],
                    "start": SLOT,
                }
            )
            # Keep the transaction open a moment so that the two really overlap.
            time.sleep(0.5)

        results = self.run_tills(book)
        self.assertEqual(sorted(results), [False, True], results)
        self.assertIn("Concurrent therapist", self.till_errors[0])
        self.assertEqual(self._count_bookings(), 1)

    @mute_logger("odoo.sql_db")
    def test_database_refuses_overlap_without_the_python_check(self):
        """The guarantee is the exclusion constraint itself, not the ORM's check."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company_id = env.company.id
            insert = (
                "INSERT INTO beauty_booking (name, company_id, partner_id, therapist_id, start, "
                "stop, state, duration) VALUES (%s, %s, %s, %s, %s, %s, %s, 1)"
            )
            cr.execute(
                insert,
                [
                    "SQL1",
                    company_id,
                    self.ids["partners"][0],
                    self.ids["therapist"],
                    datetime(2031, 5, 6, 10),
                    datetime(2031, 5, 6, 11),
                    "booked",
                ],
            )
            # Adjacent is fine, and so is an overlap with a cancelled booking.
            cr.execute(
                insert,
                [
                    "SQL2",
                    company_id,
                    self.ids["partners"][1],
                    self.ids["therapist"],
                    datetime(2031, 5, 6, 11),
                    datetime(2031, 5, 6, 12),
                    "booked",
                ],
            )
            cr.execute(
                insert,
                [
                    "SQL3",
                    company_id,
                    self.ids["partners"][1],
                    self.ids["therapist"],
                    datetime(2031, 5, 6, 10, 30),
                    datetime(2031, 5, 6, 11, 30),
                    "cancelled",
                ],
            )
            with self.assertRaises(psycopg2.errors.ExclusionViolation):
                cr.execute(
                    insert,
                    [
                        "SQL4",
                        company_id,
                        self.ids["partners"][1],
                        self.ids["therapist"],
                        datetime(2031, 5, 6, 10, 30),
                        datetime(2031, 5, 6, 11, 30),
                        "booked",
                    ],
                )
            cr.rollback()
