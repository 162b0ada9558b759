"""A customer's anonymisation leaves nothing of her anywhere in the database: a scan of every
text column of every table after the erasure, with data of hers in every addon."""

import json
from datetime import timedelta

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.beauty_treatment.tests.common import MONDAY, TreatmentCase

NAME = "甄秘葳"
EMAIL = "zhen.miwei@erase-example.com"
PHONE = "+86 139 0571 2468"
# Every way her number is kept: as typed, sanitized, digits only.
PHONES = ("0571 2468", "13905712468", "1390571")
FREE_TEXT = {
    "booking note": "BOOKING-NOTE-5531 prefers the window room",
    "reaction": "REACTION-7702 blotches on the neck",
    "feedback": "FEEDBACK-8813 said the peel burned",
    "record note": "RECORD-NOTE-9924 pregnant in May",
    "complaint subject": "COMPLAINT-SUBJECT-1146 burned skin",
    "complaint": "COMPLAINT-TEXT-2257 the therapist hurt her",
    "resolution": "RESOLUTION-3368 two free sessions",
    "compensation": "COMPENSATION-4479 refund",
    "consultation topic": "CONSULT-TOPIC-5580 lip filler",
    "consultation note": "CONSULT-NOTE-6691 afraid of needles",
    "chatter": "CHATTER-7713 told us about her divorce",
    "booking chatter": "BOOKING-CHATTER-8824 late again",
    "activity": "ACTIVITY-9935 call her husband",
    "sms": "SMS-1047 your laser follow-up",
    "mail": "MAIL-2158 your results",
    "pos note": "POS-NOTE-3269 gift for her mother",
    "pos line note": "POS-LINE-4370 wrap it",
    "progress": "PROGRESS-5481 acne worse",
    "important date": "IMPORTANT-6592 wedding anniversary",
}


