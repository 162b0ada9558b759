from odoo import models
from odoo.tools import float_is_zero

from ..models.loyalty_card import OUR_TYPES


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge_loyalty_cards(self, src_partners, dst_partner):
        """Stored value and points of merged customers move to the kept customer's card through
        the ledger (principal and bonus kept apart); core merges the other cards."""
        Card = self.env["loyalty.card"].sudo()
        cards = Card.search(
            [("partner_id", "in", src_partners.ids), ("beauty_program_type", "in", OUR_TYPES)]
        )
        Card._beauty_lock_cards(cards.ids)
        for program in cards.program_id:
            dst_card = Card.search(
                [("partner_id", "=", dst_partner.id), ("program_id", "=", program.id)],
                limit=1,
                order="id",
            )
            program_cards = cards.filtered(lambda card, program=program: card.program_id == program)
            if not dst_card:
                dst_card = program_cards[0]
                dst_card.partner_id = dst_partner
                program_cards -= dst_card
            for card in program_cards:
                points, bonus = card._beauty_lock()
                if not float_is_zero(points, precision_digits=4):
                    note = self.env._("Customers merged")
                    card._beauty_debit(points, move_type="transfer", note=note)
                    dst_card._beauty_credit(points - bonus, bonus, move_type="transfer", note=note)
                card.active = False
                card.partner_id = dst_partner
        return super()._merge_loyalty_cards(src_partners, dst_partner)
