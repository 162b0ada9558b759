from . import test_install_and_menus
from . import test_tier
from . import test_stored_value
from . import test_concurrent_wallet
from . import test_pos_tour
from . import test_pos_privacy
from . import test_money_guards