@tagged("post_install", "-at_install")
class TestAnonymisationScan(TreatmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.her = cls._customer(NAME, phone=PHONE, email=EMAIL, beauty_family_notes=NAME)
        cls.other = cls._customer("Other customer")

    def _her_data(self):
        env = self.env
        her = self.her
        text = FREE_TEXT
        self._sensitive_records(her)
        concern = env["beauty.skin.concern"].search([("partner_id", "=", her.id)])
        env["beauty.skin.concern.progress"].create(
            {"concern_id": concern.id, "severity": "3", "note": text["progress"]}
        )
        env["beauty.important.date"].create(
            {"partner_id": her.id, "name": text["important date"], "date": "2020-05-01"}
        )
        her.message_post(body=text["chatter"])
        booking = self._book(MONDAY + timedelta(hours=10), partner=her)
        booking.notes = text["booking note"]
        booking.state = "confirmed"  # a tracking value
        booking.message_post(body=text["booking chatter"], partner_ids=her.ids)
        booking.activity_schedule("mail.mail_activity_data_todo", summary=text["activity"])
        # a booking first made for her, then given to another customer: its tracking keeps
        # her name as the old customer
        moved = self._book(MONDAY + timedelta(hours=14), partner=her)
        moved.partner_id = self.other
        env["beauty.treatment.record"].create(
            {
                "partner_id": her.id,
                "booking_id": booking.id,
                "treatment_id": self.facial.id,
                "therapist_id": self.therapist_a.id,
                "line_ids": [],
                "state": "done",
                "reaction_notes": text["reaction"],
                "feedback": text["feedback"],
                "notes": text["record note"],
            }
        )
        complaint = env["beauty.complaint"].create(
            {
                "partner_id": her.id,
                "name": f"{NAME} {text['complaint subject']}",
                "description": text["complaint"],
                "resolution": text["resolution"],
                "compensation": text["compensation"],
            }
        )
        complaint.name = f"{text['complaint subject']} (edited)"  # tracked: old subject
        env["beauty.consultation"].create(
            {
                "partner_id": her.id,
                "topic": text["consultation topic"],
                "notes": text["consultation note"],
            }
        )
        env["sms.sms"].create(
            {"partner_id": her.id, "number": her.phone_sanitized, "body": f"{NAME} {text['sms']}"}
        )
        env["sms.sms"].create({"number": her.phone_sanitized, "body": text["sms"]})
        env["mail.mail"].create(
            {
                "email_to": EMAIL,
                "subject": NAME,
                "body_html": f"<p>{NAME}: {text['mail']}</p>",
                "recipient_ids": [Command.link(her.id)],
            }
        )
        self._pos_order(her)

    def _pos_order(self, partner):
        journal = self.env["account.journal"].create(
            {"name": "Erasure till cash", "type": "cash", "code": "ERSC"}
        )
        cash = self.env["pos.payment.method"].create(
            {"name": "Erasure till cash", "journal_id": journal.id, "is_cash_count": True}
        )
        till = self.env["pos.config"].create(
            {"name": "Erasure till", "payment_method_ids": [Command.set(cash.ids)]}
        )
        till.open_ui()
        return self.env["pos.order"].create(
            {
                "session_id": till.current_session_id.id,
                "partner_id": partner.id,
                "amount_total": 400.0,
                "amount_tax": 0.0,
                "amount_paid": 400.0,
                "amount_return": 0.0,
                "general_customer_note": FREE_TEXT["pos note"],
                "lines": [
                    Command.create(
                        {
                            "product_id": self.facial.id,
                            "qty": 1,
                            "price_unit": 400.0,
                            "price_subtotal": 400.0,
                            "price_subtotal_incl": 400.0,
                            "customer_note": FREE_TEXT["pos line note"],
                        }
                    )
                ],
                "state": "paid",
            }
        )

    def _text_columns(self):
        """{table: [columns]} of every text, varchar and jsonb column of the database."""
        rows = self.env.execute_query(
            SQL(
                """SELECT c.table_name, c.column_name FROM information_schema.columns c
                     JOIN information_schema.tables t
                       ON t.table_name = c.table_name AND t.table_schema = c.table_schema
                    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
                      AND c.data_type IN ('text', 'character varying', 'jsonb')
                 ORDER BY c.table_name, c.column_name"""
            )
        )
        columns = {}
        for table, column in rows:
            columns.setdefault(table, []).append(column)
        return columns

    def _scan(self, secrets):
        """["table.column: secret"] for every secret found anywhere; one query per table."""
        self.env.flush_all()
        patterns = [f"%{secret}%" for secret in secrets]
        found = []
        for table, columns in self._text_columns().items():
            hits = self.env.execute_query(
                SQL(
                    "SELECT %s FROM %s WHERE %s",
                    SQL(", ").join(
                        SQL("%s::text ILIKE ANY(%s)", SQL.identifier(c), patterns) for c in columns
                    ),
                    SQL.identifier(table),
                    SQL(" OR ").join(
                        SQL("%s::text ILIKE ANY(%s)", SQL.identifier(c), patterns) for c in columns
                    ),
                )
            )
            for row in hits:
                found.extend(
                    f"{table}.{column}" for column, hit in zip(columns, row, strict=True) if hit
                )
        return sorted(set(found))

    def test_nothing_of_her_is_left_anywhere(self):
        self._her_data()
        secrets = [NAME, EMAIL, *PHONES, *FREE_TEXT.values()]
        before = self._scan(secrets)
        # the scan sees what it looks for: each kind of data is there before the erasure
        for where in (
            "beauty_booking.notes",
            "beauty_complaint.description",
            "beauty_consultation.notes",
            "sms_sms.body",
            "mail_mail.body_html",
            "mail_message.body",
            "mail_tracking_value.old_value_char",
            "mail_activity.summary",
            "pos_order.email",
            "pos_order.general_customer_note",
            "pos_order_line.customer_note",
            "res_partner.name",
        ):
            self.assertIn(where, before)
        self.her.with_user(self.users["manager"]).action_beauty_anonymise()
        self.assertEqual(self._scan(secrets), [], "personal data left after anonymisation")
        # what the business needs stays: her bookings, records, orders and complaints
        her = self.her.with_context(active_test=False)
        for model in ("beauty.booking", "beauty.treatment.record", "pos.order", "beauty.complaint"):
            self.assertTrue(self.env[model].search_count([("partner_id", "=", her.id)]), model)

    def test_treatment_free_text_is_encrypted(self):
        self._her_data()
        self.assertEqual(
            [
                found
                for found in self._scan([FREE_TEXT["reaction"], FREE_TEXT["feedback"]])
                if found.startswith("beauty_treatment_record.")
            ],
            [],
            "reaction details and feedback are ciphertext in the database",
        )
        record = self.env["beauty.treatment.record"].search([("partner_id", "=", self.her.id)])
        self.env.invalidate_all()
        therapist = record.with_user(self.users["therapist"])
        self.assertEqual(therapist.reaction_notes, FREE_TEXT["reaction"])
        self.assertEqual(therapist.feedback, FREE_TEXT["feedback"])

    def test_export_covers_every_registered_model(self):
        self._her_data()
        data = json.loads(self.her.with_user(self.users["manager"])._beauty_personal_data_json())
        self.assertEqual(data["bookings"][0]["notes"], FREE_TEXT["booking note"])
        self.assertEqual(data["treatment_records"][0]["reaction_notes"], FREE_TEXT["reaction"])
        self.assertEqual(data["complaints"][0]["description"], FREE_TEXT["complaint"])
        self.assertEqual(data["consultations"][0]["notes"], FREE_TEXT["consultation note"])
        self.assertEqual(data["pos_orders"][0]["general_customer_note"], FREE_TEXT["pos note"])
        self.assertEqual(data["pos_order_lines"][0]["customer_note"], FREE_TEXT["pos line note"])
        self.assertIn(FREE_TEXT["progress"], [row["note"] for row in data["skin_concern_progress"]])
        registered = {
            entry.key for entry in self.env["res.partner"]._beauty_personal_data_entries()
        }
        self.assertLessEqual(
            {"bookings", "package_cards", "loyalty_cards", "balance_moves", "tier_history"},
            registered,
        )
        self.assertLessEqual(registered, set(data), "every registered model has its section")
