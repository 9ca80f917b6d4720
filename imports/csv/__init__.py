"""CSV import and export (DESIGN.md §9): django-import-export Resources
(`resources`) are the one pipeline; `services` drives them for the REST
routes and the manage.py commands, the admin drives them directly."""
