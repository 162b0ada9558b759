"""19.0.1.1.0: a treatment record's reaction details and customer feedback are encrypted.

The values written by the previous version are plain text in the same columns: they are
encrypted in place with the server's key. Without a key the upgrade stops, rather than
leave health text in clear that the new version would show as unavailable.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

from odoo.addons.beauty_customer_profile.tools.crypto import PREFIX

COLUMNS = ("reaction_notes", "feedback")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Record = env["beauty.treatment.record"]
    plain = SQL(" OR ").join(
        SQL(
            "(%s IS NOT NULL AND %s NOT LIKE %s)",
            SQL.identifier(c),
            SQL.identifier(c),
            f"{PREFIX}:%",
        )
        for c in COLUMNS
    )
    rows = env.execute_query(
        SQL(
            "SELECT id, %s FROM beauty_treatment_record WHERE %s",
            SQL(", ").join(map(SQL.identifier, COLUMNS)),
            plain,
        )
    )
    if not rows:
        return
    vault = Record._beauty_vault()
    for id_, *values in rows:
        sealed = [
            value if not value or value.startswith(f"{PREFIX}:") else vault.encrypt(value)
            for value in values
        ]
        cr.execute(
            SQL(
                "UPDATE beauty_treatment_record SET %s WHERE id = %s",
                SQL(", ").join(
                    SQL("%s = %s", SQL.identifier(c), v)
                    for c, v in zip(COLUMNS, sealed, strict=True)
                ),
                id_,
            )
        )
