"""19.0.1.1.0: encrypted fields keep their ciphertext in their own column.

Until 19.0.1.0.0 each encrypted field was computed from a private ``<field>_enc`` column.
The ciphertext is the same; only the column changes name, so no key is needed and nothing
is decrypted here.
"""

from odoo.tools import sql

RENAMED = {
    "beauty_health_profile": [
        "contraindication_notes",
        "chronic_conditions",
        "medication",
        "menstrual_notes",
        "implants_fillers",
    ],
    "beauty_past_treatment": ["result"],
    "res_partner": ["beauty_id_number"],
}


def migrate(cr, version):
    for table, columns in RENAMED.items():
        for column in columns:
            old = f"{column}_enc"
            if sql.column_exists(cr, table, old) and not sql.column_exists(cr, table, column):
                sql.rename_column(cr, table, old, column)
