from . import base_partner_merge
from . import beauty_tier_override
from . import beauty_wallet_refund
from . import loyalty_card_update_balance
