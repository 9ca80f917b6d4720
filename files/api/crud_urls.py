from files.api import views
from zou_site.routers import ZouRouter

router = ZouRouter()
router.register_with_aliases("data/file_status", views.FileStatusViewSet, "file-status", ["data/file-status"])
router.register_with_aliases("data/softwares", views.SoftwareViewSet, "software")
router.register_with_aliases("data/output_types", views.OutputTypeViewSet, "output-type", ["data/output-types"])
router.register_with_aliases("data/working_files", views.WorkingFileViewSet, "working-file", ["data/working-files"])
router.register_with_aliases("data/output_files", views.OutputFileViewSet, "output-file", ["data/output-files"])
router.register_with_aliases("data/preview_files", views.PreviewFileViewSet, "preview-file", ["data/preview-files"])

urlpatterns = router.urls
