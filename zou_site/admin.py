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


class ZouAdminSite(admin.AdminSite):
    _mixins = None

    def register(self, model_or_iterable, admin_class=None, **options):
        if self._mixins is None:
            self._mixins = contributed_mixins()
        models = [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        for model in models:
            base = admin_class or admin.ModelAdmin
            mixins = self._mixins.get(model, [])
            composed = type(base.__name__, (*mixins, base), {"__module__": base.__module__}) if mixins else base
            super().register(model, composed, **options)


class ZouAdminConfig(AdminConfig):
    default_site = "zou_site.admin.ZouAdminSite"
