from . import beauty_treatment_report
