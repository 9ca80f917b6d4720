"""The admin composed in one place.

production owns the ModelAdmin of its models; files adds a thumbnail section
to some of them and imports adds CSV import/export to others. production may
not depend on either app, and files and imports do not know each other, so
each used to re-register production's admin with its own addition, and the
second re-registration dropped the first (the shot page lost its thumbnail).

The project shell already composes the apps (settings, root URLs), so it
composes their admin too: this site applies, when production registers a
model's admin, the mixins the other apps offer for that model. Every admin is
registered once, with all its parts, and no app touches another's
registration."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.db.models.base import ModelBase

from zou_site.admin_history import ChangeHistoryMixin


def contributed_mixins():
    """{model: [mixin, ...]} the files and imports apps add to production's
    admin classes. Imported when the first admin registers (autodiscover), not
    with this module, which loads before the apps' models."""
    from files.thumbnails_admin import thumbnail_admin_mixins
    from imports.csv.admin import csv_admin_mixins

    mixins = {}
    for offered in (thumbnail_admin_mixins(), csv_admin_mixins()):
        for model, mixin in offered.items():
            mixins.setdefault(model, []).append(mixin)
    return mixins


# The index as coordinators work: production first (the board leads), then
# people, files and imports; the tables set up once and rarely opened after
# that grouped at the end. (app label, model name) in the order shown; a
# model not named here keeps its own app's section, after these.
SECTIONS = (
    (
        "Production",
        (
            ("production", "project"),
            ("production", "shot"),
            ("production", "asset"),
            ("production", "task"),
            ("production", "episode"),
            ("production", "sequence"),
            ("production", "comment"),
            ("production", "timespent"),
            ("production", "apievent"),
        ),
    ),
    ("People", (("production", "person"), ("production", "department"))),
    ("Files", (("files", "workingfile"), ("files", "outputfile"), ("files", "previewfile"))),
    ("Imports", (("imports", "job"), ("imports", "dataimporterror"))),
    (
        "Settings",
        (
            ("production", "projectstatus"),
            ("production", "taskstatus"),
            ("production", "tasktype"),
            ("production", "assettype"),
            ("production", "entitytype"),
            ("production", "entity"),
            ("files", "filestatus"),
            ("files", "software"),
            ("files", "outputtype"),
            ("production", "webhooksubscription"),
            ("production", "webhookdelivery"),
            ("production", "failedlogin"),
        ),
    ),
)


def page_row(name, url):
    """An index row leading to a page that is no model's list."""
    return {"name": name, "object_name": name.replace(" ", ""), "admin_url": url, "add_url": None, "view_only": True}


class ZouAdminSite(admin.AdminSite):
    _mixins = None
    # No public site behind the admin: Django's "View site" led to a 404.
    site_url = None

    @property
    def login_form(self):
        from production.admin.login import ZouLoginForm

        return ZouLoginForm

    def extra_index_rows(self, request, section):
        """Pages the index leads to beside model lists: the board and the
        progress first, the imports under Imports."""
        from django.urls import NoReverseMatch, reverse

        wanted = {
            "Production": [("Production board", "admin:production_board"), ("Progress", "admin:production_progress")],
            "Imports": [("Shotgun import", "admin:imports_shotgun_import")],
        }.get(section, [])
        rows = []
        for name, view in wanted:
            try:
                rows.append(page_row(name, reverse(view)))
            except NoReverseMatch:
                continue
        if section == "Imports":
            rows += self.csv_import_rows(request)
        return rows

    def csv_import_rows(self, request):
        from django.urls import reverse

        rows = []
        for model, model_admin in self._registry.items():
            if getattr(model_admin, "has_import_permission", None) and model_admin.has_import_permission(request):
                opts = model._meta
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_import")
                rows.append(page_row(f"CSV import: {opts.verbose_name_plural}", url))
        return sorted(rows, key=lambda row: row["name"])

    def get_urls(self):
        from files.thumbnails_admin import thumbnail_urls

        # Before Django's catch-all of unknown admin URLs.
        return [*thumbnail_urls(self), *super().get_urls()]

    def each_context(self, request):
        from production.admin.project_context import context_project

        # The project the coordinator works on, named under every page's header.
        return {**super().each_context(request), "project_context": context_project(request)}

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is not None or not apps:
            return apps  # one app's own page keeps Django's layout; a visitor signed out sees nothing
        models = {(app["app_label"], model["object_name"].lower()): model for app in apps for model in app["models"]}
        placed = set()
        sections = []
        for title, keys in SECTIONS:
            rows = [*self.extra_index_rows(request, title), *(models[key] for key in keys if key in models)]
            placed.update(keys)
            if rows:
                slug = title.lower()
                sections.append({"name": title, "app_label": slug, "app_url": f"#{slug}", "has_module_perms": True, "models": rows})
        for app in apps:
            rest = [model for model in app["models"] if (app["app_label"], model["object_name"].lower()) not in placed]
            if rest:
                sections.append({**app, "models": rest})
        return sections

    def register(self, model_or_iterable, admin_class=None, **options):
        if self._mixins is None:
            self._mixins = contributed_mixins()
        models = [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        from production.events_admin import UNRECORDED_MODELS, EventsAdminMixin

        for model in models:
            base = admin_class or admin.ModelAdmin
            # Every admin's History lists old → new values (zou_site.admin_history);
            # every write stores its events (production.events).
            mixins = [*self._mixins.get(model, []), ChangeHistoryMixin]
            if model._meta.label not in UNRECORDED_MODELS:
                mixins.append(EventsAdminMixin)
            composed = type(base.__name__, (*mixins, base), {"__module__": base.__module__})
            super().register(model, composed, **options)


class ZouAdminConfig(AdminConfig):
    default_site = "zou_site.admin.ZouAdminSite"
