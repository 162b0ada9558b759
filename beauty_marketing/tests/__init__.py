from . import test_install_and_menus
from . import test_reminder_engine
from . import test_reminder_kinds
from . import test_complaint
from . import test_segments
