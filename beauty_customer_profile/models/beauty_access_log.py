import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import SQL

_logger = logging.getLogger(__name__)
OPERATIONS = [
    ("read", "Read"),
    ("create", "Create"),
    ("write", "Change"),
    ("unlink", "Delete"),
    ("export", "Export"),
    ("search", "Search on content"),
]
CHANNELS = [
    ("web", "Web client"),
    ("rpc", "External API"),
    ("pos", "Point of Sale"),
    ("server", "Server"),
]
LOGGED_KEY = "beauty_access_logged"


class BeautyAccessLog(models.Model):
    """Who read or changed which sensitive record, when, and through what.

    Append-only: nobody may change or delete a line, managers may read them. Lines keep
    plain ids (no foreign keys) so they outlive the records they are about, including
    anonymised customers. One line per record, operation and request.
    """

    _name = "beauty.access.log"
    _description = "Sensitive data access log"
    _order = "id desc"
    _log_access = False

    date = fields.Datetime(required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", readonly=True, index=True)
    # "Who" as it was: the user record may be renamed or deleted later, the line keeps it.
    user_login = fields.Char(string="Login", readonly=True)
    user_name = fields.Char(string="User name", readonly=True)
    model = fields.Char(string="Technical model", required=True, readonly=True, index=True)
    model_label = fields.Char(string="Data", compute="_compute_model_label")
    res_id = fields.Integer(string="Record", readonly=True)
    customer_ref = fields.Integer(string="Customer id", readonly=True, index=True)
    operation = fields.Selection(OPERATIONS, required=True, readonly=True)
    channel = fields.Selection(CHANNELS, string="Through", required=True, readonly=True)

    @api.depends("model")
    def _compute_model_label(self):
        models_by_name = {
            model: self.env["ir.model"]._get(model) for model in set(self.mapped("model"))
        }
        for line in self:
            line.model_label = models_by_name[line.model].name or line.model

    def write(self, vals):
        if self:
            raise UserError(self.env._("The access log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_never(self):
        raise UserError(self.env._("The access log cannot be deleted."))

    @api.model
    def _channel(self):
        if not request:
            return "server"
        path = request.httprequest.path
        if path.startswith(("/json/2/", "/xmlrpc", "/jsonrpc")):
            return "rpc"
        if "/pos." in path or path.startswith("/pos/"):
            return "pos"
        return "web"

    @api.model
    def _log(self, records, operation):
        """Record one line per record of ``records`` for ``operation`` in this request."""
        if self.env.su or not records:
            return
        seen = self.env.cr.cache.setdefault(LOGGED_KEY, set())
        rows = []
        now = fields.Datetime.now()
        channel = self._channel()
        for record in records:
            key = (self.env.uid, record._name, record.id, operation)
            if key in seen or not isinstance(record.id, int):
                continue
            seen.add(key)
            if record._name == "res.partner":
                partner_id = record.id
            elif "partner_id" in record._fields:
                # sudo: the customer id only; reading the link needs no right of its own
                partner_id = record.sudo().partner_id.id
            else:
                partner_id = False
            rows.append(
                (now, self.env.uid, record._name, record.id, partner_id or None, operation, channel)
            )
        if rows:
            self._insert(rows)

    @api.model
    def _insert(self, rows):
        # "Who" is copied from the user as it is now, in the same statement: a user deleted or
        # renamed later leaves the line as it was.
        query = SQL(
            """INSERT INTO beauty_access_log
                      (date, user_id, user_login, user_name, model, res_id, customer_ref,
                       operation, channel)
               SELECT line.date::timestamp, line.uid, users.login, partner.name, line.model,
                      line.res_id, line.customer_ref::int, line.operation, line.channel
                 FROM (VALUES %s)
                   AS line (date, uid, model, res_id, customer_ref, operation, channel)
            LEFT JOIN res_users users ON users.id = line.uid
            LEFT JOIN res_partner partner ON partner.id = users.partner_id""",
            SQL(", ").join(SQL("(%s, %s, %s, %s, %s, %s, %s)", *row) for row in rows),
        )
        if not self.env.cr.readonly:
            self.env.cr.execute(query)
            return
        # A read-only request (most reads are): log through a short read/write transaction.
        with self.env.registry.cursor() as cr:
            cr.execute(query)
