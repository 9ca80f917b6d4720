from files.api import views
from zou_site.api.routers import ZouRouter

router = ZouRouter()
router.register("data/file_status", views.FileStatusViewSet, "file-status", ["data/file-status"])
router.register("data/softwares", views.SoftwareViewSet, "software")
router.register("data/output_types", views.OutputTypeViewSet, "output-type", ["data/output-types"])
router.register("data/working_files", views.WorkingFileViewSet, "working-file", ["data/working-files"])
router.register("data/output_files", views.OutputFileViewSet, "output-file", ["data/output-files"])
router.register("data/preview_files", views.PreviewFileViewSet, "preview-file", ["data/preview-files"])

urlpatterns = router.urls
