"""Admin screens of the import pipeline. The CSV import/export on production's
pages is a mixin in imports/csv/admin.py that zou_site.admin composes."""

from imports.admin import jobs  # noqa: F401  (import jobs and their progress bars)
from imports.admin import shotgun  # noqa: F401  (Shotgun upload screen and the import errors list)
