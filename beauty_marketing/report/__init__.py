from . import beauty_complaint_report
from . import beauty_reminder_effect_report
