"""Benchmark data: 100,000 customers and 1,000,000 visits written straight into the real
tables (res_partner, beauty_treatment_record, pos_order, beauty_consent) by a handful of
set-based statements, in about a minute. Deterministic (seeded).

Visits: 60 % finished treatment records, 40 % paid POS orders (one in twenty a refund),
spread over three years with more recent visits than old ones (a density falling linearly
with age: about 1,800 visits on a recent day), and a few customers far
busier than the others; each is written (write date) when it happened. ``add_day`` adds one
day of new visits, written now, as a shop's day would. Customers get a birthday, e-mail and phone, and two in three consent
to marketing by SMS and e-mail, so that the reminder engine has real work.

Used by tests/benchmarks/segments.py (scripts/benchmark segments); from an ``odoo shell``:
``generate(env)``. Nothing is committed here: the caller commits.
"""

from odoo import fields
from odoo.fields import Command
from odoo.tools import SQL

MARKER = "BENCH-"
# The columns the benchmark writes of a treatment record and of a POS order.
INSERT_RECORDS = SQL(
    "INSERT INTO beauty_treatment_record (name, company_id, partner_id, treatment_id, "
    "therapist_id, date, state, duration, price, skin_reaction, create_uid, create_date, "
    "write_uid, write_date)"
)
INSERT_ORDERS = SQL(
    "INSERT INTO pos_order (name, company_id, session_id, config_id, partner_id, date_order, "
    "state, amount_total, amount_tax, amount_paid, amount_return, uuid, pricelist_id, "
    "currency_rate, create_uid, create_date, write_uid, write_date)"
)


def bench_customer_count(env):
    env.cr.execute("SELECT COUNT(*) FROM res_partner WHERE ref LIKE %s", [MARKER + "%"])
    return env.cr.fetchone()[0]


def _fixtures(env):
    """The few records the rows point to, made through the ORM."""
    company = env.company
    company.partner_id.tz = company.partner_id.tz or "Asia/Shanghai"
    therapist = env["hr.employee"].create(
        {"name": "Benchmark therapist", "beauty_is_therapist": True, "company_id": company.id}
    )
    treatment = env["product.product"].create(
        {
            "name": "Benchmark facial",
            "type": "service",
            "beauty_is_treatment": True,
            "list_price": 300,
            "taxes_id": False,
        }
    )
    journal = env["account.journal"].create(
        {"name": "Benchmark till cash", "type": "cash", "code": "BNCH"}
    )
    cash = env["pos.payment.method"].create(
        {"name": "Benchmark till cash", "journal_id": journal.id, "is_cash_count": True}
    )
    config = env["pos.config"].create(
        {"name": "Benchmark till", "payment_method_ids": [Command.set(cash.ids)]}
    )
    # Opening a till takes a POS user: the administrator.
    config.with_user(env.ref("base.user_admin")).open_ui()
    return company, therapist, treatment, config


