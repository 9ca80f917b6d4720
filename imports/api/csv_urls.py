"""CSV routes: the seed dialect (`data/import/csv/<kind>`, `export/csv/<kind>.csv`)
first, then Zou's later and gazu's project-scoped spellings as aliases; a
trailing slash is tolerated without a redirect."""

from imports.api.csv_views import CsvExportView, CsvImportView
from zou_site.routers import declare_aliases, route

KIND = r"(?P<kind>[a-z_-]+)"
PROJECT = r"(?P<project_id>[^/]+)"

urlpatterns = [
    *route(
        f"data/import/csv/{KIND}",
        CsvImportView.as_view(),
        "csv-import",
        [f"import/csv/projects/{PROJECT}/{KIND}", f"import/csv/{KIND}"],
    ),
    *route(rf"export/csv/{KIND}\.csv", CsvExportView.as_view(), "csv-export", [rf"export/csv/projects/{PROJECT}/{KIND}\.csv"]),
]
# The schema writes `\.csv` as `.csv`; the alias is declared in that spelling too.
declare_aliases("export/csv/projects/{project_id}/{kind}.csv")
