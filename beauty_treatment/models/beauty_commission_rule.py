from odoo import api, fields, models
from odoo.exceptions import ValidationError

THERAPIST_LEVELS = [
    ("junior", "Junior"),
    ("senior", "Senior"),
    ("expert", "Expert"),
]


class BeautyCommissionRule(models.Model):
    """How much a therapist earns for performing a treatment.

    A rule applies to one treatment, to a product category (and its sub-categories) or to
    every treatment, optionally for one therapist level only. The most specific rule wins:
    treatment before category (deeper category first) before catch-all, and a rule for the
    therapist's level before a rule for any level.
    """

    _name = "beauty.commission.rule"
    _description = "Commission rule"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", string="Store", required=True, default=lambda self: self.env.company
    )
    product_tmpl_id = fields.Many2one(
        "product.template",
        string="Treatment",
        ondelete="cascade",
        index=True,
        domain=[("beauty_is_treatment", "=", True)],
    )
    categ_id = fields.Many2one("product.category", string="Category", ondelete="cascade")
    therapist_level = fields.Selection(THERAPIST_LEVELS, help="Empty: any level.")
    amount_type = fields.Selection(
        [("fixed", "Fixed amount"), ("percentage", "Percentage of the price")],
        required=True,
        default="percentage",
    )
    amount = fields.Float(required=True, digits="Product Price")
    currency_id = fields.Many2one(related="company_id.currency_id")

    _amount_positive = models.Constraint("CHECK(amount >= 0)", "A commission cannot be negative.")
    _percentage_range = models.Constraint(
        "CHECK(amount_type != 'percentage' OR amount <= 100)",
        "A commission percentage cannot exceed 100.",
    )

    @api.constrains("product_tmpl_id", "categ_id")
    def _check_scope(self):
        for rule in self:
            if rule.product_tmpl_id and rule.categ_id:
                raise ValidationError(
                    self.env._(
                        "A commission rule applies to a treatment or to a category, not both."
                    )
                )

    @api.depends("product_tmpl_id", "categ_id", "therapist_level", "amount_type", "amount")
    def _compute_display_name(self):
        levels = dict(self._fields["therapist_level"]._description_selection(self.env))
        for rule in self:
            scope = (
                rule.product_tmpl_id.display_name
                or rule.categ_id.display_name
                or self.env._("All treatments")
            )
            level = levels.get(rule.therapist_level) or self.env._("any level")
            value = (
                f"{rule.amount:g}%"
                if rule.amount_type == "percentage"
                else f"{rule.amount:.2f} {rule.currency_id.symbol or ''}".strip()
            )
            rule.display_name = f"{scope} / {level}: {value}"

    def _specificity(self, product, level):
        """Sort key of a matching rule: bigger is more specific."""
        self.ensure_one()
        if self.product_tmpl_id:
            scope = 1000
        elif self.categ_id:
            scope = 100 + self.categ_id.parent_path.count("/")
        else:
            scope = 0
        return (scope, 1 if self.therapist_level else 0, -self.sequence, -self.id)

    def _matches(self, product, level, company):
        self.ensure_one()
        if self.company_id != company:
            return False
        if self.therapist_level and self.therapist_level != level:
            return False
        if self.product_tmpl_id:
            return self.product_tmpl_id == product.product_tmpl_id
        if self.categ_id:
            return f"/{self.categ_id.id}/" in f"/{product.categ_id.parent_path}"
        return True

    @api.model
    def _find_rule(self, product, level, company):
        """The rule applying to ``product`` done by a therapist of ``level`` (or empty)."""
        rules = self.search([("company_id", "=", company.id)]).filtered(
            lambda r: r._matches(product, level, company)
        )
        if not rules:
            return rules
        return max(rules, key=lambda r: r._specificity(product, level))

    def _commission(self, base_amount, quantity=1.0):
        """The commission this rule grants on a service worth ``base_amount``."""
        self.ensure_one()
        if self.amount_type == "fixed":
            return self.currency_id.round(self.amount * quantity)
        return self.currency_id.round(base_amount * self.amount / 100.0)
