from odoo import models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import float_compare

from ..models.loyalty_card import MANAGER, OUR_TYPES


class LoyaltyCardUpdateBalance(models.TransientModel):
    _inherit = "loyalty.card.update.balance"

    def action_update_card_point(self):
        """Core's "update balance" on a stored value or points card is a manager's balance
        correction: it goes through the card's guarded method, which writes the ledger line
        (and the loyalty history) under the card's lock."""
        card = self.card_id.sudo()
        if card.beauty_program_type not in OUR_TYPES:
            return super().action_update_card_point()
        self.card_id.check_access("read")
        if not self.env.su and not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._(
                    "Only a salon manager can correct a stored value or points balance; the "
                    "correction is written in the balance history."
                )
            )
        if self.new_balance < 0 or not float_compare(
            self.new_balance, card.points, precision_digits=2
        ):
            raise ValidationError(
                self.env._("The new balance must be positive and differ from the current one.")
            )
        card._beauty_adjust(self.new_balance - card.points, self.description)
        return True
