from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("production.api.urls")),
    path("api/", include("files.api.urls")),
    path("api/", include("imports.api.urls")),
]
