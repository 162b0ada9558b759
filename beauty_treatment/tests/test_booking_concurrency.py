import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import psycopg2

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import ValidationError
from odoo.modules.registry import Registry
from odoo.tests import tagged
from odoo.tests.common import BaseCase, get_db_name
from odoo.tools import mute_logger

SLOT = datetime(2031, 5, 5, 10, 0)


@tagged("post_install", "-at_install")
class TestBookingConcurrency(BaseCase):
    """Two users book the same therapist for the same slot at the same moment, each in
    her own database transaction: exactly one booking is saved.

    The fixtures are committed so that both transactions see them; everything committed
    here is deleted again when the class is done.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cls.partner_ids = (
                env["res.partner"].create([{"name": "Concurrent A"}, {"name": "Concurrent B"}]).ids
            )
            # No working schedule: the therapist is always available, only the overlap counts.
            cls.therapist_id = (
                env["hr.employee"]
                .create(
                    {
                        "name": "Concurrent therapist",
                        "beauty_is_therapist": True,
                        "resource_calendar_id": False,
                    }
                )
                .id
            )
            cls.treatment_id = (
                env["product.product"]
                .create(
                    {
                        "name": "Concurrent facial",
                        "type": "service",
                        "beauty_is_treatment": True,
                        "beauty_duration": 1.0,
                    }
                )
                .id
            )
        cls.addClassCleanup(cls._cleanup)

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["beauty.booking"].search([("therapist_id", "=", cls.therapist_id)]).unlink()
            product = env["product.product"].browse(cls.treatment_id)
            template = product.product_tmpl_id
            product.unlink()
            template.unlink()
            employee = env["hr.employee"].browse(cls.therapist_id)
            work_contact = employee.work_contact_id
            employee.unlink()
            (env["res.partner"].browse(cls.partner_ids) | work_contact).unlink()

    def _count_bookings(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM beauty_booking WHERE therapist_id = %s "
                "AND state NOT IN ('cancelled', 'no_show')",
                [self.therapist_id],
            )
            return cr.fetchone()[0]

    @mute_logger("odoo.sql_db")
    def test_one_of_two_concurrent_bookings_is_saved(self):
        barrier = threading.Barrier(2, timeout=10)

        # Environments are made here: the registry lock is held by the test runner thread.
        envs = [api.Environment(self.registry.cursor(), SUPERUSER_ID, {}) for _i in range(2)]

        def book(env, partner_id):
            vals = {
                "partner_id": partner_id,
                "treatment_ids": [Command.set([self.treatment_id])],
                "therapist_id": self.therapist_id,
                "start": SLOT,
            }
            try:
                # The cursor commits when the block ends without error, rolls back otherwise.
                with env.cr:
                    # Both transactions have read the calendar and found the slot free.
                    barrier.wait()
                    env["beauty.booking"].create(vals)
                    # Keep the transaction open a moment so that the two really overlap.
                    time.sleep(0.5)
                return "saved"
            except ValidationError as error:
                return str(error)

        with ThreadPoolExecutor(max_workers=2) as executor:
            results = list(executor.map(book, envs, self.partner_ids))
        self.assertEqual(results.count("saved"), 1, results)
        refused = next(result for result in results if result != "saved")
        self.assertIn("Concurrent therapist", refused)
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
                    self.partner_ids[0],
                    self.therapist_id,
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
                    self.partner_ids[1],
                    self.therapist_id,
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
                    self.partner_ids[1],
                    self.therapist_id,
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
                        self.partner_ids[1],
                        self.therapist_id,
                        datetime(2031, 5, 6, 10, 30),
                        datetime(2031, 5, 6, 11, 30),
                        "booked",
                    ],
                )
            cr.rollback()
