"""Admin screens of the import pipeline, one module per front door."""

from imports.admin import csv  # noqa: F401  (CSV import/export on the production admin pages)
from imports.admin import shotgun  # noqa: F401  (Shotgun upload screen and the import errors list)
