from . import test_install_and_menus
from . import test_booking_conflict
from . import test_booking_concurrency
from . import test_safety_gate
from . import test_treatment_record
from . import test_commission
from . import test_calendar_queries
from . import test_roles
