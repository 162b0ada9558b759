"""19.0.1.2.0: every customer belongs to a store; no store rule lets "no store" through.

Customers saved without a store (flagged as customers after they were created) get the
store of the user who created them, else the main company; their consents and sensitive
records follow through their stored store field. The store rules are in noupdate data:
their new domain is written here.
"""

from collections import defaultdict

from odoo import SUPERUSER_ID, api

RULES = [
    "beauty_consent_rule_company",
    "beauty_health_profile_rule_company",
    "beauty_allergy_rule_company",
    "beauty_past_treatment_rule_company",
    "beauty_home_product_rule_company",
    "beauty_skin_profile_rule_company",
    "beauty_skin_concern_rule_company",
    "beauty_skin_concern_progress_rule_company",
    "beauty_skin_assessment_rule_company",
    "beauty_skin_photo_rule_company",
    "beauty_lifestyle_rule_company",
]


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    main = env.ref("base.main_company")
    by_store = defaultdict(list)
    for partner in (
        env["res.partner"]
        .with_context(active_test=False)
        .search([("beauty_is_customer", "=", True), ("company_id", "=", False)])
    ):
        by_store[partner.create_uid.company_id or main].append(partner.id)
    for company, ids in by_store.items():
        env["res.partner"].browse(ids).write({"company_id": company.id})
    for xmlid in RULES:
        rule = env.ref(f"beauty_customer_profile.{xmlid}", raise_if_not_found=False)
        if rule:
            rule.domain_force = "[('company_id', 'in', company_ids)]"
