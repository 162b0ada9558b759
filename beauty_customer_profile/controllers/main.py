from odoo import http
from odoo.http import content_disposition, request


class BeautyPersonalData(http.Controller):
    @http.route(
        "/beauty/customer/<int:partner_id>/personal-data.<string:fmt>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def personal_data(self, partner_id, fmt):
        """Download all data kept about one customer (managers only), as JSON or PDF."""
        partner = request.env["res.partner"].browse(partner_id).exists()
        if not partner or fmt not in ("json", "pdf"):
            raise request.not_found()
        if fmt == "json":
            content = partner._beauty_personal_data_json().encode()
            mimetype = "application/json; charset=utf-8"
        else:
            content = partner._beauty_personal_data_pdf()
            mimetype = "application/pdf"
        filename = f"customer-{partner.beauty_customer_number or partner.id}.{fmt}"
        return request.make_response(
            content,
            headers=[
                ("Content-Type", mimetype),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
