"""What a preview (a dry run in the admin) says of each existing row an
import updates: the fields it changes, old → new, foreign keys in words."""

from collections import defaultdict

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class PreviewDetails:
    """Mixed into KindImporter: reads its columns."""

    def detail(self, item):
        """What a preview says of an existing row's update (see ImportResult.details)."""
        if item.row is None or (item.outcome == UNCHANGED and item.adopted is None):
            return None
        changes = [
            (attname, item.row[attname], item.new[attname])
            for attname in item.values
            if attname != "shotgun_id" and item.new[attname] != item.row[attname]
        ]
        return {"adopted": item.adopted, "changes": changes}

    def label_details(self, details):
        """Field names and foreign keys in words, one query per related model."""
        fields = {attname: self.columns[attname] for detail in details for attname, _, _ in detail["changes"]}
        wanted = defaultdict(set)
        for detail in details:
            for attname, old, new in detail["changes"]:
                if fields[attname].is_relation:
                    wanted[fields[attname].related_model].update(v for v in (old, new) if v is not None)
        names = {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items()}
        for detail in details:
            labelled = []
            for attname, old, new in detail["changes"]:
                field = fields[attname]
                if field.is_relation:
                    old, new = (None if v is None else str(names[field.related_model].get(v, v)) for v in (old, new))
                labelled.append((field.verbose_name, old, new))
            detail["changes"] = labelled
