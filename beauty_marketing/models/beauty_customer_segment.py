from odoo import fields, models
from odoo.tools import SQL

from .res_partner_segment import LIFECYCLES, SCORES, VALUE_CLASSES


class BeautyCustomerSegment(models.Model):
    """The segment of one customer: RFM scores, lifecycle and value class, written by the
    nightly computation only (``res.partner._beauty_recompute_segments``).

    It lives in a narrow table of its own rather than in columns of res_partner: the night
    rewrites thousands of segments, and a row of res_partner carries dozens of indexes that
    each such write would update; here no value column is indexed, so that an update stays
    in its page (a HOT update) and touches no index. The customer shows the values through
    related fields (``beauty_lifecycle``, ...), which filter, group, sort and work in domains
    like stored fields.
    """

    _name = "beauty.customer.segment"
    _description = "Customer segment"
    _log_access = False
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(
        "res.company",
        string="Segment store",
        required=True,
        readonly=True,
        help="The store whose customers she is ranked with and whose periods apply: her own "
        "store, or the main company for a customer shared by all stores.",
    )
    recency_score = fields.Selection(
        SCORES,
        string="Recency score",
        readonly=True,
        help="5 for the customers of the store who came most recently, 1 for the longest "
        "absent (fifths of the store's customers). Empty: never came.",
    )
    frequency_score = fields.Selection(
        SCORES,
        string="Frequency score",
        readonly=True,
        help="Visits over the last 12 months, in fifths of the store's customers who came "
        "(5: the most frequent); 1 without a visit in 12 months.",
    )
    monetary_score = fields.Selection(
        SCORES,
        string="Spend score",
        readonly=True,
        help="Net POS spend over the last 12 months, in fifths of the store's customers who "
        "spent (5: the highest); 1 without spend in 12 months.",
    )
    lifecycle = fields.Selection(
        LIFECYCLES,
        required=True,
        readonly=True,
        help="New: first visit within the new-customer period. Then by days since the last "
        "visit (or since the archive was opened, for a customer who never came): active, at "
        "risk, dormant (沉睡), lost. The periods are set per store in the settings.",
    )
    value_class = fields.Selection(
        VALUE_CLASSES,
        string="Value class",
        required=True,
        readonly=True,
        help="VIP: top spend and frequency scores (5 and at least 4); gold: spend score 4 or "
        "more; silver: 3; regular: the others who came; potential: never came.",
    )
    date = fields.Date(
        string="Segment changed on",
        required=True,
        readonly=True,
        help="The day the nightly computation last changed one of her segment values.",
    )

    _partner_unique = models.Constraint("UNIQUE(partner_id)", "A customer has one segment.")

    def init(self):
        # The night rewrites segment values in place: room left in each page lets PostgreSQL
        # update a row there without touching the indexes (no indexed column changes).
        self.env.cr.execute(
            SQL("ALTER TABLE %s SET (fillfactor = 70)", SQL.identifier(self._table))
        )
