from . import beauty_member_tier
from . import res_partner
