"""Shotgun import routes: the seed dialect (`data/import/shotgun/...`) first,
Zou's later spelling (`import/shotgun/...`) as its alias; a trailing slash is
tolerated without a redirect."""

from django.urls import re_path

from imports.api import shotgun_views as views


def route(pattern, view, name):
    return [
        re_path(rf"^data/import/shotgun/{pattern}/?$", view, name=name),
        re_path(rf"^import/shotgun/{pattern}/?$", view, name=f"{name}-alias"),
    ]


ERROR_ID = r"(?P<error_id>[^/]+)"
KIND = r"(?P<kind>[a-z_-]+)"

# Fixed words before the <kind> catch-all, so "errors" is never read as a kind.
urlpatterns = [
    *route("errors", views.ShotgunImportErrorsView.as_view(), "shotgun-import-errors"),
    *route(f"errors/{ERROR_ID}", views.ShotgunImportErrorView.as_view(), "shotgun-import-error"),
    *route(f"remove/{KIND}", views.ShotgunRemoveView.as_view(), "shotgun-remove"),
    *route(KIND, views.ShotgunImportView.as_view(), "shotgun-import"),
]
