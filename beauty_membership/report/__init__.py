from . import beauty_liability_report
