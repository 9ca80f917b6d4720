from django.contrib import admin
from django.urls import path, re_path

from production.api.auth_views import ApiRootNoSlashView
from zou_site.api.routers import indexed_include
from zou_site.api.viewsets import UnknownRouteView

urlpatterns = [
    path("admin/", admin.site.urls),
    # `GET /api` answers as `/api/` does, without a redirect.
    re_path(r"^api$", ApiRootNoSlashView.as_view()),
    # Ids in paths only match UUIDs (zou_site.api.routers), so the apps' order does not matter.
    # Each tries only the patterns whose leading text fits the path (zou_site.api.routers).
    indexed_include("api/", "production.api.urls"),
    indexed_include("api/", "files.api.urls"),
    indexed_include("api/", "imports.api.urls"),
    # Anything else under /api/ is a JSON 404 (after the token check).
    re_path(r"^api/(?P<unknown>.*)$", UnknownRouteView.as_view()),
]
handler500 = "zou_site.middleware.server_error"
