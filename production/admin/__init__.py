"""The Django admin as the production coordinators' workplace, one module per
sub-domain (as production/models is split). Importing the modules registers
their screens with the default site."""

from django.contrib import admin
from django.contrib.auth.models import Group

from production.admin import breakdown, events, people, projects, tasks
from production.webhooks import admin as webhooks

admin.site.site_header = "Zou production"
admin.site.site_title = "Zou production"
admin.site.index_title = "Production data"
# Access follows each person's role, not Django's groups: hide the unused screen.
admin.site.unregister(Group)

__all__ = ["breakdown", "events", "people", "projects", "tasks", "webhooks"]
