from . import beauty_customer_import