def generate(env, customers=100_000, visits=1_000_000):
    """Write the customers and their visits; returns (customers, treatment records, orders)."""
    cr = env.cr
    company, therapist, treatment, config = _fixtures(env)
    env.flush_all()
    now = fields.Datetime.now()
    cr.execute("SELECT setseed(0.42)")
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner
                   (name, complete_name, ref, beauty_customer_number, active, type,
                    is_company, company_id, lang, tz, email, email_normalized, phone,
                    phone_sanitized, beauty_is_customer, beauty_archive_date, beauty_birthday,
                    autopost_bills, partner_share, color,
                    create_uid, create_date, write_uid, write_date)
            SELECT '顾客 ' || n, '顾客 ' || n, %(marker)s || n, 'BM' || LPAD(n::text, 7, '0'),
                   TRUE, 'contact', FALSE, %(company)s, 'en_US', 'Asia/Shanghai',
                   'bench' || n || '@example.com', 'bench' || n || '@example.com',
                   '+86 139 ' || LPAD(n::text, 8, '0'), '+86139' || LPAD(n::text, 8, '0'),
                   TRUE,
                   (%(now)s - (FLOOR(RANDOM() * 1460) || ' days')::interval)::date,
                   CASE WHEN RANDOM() < 0.8
                        THEN DATE '1960-01-01' + FLOOR(RANDOM() * 16000)::int END,
                   'ask', TRUE, 0,
                   %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM generate_series(1, %(customers)s) n
            """,
            marker=MARKER,
            company=company.id,
            now=now,
            uid=env.uid,
            customers=customers,
        )
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE ref LIKE %s",
        [MARKER + "%"],
    )
    cr.execute("SELECT MIN(id), MAX(id) FROM res_partner WHERE ref LIKE %s", [MARKER + "%"])
    first_id, last_id = cr.fetchone()
    # Consents: copy the version and channel of one made through the ORM.
    templates = env["beauty.consent"].create(
        [
            {"partner_id": first_id, "purpose": purpose}
            for purpose in ("personal", "marketing_sms", "marketing_email")
        ]
    )
    env.flush_all()
    cr.execute(
        SQL(
            """
            INSERT INTO beauty_consent
                   (partner_id, company_id, version_id, purpose, channel, date_granted,
                    create_uid, create_date, write_uid, write_date)
            SELECT p.id, t.company_id, t.version_id, t.purpose, t.channel,
                   p.beauty_archive_date, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM res_partner p
              JOIN beauty_consent t ON t.id = ANY(%(templates)s)
             WHERE p.ref LIKE %(like)s AND p.id <> %(first)s AND p.id %% 3 <> 0
            """,
            uid=env.uid,
            now=now,
            templates=templates.ids,
            like=MARKER + "%",
            first=first_id,
        )
    )
    span = last_id - first_id + 1
    n_records = visits * 6 // 10
    n_orders = visits - n_records
    cr.execute(
        SQL(
            """
            %(insert_records)s
            SELECT 'BTR' || n, %(company)s,
                   %(first)s + FLOOR(%(span)s * POWER(RANDOM(), 1.6))::int,
                   %(treatment)s, %(therapist)s, at, 'done', 1.0, 300, 'none',
                   %(uid)s, at, %(uid)s, at
              FROM (
                    SELECT n, %(now)s - (FLOOR(1095 * (1 - SQRT(RANDOM()))) || ' days')::interval
                                      - (FLOOR(RANDOM() * 10) || ' hours')::interval AS at
                      FROM generate_series(1, %(count)s) n
                   ) r
            """,
            company=company.id,
            first=first_id,
            span=span,
            treatment=treatment.id,
            therapist=therapist.id,
            now=now,
            uid=env.uid,
            count=n_records,
            insert_records=INSERT_RECORDS,
        )
    )
    cr.execute(
        SQL(
            """
            %(insert_orders)s
            SELECT 'Benchmark/' || n, %(company)s, %(session)s, %(config)s,
                   %(first)s + FLOOR(%(span)s * POWER(RANDOM(), 1.6))::int, at,
                   'paid', amount, 0, amount, 0, 'bench-' || n, %(pricelist)s, 1,
                   %(uid)s, at, %(uid)s, at
              FROM (
                    SELECT n, CASE WHEN RANDOM() < 0.05 THEN -1 ELSE 1 END
                              * (50 + FLOOR(RANDOM() * 40) * 50) AS amount,
                           %(now)s - (FLOOR(1095 * (1 - SQRT(RANDOM()))) || ' days')::interval
                                   - (FLOOR(RANDOM() * 10) || ' hours')::interval AS at
                      FROM generate_series(1, %(count)s) n
                   ) o
            """,
            company=company.id,
            session=config.current_session_id.id,
            config=config.id,
            first=first_id,
            span=span,
            now=now,
            pricelist=config.pricelist_id.id or None,
            uid=env.uid,
            count=n_orders,
            insert_orders=INSERT_ORDERS,
        )
    )
    # What finishing the records through the ORM keeps on the customer.
    cr.execute(
        SQL(
            """
            UPDATE res_partner p SET beauty_last_visit_date = v.day
              FROM (SELECT partner_id,
                           MAX((date AT TIME ZONE 'UTC' AT TIME ZONE 'Asia/Shanghai')::date) AS day
                      FROM beauty_treatment_record
                     WHERE state = 'done' AND partner_id BETWEEN %(first)s AND %(last)s
                  GROUP BY partner_id) v
             WHERE p.id = v.partner_id
            """,
            first=first_id,
            last=last_id,
        )
    )
    for table in ("res_partner", "beauty_treatment_record", "pos_order", "beauty_consent"):
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    env.invalidate_all()
    return customers, n_records, n_orders


def add_day(env, visits=2_000):
    """Add one day of visits (60 % treatment records, 40 % paid orders) of random benchmark
    customers, over the last 23 hours, each written when it happened; returns the number of
    rows."""
    cr = env.cr
    cr.execute("SELECT MIN(id), MAX(id) FROM res_partner WHERE ref LIKE %s", [MARKER + "%"])
    first_id, last_id = cr.fetchone()
    now = fields.Datetime.now()
    tag = now.strftime("%Y%m%d%H%M%S")
    params = {
        "first": first_id,
        "span": last_id - first_id + 1,
        "now": now,
        "uid": env.uid,
        "tag": tag,
        "records": visits * 6 // 10,
        "orders": visits - visits * 6 // 10,
    }
    cr.execute(
        SQL(
            """
            %(insert_records)s
            SELECT 'BTR-' || %(tag)s || '-' || n, t.company_id,
                   %(first)s + FLOOR(%(span)s * RANDOM())::int, t.treatment_id, t.therapist_id,
                   at, 'done', 1.0, 300, 'none', %(uid)s, at, %(uid)s, at
              FROM (SELECT n, %(now)s - RANDOM() * INTERVAL '23 hours' AS at
                      FROM generate_series(1, %(records)s) n) d,
                   (SELECT * FROM beauty_treatment_record WHERE name LIKE 'BTR%%' LIMIT 1) t
            """,
            insert_records=INSERT_RECORDS,
            **params,
        )
    )
    cr.execute(
        SQL(
            """
            %(insert_orders)s
            SELECT 'Benchmark/' || %(tag)s || '/' || n, o.company_id, o.session_id,
                   o.config_id, %(first)s + FLOOR(%(span)s * RANDOM())::int, at, 'paid', 300, 0,
                   300, 0, 'bench-' || %(tag)s || '-' || n, o.pricelist_id, 1, %(uid)s, at,
                   %(uid)s, at
              FROM (SELECT n, %(now)s - RANDOM() * INTERVAL '23 hours' AS at
                      FROM generate_series(1, %(orders)s) n) d,
                   (SELECT * FROM pos_order WHERE name LIKE 'Benchmark/%%' LIMIT 1) o
            """,
            insert_orders=INSERT_ORDERS,
            **params,
        )
    )
    env.invalidate_all()
    return visits
