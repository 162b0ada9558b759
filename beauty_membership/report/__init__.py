from . import beauty_balance_check
from . import beauty_liability_report
