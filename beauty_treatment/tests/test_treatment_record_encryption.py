"""A treatment record's reaction details and customer feedback are health text: encrypted at
rest, like the health profile's free text, and encrypted in place on upgrade."""

import importlib.util

from odoo.tests import tagged
from odoo.tools import SQL, file_path

from .common import TreatmentCase

REACTION = "REACTION-MIGRATE-3141 hives on both cheeks"
FEEDBACK = "FEEDBACK-MIGRATE-2718 will not come back"


def _migration():
    path = file_path("beauty_treatment/migrations/19.0.1.1.0/post-migrate.py")
    spec = importlib.util.spec_from_file_location("beauty_treatment_post_migrate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestTreatmentRecordEncryption(TreatmentCase):
    def _record(self, **vals):
        return self.env["beauty.treatment.record"].create(
            {
                "partner_id": self.customer.id,
                "treatment_id": self.facial.id,
                "therapist_id": self.therapist_a.id,
                "line_ids": [],
                **vals,
            }
        )

    def _columns(self, record):
        self.env.flush_all()
        return self.env.execute_query(
            SQL(
                "SELECT reaction_notes, feedback FROM beauty_treatment_record WHERE id = %s",
                record.id,
            )
        )[0]

    def test_columns_hold_ciphertext(self):
        record = self._record(reaction_notes=REACTION, feedback=FEEDBACK)
        for value in self._columns(record):
            self.assertTrue(value.startswith("bx1:"), "the column holds a token")
        self.env.invalidate_all()
        mine = record.with_user(self.users["therapist"])
        self.assertEqual((mine.reaction_notes, mine.feedback), (REACTION, FEEDBACK))

    def test_upgrade_encrypts_plain_text_in_place(self):
        record = self._record()
        kept = self._record(feedback="already sealed")
        sealed_before = self._columns(kept)[1]
        # what the previous version left in the columns
        self.env.cr.execute(
            SQL(
                "UPDATE beauty_treatment_record SET reaction_notes = %s, feedback = %s "
                "WHERE id = %s",
                REACTION,
                FEEDBACK,
                record.id,
            )
        )
        _migration().migrate(self.env.cr, "19.0.1.0.0")
        reaction, feedback = self._columns(record)
        self.assertTrue(reaction.startswith("bx1:") and feedback.startswith("bx1:"))
        self.assertEqual(self._columns(kept)[1], sealed_before, "tokens are left as they are")
        self.env.invalidate_all()
        self.assertEqual((record.reaction_notes, record.feedback), (REACTION, FEEDBACK))
