"""Benchmark: syncing a paid POS order that redeems one session of a course card, against
the same order without the redemption. Run with scripts/benchmark pos_card_sync.

Both orders are sent by the same cashier (a Point of Sale user with no salon role) through
`pos.order.sync_from_ui`, as a till does: one line of a facial at price 0, paid 0; the
redeeming order links the line to the card line (guarded UPDATE, ledger line). The two
kinds run in pairs, in alternating order, caches cold for each sync; times are medians
over the pairs and queries are counted per sync. Everything is rolled back at the end.
"""

import statistics
import time
import uuid

from odoo import fields
from odoo.fields import Command

PAIRS = 200

env = env  # noqa: F821, PLW0127 - provided by `odoo shell`
cashier = env["res.users"].create(
    {
        "name": "Benchmark cashier",
        "login": "benchmark_cashier",
        "group_ids": [
            Command.set([env.ref("base.group_user").id, env.ref("point_of_sale.group_pos_user").id])
        ],
    }
)
journal = env["account.journal"].create({"name": "Bench cash", "type": "cash", "code": "BCH"})
cash = env["pos.payment.method"].create(
    {"name": "Bench cash", "journal_id": journal.id, "is_cash_count": True}
)
config = env["pos.config"].create(
    {"name": "Bench till", "payment_method_ids": [Command.set(cash.ids)]}
)
config.with_user(cashier).open_ui()
session = config.current_session_id
customer = env["res.partner"].create(
    {"name": "Bench customer", "beauty_is_customer": True, "phone": "+86 138 30000000"}
)
facial = env["product.product"].create(
    {"name": "Bench facial", "type": "service", "list_price": 400, "available_in_pos": True}
)
card = env["beauty.package.card"].create(
    {
        "partner_id": customer.id,
        "line_ids": [
            Command.create(
                {"product_id": facial.id, "total": 10000, "remaining": 10000, "unit_value": 300}
            )
        ],
    }
)
card_line = card.line_ids
env.flush_all()
Order = env["pos.order"].with_user(cashier)


def payload(redeem):
    line = {
        "product_id": facial.id,
        "qty": 1,
        "price_unit": 0.0,
        "price_subtotal": 0.0,
        "price_subtotal_incl": 0.0,
        "tax_ids": [],
        "uuid": str(uuid.uuid4()),
    }
    if redeem:
        line["beauty_package_card_line_id"] = card_line.id
    order_uuid = str(uuid.uuid4())
    return {
        "uuid": order_uuid,
        "name": f"Bench {order_uuid[:8]}",
        "session_id": session.id,
        "partner_id": customer.id,
        "date_order": fields.Datetime.to_string(fields.Datetime.now()),
        "pricelist_id": config.pricelist_id.id,
        "fiscal_position_id": False,
        "amount_total": 0.0,
        "amount_tax": 0.0,
        "amount_paid": 0.0,
        "amount_return": 0.0,
        "lines": [Command.create(line)],
        "payment_ids": [],
        "state": "paid",
        "user_id": cashier.id,
        "last_order_preparation_change": "{}",
    }


def measure(redeem):
    data = payload(redeem)
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    Order.sync_from_ui([data])
    env.flush_all()
    return time.perf_counter() - start, env.cr.sql_log_count - queries


for _warm in range(5):
    measure(True), measure(False)
redeem, plain = [], []
for pair in range(PAIRS):
    if pair % 2:
        redeem.append(measure(True))
        plain.append(measure(False))
    else:
        plain.append(measure(False))
        redeem.append(measure(True))
card_line.invalidate_recordset()
assert card_line.remaining == 10000 - PAIRS - 5, card_line.remaining
t_redeem = statistics.median(t for t, _q in redeem)
t_plain = statistics.median(t for t, _q in plain)
q_redeem = statistics.median(q for _t, q in redeem)
q_plain = statistics.median(q for _t, q in plain)
ratios = sorted(r[0] / p[0] for r, p in zip(redeem, plain, strict=True))
print(f"pairs: {PAIRS} (after 5 warm-up pairs), one order per sync_from_ui, as a POS user")
print(f"order with one redemption: {t_redeem * 1000:.2f} ms, {q_redeem:.0f} queries (median)")
print(f"same order, no redemption: {t_plain * 1000:.2f} ms, {q_plain:.0f} queries (median)")
print(
    f"time ratio redemption/plain: {t_redeem / t_plain:.3f} (median of pair ratios "
    f"{statistics.median(ratios):.3f}, p90 {ratios[int(len(ratios) * 0.9)]:.3f}; target <= 1.3)"
)
print(f"extra queries: {q_redeem - q_plain:.0f} (target <= 8)")
env.cr.rollback()
