"""Fixtures of the treatment tests: an always-open salon calendar in UTC, therapists,
rooms, treatments with consumables and safety rules, stock to take them from."""

from datetime import datetime

from odoo import Command

from odoo.addons.beauty_customer_profile.tests.common import BeautyCase

# A Monday: every test works on fixed dates with freeze_time.
MONDAY = datetime(2026, 3, 2)


class TreatmentCase(BeautyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.calendar = cls._calendar("Test salon hours", 8.0, 20.0)
        cls.therapist_a = cls._therapist("Therapist Anna", "senior")
        cls.therapist_b = cls._therapist("Therapist Bai", "junior")
        cls.room_1 = cls._room("Room 1")
        cls.room_2 = cls._room("Room 2")
        cls.warehouse = env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.mask = cls._consumable("Sheet mask")
        cls.serum = cls._consumable("Serum ampoule", tracking="lot")
        cls.serum_lot = env["stock.lot"].create(
            {"name": "SER-001", "product_id": cls.serum.id, "company_id": cls.company.id}
        )
        cls.categ_face = env["product.category"].create({"name": "Face care"})
        cls.categ_face_deep = env["product.category"].create(
            {"name": "Deep face care", "parent_id": cls.categ_face.id}
        )
        cls.facial = cls._treatment(
            "Hydrating facial",
            duration=1.0,
            cycle=14,
            price=400.0,
            categ=cls.categ_face,
            consumables=[(cls.mask, 1.0)],
        )
        cls.peel = cls._treatment(
            "Acid peel",
            duration=0.5,
            cycle=28,
            price=700.0,
            categ=cls.categ_face_deep,
            consumables=[(cls.mask, 1.0), (cls.serum, 2.0)],
            rules=[
                {"rule_type": "allergen", "allergen_kind": "cosmetic", "action": "block"},
                {
                    "rule_type": "contraindication",
                    "contraindication_id": env.ref(
                        "beauty_customer_profile.beauty_contraindication_pregnancy"
                    ).id,
                    "action": "block",
                },
                {"rule_type": "consent", "consent_purpose": "photo", "action": "block"},
                {
                    "rule_type": "contraindication",
                    "contraindication_id": env.ref(
                        "beauty_customer_profile.beauty_contraindication_photosensitive"
                    ).id,
                    "action": "warn",
                },
            ],
        )
        cls.customer = cls._customer("李娜")

    @classmethod
    def _calendar(cls, name, hour_from, hour_to):
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "tz": "UTC",
                "company_id": cls.company.id,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": "full_day",
                        }
                    )
                    for day in range(7)
                ],
            }
        )

    @classmethod
    def _therapist(cls, name, level="senior", user=None, calendar=True):
        return cls.env["hr.employee"].create(
            {
                "name": name,
                "user_id": user.id if user else False,
                "beauty_is_therapist": True,
                "beauty_therapist_level": level,
                "resource_calendar_id": cls.calendar.id if calendar else False,
                "tz": "UTC",
                "company_id": cls.company.id,
            }
        )

    @classmethod
    def _room(cls, name):
        return cls.env["resource.resource"].create(
            {
                "name": name,
                "resource_type": "material",
                "beauty_kind": "room",
                "calendar_id": cls.calendar.id,
                "tz": "UTC",
                "company_id": cls.company.id,
            }
        )

    @classmethod
    def _consumable(cls, name, tracking="none"):
        return cls.env["product.product"].create(
            {"name": name, "type": "consu", "is_storable": True, "tracking": tracking}
        )

    @classmethod
    def _treatment(cls, name, duration, cycle, price, categ, consumables=(), rules=()):
        template = cls.env["product.template"].create(
            {
                "name": name,
                "type": "service",
                "beauty_is_treatment": True,
                "beauty_duration": duration,
                "beauty_care_cycle_days": cycle,
                "list_price": price,
                "categ_id": categ.id,
                "beauty_consumable_ids": [
                    Command.create({"product_id": product.id, "quantity": qty})
                    for product, qty in consumables
                ],
                "beauty_rule_ids": [Command.create(rule) for rule in rules],
            }
        )
        return template.product_variant_id

    @classmethod
    def _set_stock(cls, product, quantity, lot=None):
        cls.env["stock.quant"]._update_available_quantity(product, cls.stock, quantity, lot_id=lot)

    def _booking_vals(self, start, therapist=None, room=None, treatments=None, partner=None):
        return {
            "partner_id": (partner or self.customer).id,
            "treatment_ids": [Command.set((treatments or self.facial).ids)],
            "therapist_id": (therapist or self.therapist_a).id,
            "room_id": room.id if room else False,
            "start": start,
        }

    def _book(self, start, user=None, **kwargs):
        Booking = self.env["beauty.booking"]
        if user:
            Booking = Booking.with_user(user)
        return Booking.create(self._booking_vals(start, **kwargs))
