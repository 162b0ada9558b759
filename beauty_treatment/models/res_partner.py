from datetime import timedelta

from odoo import api, fields, models

FRONT_DESK = "beauty_customer_profile.beauty_customer_profile_group_front_desk"


class ResPartner(models.Model):
    _inherit = "res.partner"

    beauty_last_visit_date = fields.Date(
        string="Last visit", readonly=True, copy=False, groups=FRONT_DESK
    )
    beauty_next_visit_due = fields.Date(
        string="Next session due",
        compute="_compute_beauty_next_visit_due",
        store=True,
        help="The earliest date a treatment's care cycle calls the customer back.",
        groups=FRONT_DESK,
    )
    beauty_care_due_ids = fields.One2many(
        "beauty.care.due", "partner_id", string="Sessions due", groups=FRONT_DESK
    )
    beauty_booking_ids = fields.One2many(
        "beauty.booking", "partner_id", string="Bookings", groups=FRONT_DESK
    )
    beauty_no_show_count = fields.Integer(
        string="No-shows", compute="_compute_beauty_no_show_count", store=True, groups=FRONT_DESK
    )

    beauty_booking_count = fields.Integer(
        string="Booking count", compute="_compute_beauty_booking_count", groups=FRONT_DESK
    )

    @api.model
    def _load_pos_data_fields(self, config):
        # The flag only: allergies and contraindications stay out of the Point of Sale.
        return [*super()._load_pos_data_fields(config), "beauty_health_alert"]

    def _compute_beauty_booking_count(self):
        counts = dict(
            self.env["beauty.booking"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.beauty_booking_count = counts.get(partner, 0)

    def action_beauty_open_bookings(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "beauty_treatment.beauty_booking_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_beauty_open_treatment_records(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "beauty_treatment.beauty_treatment_record_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    @api.depends("beauty_care_due_ids.date_due")
    def _compute_beauty_next_visit_due(self):
        for partner in self:
            dates = partner.beauty_care_due_ids.mapped("date_due")
            partner.beauty_next_visit_due = min(dates) if dates else False

    @api.depends("beauty_booking_ids.state")
    def _compute_beauty_no_show_count(self):
        counts = dict(
            self.env["beauty.booking"]
            .sudo()
            ._read_group(
                [("partner_id", "in", self.ids), ("state", "=", "no_show")],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.beauty_no_show_count = counts.get(partner, 0)

    def _beauty_update_visits(self):
        """Recompute last visit and next sessions due from the finished treatment records.

        Written as superuser: therapists finish records but do not manage the care-due
        table; only the dates derived from the records are written.
        """
        last_done = self.env["beauty.treatment.record"]._beauty_last_done(self)
        CareDue = self.env["beauty.care.due"].sudo()
        existing = {
            (due.partner_id.id, due.treatment_id.id): due
            for due in CareDue.search([("partner_id", "in", self.ids)])
        }
        treatments = self.env["product.product"].browse({t for _p, t in last_done})
        cycle = {t.id: t.beauty_care_cycle_days for t in treatments}
        to_create = []
        for (partner_id, treatment_id), when in last_done.items():
            days = cycle[treatment_id]
            due = existing.pop((partner_id, treatment_id), CareDue)
            if not days:
                due.unlink()
                continue
            day = fields.Datetime.context_timestamp(self, when).date()
            vals = {"date_last": day, "date_due": day + timedelta(days=days)}
            if due:
                due.write(vals)
            else:
                to_create.append({"partner_id": partner_id, "treatment_id": treatment_id, **vals})
        CareDue.create(to_create)
        CareDue.browse([due.id for due in existing.values()]).unlink()
        for partner in self:
            dates = [when for (p, _t), when in last_done.items() if p == partner.id]
            partner.sudo().beauty_last_visit_date = (
                fields.Datetime.context_timestamp(self, max(dates)).date() if dates else False
            )
