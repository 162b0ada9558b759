from . import beauty_complaint
from . import beauty_consultation
from . import beauty_reminder_log
from . import beauty_reminder_rule
from . import res_company
from . import res_config_settings
