from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

MANAGER = "beauty_customer_profile.beauty_customer_profile_group_manager"
# Written only by the complaint's own steps (respond, solve, cancel, compensate, escalate).
OWNED_FIELDS = {
    "state",
    "date_responded",
    "date_solved",
    "response_escalated",
    "solution_escalated",
    "compensation_move_id",
}
# What the deadlines follow (kind, when received) and the deadlines themselves: after
# creation, a manager's correction only (a praise is never escalated).
MANAGED_FIELDS = {"kind", "date", "response_deadline", "solution_deadline"}
# Set on the cursor (never in a context, which any RPC call may fill) while a step of the
# complaint writes the fields it owns.
OWNED_WRITE = "beauty_complaint_owned_write"


class BeautyComplaint(models.Model):
    """Customer feedback (投诉, suggestions and praise), with a response and a solution
    deadline taken from the store's settings; a cron escalates missed deadlines to the
    manager."""

    _name = "beauty.complaint"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Feedback and complaint"
    _order = "date desc, id desc"

    name = fields.Char(string="Subject", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", string="Store", required=True, default=lambda self: self.env.company
    )
    record_id = fields.Many2one(
        "beauty.treatment.record",
        string="Treatment record",
        domain="[('partner_id', '=', partner_id)]",
    )
    therapist_id = fields.Many2one("hr.employee", tracking=True)
    product_id = fields.Many2one("product.product", string="Product concerned")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Product lot",
        domain="[('product_id', '=?', product_id)]",
        help="The lot of the product the complaint is about, to trace other customers.",
    )
    user_id = fields.Many2one(
        "res.users", string="Handled by", default=lambda self: self.env.user, tracking=True
    )
    kind = fields.Selection(
        [("praise", "Praise"), ("suggestion", "Suggestion"), ("complaint", "Complaint")],
        required=True,
        default="complaint",
        tracking=True,
    )
    severity = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")],
        default="medium",
        tracking=True,
    )
    description = fields.Text(string="What the customer said")
    date = fields.Datetime(string="Received", required=True, default=fields.Datetime.now)
    response_deadline = fields.Datetime(
        string="Respond by", compute="_compute_deadlines", store=True, readonly=False
    )
    solution_deadline = fields.Datetime(
        string="Solve by", compute="_compute_deadlines", store=True, readonly=False
    )
    date_responded = fields.Datetime(string="Responded on", readonly=True, copy=False)
    date_solved = fields.Datetime(string="Solved on", readonly=True, copy=False)
    state = fields.Selection(
        [
            ("new", "New"),
            ("responded", "Responded"),
            ("solved", "Solved"),
            ("cancelled", "Cancelled"),
        ],
        default="new",
        required=True,
        tracking=True,
    )
    resolution = fields.Text()
    compensation = fields.Text()
    follow_up_date = fields.Date(string="Follow-up visit", tracking=True)
    compensation_line_id = fields.Many2one(
        "beauty.package.card.line",
        string="Card for free sessions",
        domain="[('card_id.partner_id', '=', partner_id), "
        "('card_id.state', 'in', ('active', 'frozen', 'used_up'))]",
    )
    compensation_sessions = fields.Integer(string="Free sessions", default=1)
    compensation_move_id = fields.Many2one(
        "beauty.package.card.move", string="Sessions added", readonly=True, copy=False
    )
    response_escalated = fields.Boolean(readonly=True, copy=False)
    solution_escalated = fields.Boolean(readonly=True, copy=False)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")

    # -- CRUD -----------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            manager = self.env.user.has_group(MANAGER)
            now = fields.Datetime.now()
            for vals in vals_list:
                owned = {
                    fname
                    for fname in vals.keys() & OWNED_FIELDS
                    if vals[fname] and not (fname == "state" and vals[fname] == "new")
                }
                if owned:
                    raise UserError(self._beauty_owned_message(owned))
                if not manager:
                    # The deadlines follow the store's settings.
                    vals.pop("response_deadline", None)
                    vals.pop("solution_deadline", None)
                    if vals.get("date") and fields.Datetime.to_datetime(vals["date"]) > now:
                        raise UserError(self.env._("A complaint cannot be received in the future."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and not self.env.cr.cache.get(OWNED_WRITE):
            owned = vals.keys() & OWNED_FIELDS
            if owned:
                raise UserError(self._beauty_owned_message(owned))
            if vals.keys() & MANAGED_FIELDS and not self.env.user.has_group(MANAGER):
                raise UserError(
                    self.env._(
                        "Only a manager can change the kind of a complaint, when it was "
                        "received or its deadlines."
                    )
                )
        return super().write(vals)

    def _beauty_owned_message(self, fnames):
        labels = ", ".join(
            sorted(self._fields[fname]._description_string(self.env) for fname in fnames)
        )
        return self.env._(
            "%s change only through the complaint's buttons and its escalation, not by hand.",
            labels,
        )

    def _beauty_write_owned(self, vals):
        """Write fields the complaint's own steps own, with the user's rights."""
        self.env.cr.cache[OWNED_WRITE] = True
        try:
            return self.write(vals)
        finally:
            self.env.cr.cache.pop(OWNED_WRITE, None)

    @api.onchange("record_id")
    def _onchange_record_id(self):
        if self.record_id:
            self.therapist_id = self.record_id.therapist_id

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id:
            self.product_id = self.lot_id.product_id

    @api.depends("date", "kind", "company_id")
    def _compute_deadlines(self):
        for complaint in self:
            company = complaint.company_id or self.env.company
            if complaint.kind != "complaint" or not complaint.date:
                complaint.response_deadline = complaint.solution_deadline = False
                continue
            complaint.response_deadline = complaint.date + timedelta(
                hours=company.beauty_complaint_response_hours
            )
            complaint.solution_deadline = complaint.date + timedelta(
                hours=company.beauty_complaint_solution_hours
            )

    def _compute_is_overdue(self):
        overdue = self.filtered_domain(self._overdue_domain())
        for complaint in self:
            complaint.is_overdue = complaint in overdue

    def _search_is_overdue(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        domain = self._overdue_domain()
        if (operator == "in") != (True in value):
            return ["!", *domain]
        return domain

    @api.model
    def _overdue_domain(self):
        now = fields.Datetime.now()
        return [
            "|",
            "&",
            ("state", "=", "new"),
            ("response_deadline", "<", now),
            "&",
            ("state", "in", ["new", "responded"]),
            ("solution_deadline", "<", now),
        ]

    def action_respond(self):
        self.ensure_one()
        if self.state != "new":
            raise UserError(self.env._("Only a new complaint can be marked as responded."))
        self._beauty_write_owned({"state": "responded", "date_responded": fields.Datetime.now()})

    def action_solve(self):
        self.ensure_one()
        if self.state not in ("new", "responded"):
            raise UserError(self.env._("This complaint is already closed."))
        if not self.resolution:
            raise UserError(self.env._("Write down the resolution before closing the complaint."))
        now = fields.Datetime.now()
        self._beauty_write_owned(
            {
                "state": "solved",
                "date_solved": now,
                "date_responded": self.date_responded or now,
            }
        )

    def action_add_free_sessions(self):
        """Compensate with free sessions on one of the customer's package cards (manager)."""
        self.ensure_one()
        if not self.env.user.has_group(MANAGER):
            raise AccessError(self.env._("Only a manager can add free sessions to a card."))
        line = self.compensation_line_id
        if not line:
            raise UserError(self.env._("Choose the card that gets the free sessions."))
        if line.card_id.partner_id != self.partner_id:
            raise UserError(self.env._("The card must belong to the customer who complained."))
        if self.compensation_sessions < 1:
            raise UserError(self.env._("Enter how many free sessions to add: at least one."))
        # Lock the complaint and read the compensation from the row itself, so a second click
        # (or a second manager) waits here and then finds the sessions already added.
        self.env.cr.execute(
            SQL(
                "SELECT compensation_move_id FROM beauty_complaint WHERE id = %s FOR UPDATE",
                self.id,
            )
        )
        if self.env.cr.fetchone()[0]:
            self.invalidate_recordset(["compensation_move_id"])
            raise UserError(self.env._("The free sessions of this complaint were already added."))
        move = line._add_sessions(
            self.compensation_sessions,
            self.env._("Compensation for complaint: %s", self.name),
        )
        self._beauty_write_owned(
            {
                "compensation_move_id": move.id,
                "compensation": "\n".join(
                    filter(
                        None,
                        [
                            self.compensation,
                            self.env._(
                                "%(count)s free session(s) of %(treatment)s on card %(card)s",
                                count=self.compensation_sessions,
                                treatment=line.product_id.display_name,
                                card=line.card_id.number,
                            ),
                        ],
                    )
                ),
            }
        )
        return True

    def action_schedule_follow_up(self):
        """A task for the handler to call or see the customer on the follow-up date."""
        self.ensure_one()
        if not self.follow_up_date:
            raise UserError(self.env._("Set the date of the follow-up visit first."))
        self.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=self.follow_up_date,
            summary=self.env._("Complaint follow-up: %s", self.name),
            user_id=(self.user_id or self.env.user).id,
        )
        return True

    def action_cancel(self):
        self.ensure_one()
        self._beauty_write_owned({"state": "cancelled"})

    # -- escalation ------------------------------------------------------------------------
    @api.model
    def _escalation_user(self, company):
        if company.beauty_complaint_manager_id:
            return company.beauty_complaint_manager_id
        group = self.env.ref("beauty_customer_profile.beauty_customer_profile_group_manager")
        return self.env["res.users"].search(
            [
                ("group_ids", "in", group.id),
                ("company_ids", "in", company.id),
                ("share", "=", False),
            ],
            limit=1,
            order="id",
        )

    @api.model
    def _cron_escalate(self):
        """Give the manager a task for every complaint whose response or solution deadline
        passed; each deadline is escalated once."""
        now = fields.Datetime.now()
        late_response = self.env._("Complaint not responded in time")
        late_solution = self.env._("Complaint not solved in time")
        stages = [
            ("response_escalated", [("state", "=", "new"), ("response_deadline", "<", now)]),
            (
                "solution_escalated",
                [("state", "in", ["new", "responded"]), ("solution_deadline", "<", now)],
            ),
        ]
        summaries = {"response_escalated": late_response, "solution_escalated": late_solution}
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        for flag, domain in stages:
            complaints = self.search([("kind", "=", "complaint"), (flag, "=", False), *domain])
            if not complaints:
                continue
            managers = {
                company: self._escalation_user(company) for company in complaints.company_id
            }
            self.env["mail.activity"].create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": complaint.id,
                        "activity_type_id": activity_type.id,
                        "summary": summaries[flag],
                        "user_id": (managers[complaint.company_id] or self.env.user).id,
                        "date_deadline": fields.Date.context_today(self),
                    }
                    for complaint in complaints
                ]
            )
            complaints._beauty_write_owned({flag: True})
