from . import test_install_and_menus
from . import test_booking_conflict
