from . import beauty_tier_override
from . import beauty_wallet_refund
