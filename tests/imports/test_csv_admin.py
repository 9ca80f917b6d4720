"""CSV import (preview, then confirm) and export on the production admin
pages, through Django's test client as an admin would click through them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from production.models import Person, Project, Shot, Task
from tests.factories import make_person
from tests.imports.test_csv_export import HEADERS, export
from tests.imports.test_csv_import import SHEETS, import_sheets


def admin_client(role="admin"):
    client = Client()
    client.force_login(make_person(role))
    return client


def preview(client, model_name, content, name="sheet.csv"):
    upload = SimpleUploadedFile(name, content.encode("utf-8") if isinstance(content, str) else content)
    url = reverse(f"admin:production_{model_name}_import")
    return client.post(url, {"import_file": upload, "format": "0", "resource": "0"})


@pytest.mark.parametrize("model_name", ["person", "project", "shot", "asset", "tasktype", "task"])
def test_every_page_offers_import_and_export(db, model_name):
    client = admin_client()
    page = client.get(reverse(f"admin:production_{model_name}_changelist"))
    assert page.status_code == 200
    assert reverse(f"admin:production_{model_name}_import") in page.content.decode()
    assert reverse(f"admin:production_{model_name}_export") in page.content.decode()
    assert client.get(reverse(f"admin:production_{model_name}_import")).status_code == 200


def test_import_previews_then_confirms(db):
    client = admin_client()
    client.post(reverse("admin:production_project_import"))  # an empty form is only redisplayed
    sheet = (SHEETS / "shots.csv").read_bytes()
    response = preview(client, "shot", sheet)
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 3
    assert [row.diff[3] for row in result.valid_rows()] == ["SH010", "SH020", "SH010"]
    assert "Confirm import" in response.content.decode()
    assert not Shot.objects.exists() and not Project.objects.exists()

    confirm = response.context["confirm_form"]
    done = client.post(reverse("admin:production_shot_process_import"), confirm.initial)
    assert done.status_code == 302
    assert Shot.objects.count() == 3
    assert Shot.objects.get(description="Keeper climbs the stairs").data == {"fps": "24", "frame_in": 1049, "frame_out": 1120}


def test_preview_lists_bad_rows_and_offers_no_confirm(db):
    client = admin_client()
    response = preview(client, "project", "Name;Status\n;Open\nAgent 327;Open\n")
    result = response.context["result"]
    assert [(row.number, row.error_dict) for row in result.invalid_rows] == [(1, {"Name": ["Name is required."]})]
    assert "confirm_form" not in response.context
    assert not Project.objects.filter(name="Agent 327").exists()
    response = preview(client, "project", "Title\nAgent 327\n")
    assert "Missing column: Name." in str(response.context["result"].base_errors[0].error)


def test_manager_may_import_production_data_but_not_persons(db):
    manager = admin_client("manager")
    assert manager.get(reverse("admin:production_shot_import")).status_code == 200
    assert manager.get(reverse("admin:production_person_import")).status_code == 403
    response = preview(manager, "person", "Email,Role\nboss@studio.test,admin\n")
    assert response.status_code == 403
    assert not Person.objects.filter(email="boss@studio.test").exists()


def test_export_matches_the_rest_export(api_client):
    import_sheets(api_client, "projects", "persons", "shots", "assets", "tasks")
    client = admin_client()
    fields = {f"taskresource_{name}": "on" for name in ("project", "department", "task_type", "episode", "sequence",
              "shot", "asset_type", "asset", "name", "assigner", "assignee", "duration", "estimation", "start_date",
              "real_start_date", "end_date", "due_date", "task_status")}
    response = client.post(reverse("admin:production_task_export"), {"format": "0", "resource": "0", **fields})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines() == export(api_client, "tasks").splitlines()
    assert response.content.decode().splitlines()[0] == HEADERS["tasks"]

    facial = Task.objects.get(task_type__name="Blocking").task_type_id
    filtered = client.post(
        reverse("admin:production_task_export") + f"?task_type__id__exact={facial}",
        {"format": "0", "resource": "0", "taskresource_name": "on", "taskresource_shot": "on"},
    )
    assert filtered.content.decode().splitlines() == ["Shot,Name", "SH010,Main"]
    assert Task.objects.count() == 3


def test_tasks_import_sets_assignees(api_client):
    import_sheets(api_client, "projects", "persons", "shots", "assets")
    client = admin_client()
    response = preview(client, "task", (SHEETS / "tasks.csv").read_bytes())
    assert response.context["result"].totals["new"] == 3
    assert not Task.objects.exists()
    client.post(reverse("admin:production_task_process_import"), response.context["confirm_form"].initial)
    assert [p.full_name for p in Task.objects.get(task_type__name="Blocking").assignees.all()] == ["Ines Duarte"]


def test_preview_names_the_file_line_column_and_message_of_each_bad_row(db):
    """Issue 18: the admin said 'Row 5' for the file's line 6 and showed the
    column and message only on hover. A ';' sheet with a BOM and a blank line."""
    client = admin_client()
    Project.objects.create(name="Agent 327")
    sheet = "\ufeffName;Status\nAgent 328;Open\n\n;Open\nAgent 329;Open\nAgent 327;Open\nAgent 327;Open\n"
    response = preview(client, "project", sheet.encode("utf-8"))
    rows = response.context["result"].invalid_rows
    assert [(row.number, row.line) for row in rows] == [(2, 4), (5, 7)]
    html = response.content.decode()
    assert "<td>Name</td>" in html and "Name is required." in html
    assert '<td rowspan="1">4</td>' in html and '<td rowspan="1">7</td>' in html
    assert "Line 6 already gives this project" in html
    assert not Project.objects.filter(name__in=["Agent 328", "Agent 329"]).exists()


@pytest.mark.parametrize("fmt, separator", [("1", ","), ("2", ";")])
def test_export_for_spreadsheets_has_a_bom_and_the_chosen_separator(api_client, fmt, separator):
    """Issue 18: the export showed 'ChloÃ©' in a spreadsheet's default import
    (UTF-8 without BOM) and one column per row with a European locale."""
    import_sheets(api_client, "projects", "persons")
    Person.objects.filter(email__isnull=False).update(first_name="Chloé")
    client = admin_client()
    page = client.get(reverse("admin:production_person_export")).content.decode()
    assert "csv for Excel in European locales (UTF-8 with BOM, semicolon)" in page
    response = client.post(
        reverse("admin:production_person_export"),
        {"format": fmt, "resource": "0", "personresource_email": "on", "personresource_first_name": "on"},
    )
    assert response.status_code == 200
    body = response.content
    assert body.startswith("\ufeff".encode())
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0] == f"First Name{separator}Email"
    assert any(line.startswith(f"Chloé{separator}") and "@" in line for line in lines[1:])


def test_preview_names_what_it_creates_and_each_update_old_to_new(production):
    """Issue 18: a misspelt episode or sequence was created silently, and an
    update said only "Update"."""
    client = admin_client()
    sheet = (
        "Project;Episode;Sequence;Name;Description;Frame In;Frame Out\n"
        "Cosmos Landromat;E01;S01;P01;Wide;100;120\n"
        "Cosmos Landromat;E02;SQ09;SH900;New one;1;24\n"
    )
    response = preview(client, "shot", sheet)
    html = response.content.decode()
    created = html[html.index('id="csv-import-created"'):html.index("</ul>", html.index('id="csv-import-created"'))]
    assert "Cosmos Landromat / E02" in created and "Cosmos Landromat / E02 / SQ09" in created
    assert "Episodes" in created and "Sequences" in created
    rows = {row.diff[3]: row for row in response.context["result"].valid_rows()}
    assert rows["P01"].import_type == "update" and rows["SH900"].import_type == "new"
    assert rows["P01"].changes == ["Description: — → Wide", "Frame Out: 199 → 120", "Nb frames: — → 21"]
    assert "Frame Out: 199 → 120" in html
    assert not Shot.objects.filter(name="SH900").exists()
    assert not Shot.objects.filter(data__frame_out=120).exists()


def test_preview_shows_a_tasks_new_status_and_estimation_in_hours(production):
    client = admin_client()
    task = production["tasks"][0]
    sheet = (
        "Project;Task Type;Episode;Sequence;Shot;Name;Estimation;Task Status\n"
        f"Cosmos Landromat;Animation;E01;S01;P01;main;4;WIP\n"
    )
    response = preview(client, "task", sheet)
    row = response.context["result"].valid_rows()[0]
    assert row.import_type == "update", response.context["result"].invalid_rows
    assert row.changes == ["Estimation: 0 → 4", "Task Status: Todo → WIP"]
    assert Task.objects.get(pk=task.pk).task_status.short_name == "todo"
