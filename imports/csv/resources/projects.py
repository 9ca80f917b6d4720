"""The projects and task types sheets (DESIGN.md §9): the production's frame."""

from imports.csv.base import CsvResource
from imports.csv.references import DEFAULT_PROJECT_STATUS
from imports.csv.widgets import text
from production.models import Project, Task, TaskType
from production.querysets import visible_projects


class ProjectResource(CsvResource):
    kind = "projects"
    noun = "project"
    written_fields = ("name", "project_status")

    name = text("name", "Name")
    status = text("project_status__name", "Status")

    class Meta:
        model = Project
        fields = ("name", "status")

    def parse(self, parsed):
        name = parsed.cell("Name", required=True)
        if name:
            parsed.key = name
            parsed.set("name", name)
        # A blank status keeps the project's; a new project is open.
        status = parsed.cell("Status")
        if status:
            parsed.set("project_status", parsed.resolve("Status", self.references.project_status, status))

    def find_existing(self, parsed):
        return self.references.projects.get(parsed.key)

    def init_instance(self, row=None):
        return Project(project_status=self.references.project_status(DEFAULT_PROJECT_STATUS))

    def visible_to(self, queryset, person):
        return queryset.filter(pk__in=visible_projects(person).values("pk"))

    def in_project(self, queryset, project):
        return queryset.filter(pk=project.pk)

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("project_status").order_by("name")  # column: Status


class TaskTypeResource(CsvResource):
    kind = "task_types"
    noun = "task type"
    written_fields = ("name", "department")

    department = text("department__name", "Department")
    name = text("name", "Name")

    class Meta:
        model = TaskType
        fields = ("department", "name")

    def parse(self, parsed):
        department_name = parsed.cell("Department")
        department = department_name and parsed.resolve("Department", self.references.department, department_name)
        name = parsed.cell("Name", required=True)
        if name and (department or not department_name):
            parsed.key = (name, department.id if department else None)
            parsed.values.update(name=name, department=department or None)

    def find_existing(self, parsed):
        return self.references.task_types.get(parsed.key)

    def visible_to(self, queryset, person):
        return queryset  # reference data, the same for every project

    def in_project(self, queryset, project):
        return queryset.filter(pk__in=Task.objects.filter(project=project).values("task_type_id"))

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("department").order_by("department__name", "name", "id")  # column: Department
