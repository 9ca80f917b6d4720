"""CSV routes: the seed dialect (`data/import/csv/<kind>`, `export/csv/<kind>.csv`)
first, then Zou's later and gazu's project-scoped spellings as aliases; a
trailing slash is tolerated without a redirect."""

from imports.api.csv_views import CsvExportView, CsvImportView
from zou_site.api.routers import ZouRouter, uuid_part

KIND = r"(?P<kind>[a-z_-]+)"
PROJECT = uuid_part("project_id")

router = ZouRouter()
router.route(
    f"data/import/csv/{KIND}",
    CsvImportView.as_view(),
    "csv-import",
    # the last: the seed document posts a sheet under its file name (`data/import/csv/tasks.csv`)
    [f"import/csv/projects/{PROJECT}/{KIND}", f"import/csv/{KIND}", rf"data/import/csv/{KIND}\.csv"],
)
router.route(rf"export/csv/{KIND}\.csv", CsvExportView.as_view(), "csv-export", [rf"export/csv/projects/{PROJECT}/{KIND}\.csv"])

urlpatterns = router.urls
