"""Benchmark: opening a health profile form with encryption at rest, against the same form
reading the same text unencrypted. Run with scripts/benchmark encrypted_form.

Both forms are read by the same clinician (who may also read the raw columns), for the
same 50 profiles, one web_read per form as the web client does, caches cold for each form.
The unencrypted baseline reads the stored columns directly, so the ratio isolates the cost
of decryption. Everything is rolled back at the end.
"""

import statistics
import time

from odoo.fields import Command

FIELDS = [
    "contraindication_notes",
    "chronic_conditions",
    "medication",
    "menstrual_notes",
    "implants_fillers",
]
TEXT = "高血压，每日服用氨氯地平 5mg；2023 年玻尿酸填充（唇部）。" * 4
ROUNDS, FORMS = 15, 50

env = env  # noqa: F821, PLW0127 - provided by `odoo shell`
user = env["res.users"].create(
    {
        "name": "Benchmark clinician",
        "login": "benchmark_clinician",
        "group_ids": [
            Command.set(
                [
                    env.ref("beauty_customer_profile.beauty_customer_profile_group_clinician").id,
                    env.ref("base.group_system").id,
                ]
            )
        ],
    }
)
partners = env["res.partner"].create(
    [
        {"name": f"Bench {i}", "beauty_is_customer": True, "phone": f"+86 138 {20000000 + i}"}
        for i in range(FORMS)
    ]
)
env["beauty.consent"].create([{"partner_id": p.id, "purpose": "health"} for p in partners])
profiles = env["beauty.health.profile"].create(
    [
        {"partner_id": p.id, "pregnancy_status": "no", **dict.fromkeys(FIELDS, TEXT)}
        for p in partners
    ]
)
env.flush_all()
base_spec = {
    "partner_id": {"fields": {"display_name": {}}},
    "pregnancy_status": {},
    "has_alert": {},
}
encrypted_spec = {**base_spec, **{name: {} for name in FIELDS}}
plain_spec = {**base_spec, **{f"{name}_enc": {} for name in FIELDS}}
Profile = env["beauty.health.profile"].with_user(user)


def measure(spec):
    env.invalidate_all()
    start = time.perf_counter()
    queries = env.cr.sql_log_count
    for profile_id in profiles.ids:
        # A form opens one record in a fresh request: nothing else prefetched or cached.
        env.invalidate_all()
        env.cr.cache.pop("beauty_access_logged", None)
        Profile.browse(profile_id).web_read(spec)
    return time.perf_counter() - start, env.cr.sql_log_count - queries


measure(encrypted_spec), measure(plain_spec)  # warm-up
encrypted, plain = [], []
for _round in range(ROUNDS):
    encrypted.append(measure(encrypted_spec))
    plain.append(measure(plain_spec))
t_enc = statistics.median(t for t, _q in encrypted)
t_plain = statistics.median(t for t, _q in plain)
print(f"forms per round: {FORMS}, rounds: {ROUNDS}")
print(
    f"encrypted form read: {t_enc * 1000 / FORMS:.2f} ms, queries {encrypted[0][1] / FORMS:.1f} per form"
)
print(
    f"plain form read:     {t_plain * 1000 / FORMS:.2f} ms, queries {plain[0][1] / FORMS:.1f} per form"
)
print(f"ratio encrypted/plain: {t_enc / t_plain:.3f} (target <= 1.1)")
env.cr.rollback()
