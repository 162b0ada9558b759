from . import test_install_and_menus
from . import test_archive_upkeep
from . import test_consent_gate
from . import test_customer_import_wizard
from . import test_form_queries
from . import test_partner_constraints
from . import test_sensitive_paths
from . import test_encryption
