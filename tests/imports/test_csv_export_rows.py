"""The tasks export reads tuples (values_list), not model instances, for
speed (issue 16); the admin's export still goes through the library's
instances. Both must write the same cells, row for row."""

from imports.csv.resources.tasks import TaskResource
from imports.csv.services import csv_export
from production.models import Asset, Task
from tests.factories import make_person
from tests.imports.test_csv_export import export, lines, sheets_db  # noqa: F401 (the fixture)


def test_tasks_rows_from_values_equal_the_library_export(sheets_db):  # noqa: F811
    # What the cells must survive: a shared name (written as emails), a task
    # without assigner nor assignee, a formula-like name, an asset's task.
    task = Task.objects.filter(assigner__isnull=False).first()
    first = task.assigner
    make_person("user", email="twin@studio.test", first_name=first.first_name, last_name=first.last_name)
    Task.objects.create(
        name="=cmd|' /C calc'!A0", project=task.project, task_type=task.task_type, task_status=task.task_status,
        entity=Asset.objects.first(),
    )
    by_library = [list(row) for row in TaskResource().export(queryset=Task.objects.all())]  # the admin's way
    rest = csv_export(kind="tasks")
    by_values = list(rest.resource.export_rows(rest.queryset))
    assert len(by_values) == Task.objects.count() >= 4
    assert by_values == by_library
    assert any(cell == first.email for row in by_values for cell in row[9:11])
    assert any(row[8] == "=cmd|' /C calc'!A0" and row[9] == "" and row[10] == "" for row in by_values)


def test_the_exported_file_neutralises_formulas(sheets_db):  # noqa: F811
    task = Task.objects.first()
    Task.objects.create(name="@SUM(A1)", project=task.project, task_type=task.task_type, task_status=task.task_status, entity=task.entity)
    row = next(line for line in lines(export(sheets_db, "tasks")) if "SUM" in line)
    assert ",'@SUM(A1)," in row
