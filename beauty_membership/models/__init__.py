from . import beauty_member_tier
from . import beauty_tier_history
from . import beauty_card_move
from . import loyalty_card
from . import res_partner
from . import pos_order
from . import res_partner_privacy
