"""Benchmark: opening a health profile form with encryption at rest, against the same form
with the same fields unencrypted. Run with scripts/benchmark encrypted_form.

Honest baseline: the same model, form spec, fields (same groups), user (a clinician, no
other group) and text. The only difference is encryption: the baseline profiles hold the
plaintext in the very same columns and, while the baseline is measured, the encrypted field
class reads like Odoo's plain ``Text`` field (its two read-path methods are Text's). The access log is written on both sides.
Each form is one web_read of one record with every cache cold, as the web client does.
Measurements are paired: each form is opened encrypted then plain (or the other way round,
alternating), for every form of every round. The script prints the min and median of the
per-round ratios (wall clock, and CPU time of the Odoo process) and the ratio of the best
time seen for each form, which the other processes of a busy machine disturb least. Everything is rolled back at the end.
"""

import gc
import statistics
import time

from odoo import fields
from odoo.fields import Command
from odoo.tools import SQL

FIELDS = [
    "contraindication_notes",
    "chronic_conditions",
    "medication",
    "menstrual_notes",
    "implants_fillers",
]
TEXT = "高血压，每日服用氨氯地平 5mg；2023 年玻尿酸填充（唇部）。" * 4
ROUNDS, FORMS = 30, 50

env = env  # noqa: F821, PLW0127 - provided by `odoo shell`
user = env["res.users"].create(
    {
        "name": "Benchmark clinician",
        "login": "benchmark_clinician",
        "group_ids": [
            Command.set(
                [env.ref("beauty_customer_profile.beauty_customer_profile_group_clinician").id]
            )
        ],
    }
)
partners = env["res.partner"].create(
    [
        {"name": f"Bench {i}", "beauty_is_customer": True, "phone": f"+86 138 {20000000 + i}"}
        for i in range(2 * FORMS)
    ]
)
env["beauty.consent"].create([{"partner_id": p.id, "purpose": "health"} for p in partners])
profiles = env["beauty.health.profile"].create(
    [
        {"partner_id": p.id, "pregnancy_status": "no", **dict.fromkeys(FIELDS, TEXT)}
        for p in partners
    ]
)
encrypted_ids, plain_ids = profiles.ids[:FORMS], profiles.ids[FORMS:]
env.flush_all()
# The baseline profiles: the same text, in the same columns, unencrypted.
env.cr.execute(
    SQL(
        "UPDATE beauty_health_profile SET %s WHERE id IN %s",
        SQL(", ").join(SQL("%s = %s", SQL.identifier(name), TEXT) for name in FIELDS),
        tuple(plain_ids),
    )
)
spec = {
    "partner_id": {"fields": {"display_name": {}}},
    "pregnancy_status": {},
    "has_alert": {},
    **{name: {} for name in FIELDS},
}
Profile = env["beauty.health.profile"].with_user(user)
encrypted_class = type(Profile._fields[FIELDS[0]])
READ_PATH = ("_insert_cache", "convert_to_record")


def use_plain_text(plain):
    for method in READ_PATH:
        if plain:
            setattr(encrypted_class, method, getattr(fields.Text, method))
        elif method in vars(encrypted_class):
            delattr(encrypted_class, method)


def open_form(profile_id, plain):
    """One form opening in a fresh request: (wall-clock seconds, CPU seconds, queries)."""
    use_plain_text(plain)
    env.invalidate_all()
    env.cr.cache.pop("beauty_access_logged", None)
    queries = env.cr.sql_log_count
    cpu, wall = time.process_time(), time.perf_counter()
    values = Profile.browse(profile_id).web_read(spec)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    use_plain_text(False)
    assert values[0]["medication"] == TEXT, values
    return wall, cpu, env.cr.sql_log_count - queries


pairs = list(zip(encrypted_ids, plain_ids, strict=True))
for encrypted_id, plain_id in pairs:  # warm-up
    open_form(encrypted_id, False), open_form(plain_id, True)
# best[side][form] = fastest wall-clock time seen; rounds[side] = per-round totals
best = {False: [float("inf")] * FORMS, True: [float("inf")] * FORMS}
rounds = {False: [], True: []}
cpu_rounds = {False: [], True: []}
queries = {}
for round_ in range(ROUNDS):
    gc.collect()
    totals = {False: 0.0, True: 0.0}
    cpu_totals = {False: 0.0, True: 0.0}
    for index, ids in enumerate(pairs):
        # paired: the same form encrypted and plain back to back, the order alternating
        order = (False, True) if (round_ + index) % 2 else (True, False)
        for plain in order:
            wall, cpu, queries[plain] = open_form(ids[plain], plain)
            best[plain][index] = min(best[plain][index], wall)
            totals[plain] += wall
            cpu_totals[plain] += cpu
    for plain in (False, True):
        rounds[plain].append(totals[plain])
        cpu_rounds[plain].append(cpu_totals[plain])

ratios = [e / p for e, p in zip(rounds[False], rounds[True], strict=True)]
cpu_ratios = [e / p for e, p in zip(cpu_rounds[False], cpu_rounds[True], strict=True)]
print(
    f"forms: {FORMS} pairs x {ROUNDS} rounds, queries per form: {queries[False]} / {queries[True]}"
)
for label, plain in (("encrypted", False), ("plain", True)):
    print(
        f"{label:>9} form read: median {statistics.median(rounds[plain]) * 1000 / FORMS:.3f} ms,"
        f" best {sum(best[plain]) * 1000 / FORMS:.3f} ms"
    )
print(
    f"ratio encrypted/plain, wall clock per round: min {min(ratios):.3f}, "
    f"median {statistics.median(ratios):.3f}"
)
print(
    f"ratio encrypted/plain, CPU time per round:   min {min(cpu_ratios):.3f}, "
    f"median {statistics.median(cpu_ratios):.3f}"
)
print(f"ratio of the best times per form: {sum(best[False]) / sum(best[True]):.3f} (target <= 1.1)")
env.cr.rollback()
