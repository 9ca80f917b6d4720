"""One django-import-export Resource per CSV kind of DESIGN.md §9, by domain
area: the columns, how a row becomes a model row (`parse`, `assign`), its
natural key, and what an export reads. `CSV_RESOURCES` maps the URL and
command kinds."""

from imports.csv.resources.breakdown import AssetResource, ShotResource
from imports.csv.resources.people import PersonResource
from imports.csv.resources.projects import ProjectResource, TaskTypeResource
from imports.csv.resources.tasks import TaskResource

CSV_RESOURCES = {
    resource.kind: resource
    for resource in (PersonResource, ProjectResource, ShotResource, AssetResource, TaskTypeResource, TaskResource)
}
