from odoo import api, models
from odoo.fields import Domain

# Fields whose values say nothing about the content: conditions and groups on them are how
# lists and forms find a customer's records (and what they then read is logged).
NEUTRAL_FIELDS = frozenset(
    {"id", "partner_id", "company_id", "active", "create_uid", "create_date", "write_uid"}
    | {"write_date", "display_name"}
)


class BeautyAccessLoggedMixin(models.AbstractModel):
    """Records whose every look lands in the access log: read (read, web_read, search_read,
    web_search_read all end in ``_read_format``), export, deletion, search by their content
    (also as a condition from another model: ``res.partner`` searched on
    ``beauty_allergy_ids.allergen_id`` searches the allergies) and group by their content
    (``formatted_read_group``, ``web_read_group``, ``read_group``).
    """

    _name = "beauty.access.logged.mixin"
    _description = "Customer data whose access is logged"
    # The fields whose reading, searching or grouping is logged; None: every field but the
    # neutral ones (sensitive models are sensitive throughout).
    _beauty_logged_fields = None

    @api.model
    def _beauty_neutral_field(self, fname):
        field = self._fields.get(fname)
        if fname in NEUTRAL_FIELDS or field is None:
            return True
        if self._beauty_logged_fields is not None:
            return fname not in self._beauty_logged_fields
        # A link to another logged record (an assessment's photos, a concern's progress)
        # says nothing by itself: what is read behind it is logged there.
        return field.type == "many2one" and isinstance(
            self.env[field.comodel_name], self.env.registry["beauty.access.logged.mixin"]
        )

    @api.model
    def _beauty_reveals(self, specs):
        """Whether field specs (``allergen_id``, ``severity:count``, ``date:month``,
        ``partner_id.name``) touch the content of the records."""
        return any(
            not self._beauty_neutral_field(spec.split(":", 1)[0].split(".", 1)[0])
            for spec in specs
            if spec != "__count"
        )

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if self._beauty_logged_fields is None or self._beauty_logged_fields.intersection(fnames):
            self.env["beauty.access.log"]._log(self, "read")
        return result

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        paths = [path.replace("/", ".") for path in fields_to_export]
        if self._beauty_logged_fields is None or self._beauty_reveals(paths):
            self.env["beauty.access.log"]._log(self, "export")
        return result

    def unlink(self):
        self.env["beauty.access.log"]._log(self, "unlink")
        return super().unlink()

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        query = super()._search(domain, offset=offset, limit=limit, order=order, **kwargs)
        if self.env.su or query.is_empty():
            return query
        conditions = Domain(domain).iter_conditions()
        if self._beauty_reveals(condition.field_expr for condition in conditions):
            # The records that answer a condition on their content are looked at, even
            # when only their number or their customers come back.
            self.env["beauty.access.log"]._log(self.browse(query.get_result_ids()), "search")
        return query

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), *args, **kwargs):
        result = super()._read_group(domain, groupby, aggregates, *args, **kwargs)
        if not self.env.su and self._beauty_reveals([*groupby, *aggregates]):
            self._beauty_log_grouped(domain)
        return result

    @api.model
    def _read_grouping_sets(self, domain, grouping_sets, aggregates=(), *args, **kwargs):
        result = super()._read_grouping_sets(domain, grouping_sets, aggregates, *args, **kwargs)
        specs = [spec for grouping in grouping_sets for spec in grouping]
        if not self.env.su and self._beauty_reveals([*specs, *aggregates]):
            self._beauty_log_grouped(domain)
        return result

    @api.model
    def _beauty_log_grouped(self, domain):
        """Every record summed up in a group by its content has been read."""
        records = self.browse(self._search(domain).get_result_ids())
        self.env["beauty.access.log"]._log(records, "read")
