from . import sms_http_gateway
