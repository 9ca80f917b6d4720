"""Shotgun import routes: the seed dialect (`data/import/shotgun/...`) first,
Zou's later spelling (`import/shotgun/...`) as its alias; a trailing slash is
tolerated without a redirect."""

from imports.api import shotgun_views as views
from zou_site.api.routers import ZouRouter, uuid_part

ERROR_ID = uuid_part("error_id")
KIND = r"(?P<kind>[a-z_-]+)"

router = ZouRouter()


def route(pattern, view, name):
    router.route(f"data/import/shotgun/{pattern}", view, name, [f"import/shotgun/{pattern}"])


# Fixed words before the <kind> catch-all, so "errors" is never read as a kind.
route("errors", views.ShotgunImportErrorsView.as_view(), "shotgun-import-errors")
route(f"errors/{ERROR_ID}", views.ShotgunImportErrorView.as_view(), "shotgun-import-error")
route(f"remove/{KIND}", views.ShotgunRemoveView.as_view(), "shotgun-remove")
route(KIND, views.ShotgunImportView.as_view(), "shotgun-import")

urlpatterns = router.urls
