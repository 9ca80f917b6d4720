"""A coordinator's day in a real browser (issue 18): sign in, read the
production board, change three cells' status at once, import a French Excel
sheet (';' and a BOM) whose two bad rows are named by their file lines, and
give a shot a thumbnail that its page then shows. Each step saves the
screenshot kept in docs/screenshots/."""

import datetime

import pytest
from django.apps import apps
from django.utils import timezone
from PIL import Image, ImageDraw

from production.models import (
    Comment,
    Department,
    Episode,
    Project,
    ProjectStatus,
    Sequence,
    Shot,
    Task,
    TaskType,
)
from production.services import task_status_get
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, make_person

# Transactional: the live server must see the rows. The flush after each test
# empties every table, as after any transactional test; available_apps keeps
# it from making the content types again, which the serialized rollback of
# the tests after these would collide with. The reference rows these tests
# need are made here (a flush may have taken them).
pytestmark = [
    pytest.mark.live,
    pytest.mark.django_db(transaction=True, available_apps=[config.name for config in apps.get_app_configs()]),
]

TASK_TYPES = [("Layout", "#00b2a9"), ("Animation", "#3273dc"), ("Lighting", "#f5a623"), ("Compositing", "#8e44ad")]


@pytest.fixture
def coordinator():
    return make_person("manager", email="coordinator@studio.test", first_name="Camille", last_name="Durand")


@pytest.fixture
def studio():
    """A project of eight shots over two sequences, four task types, a status mix, three artists."""
    project = Project.objects.create(name="Cosmos Landromat", project_status=ProjectStatus.objects.get_or_create(name="Open")[0], fps="25")
    episode = Episode.objects.create(name="E01", project=project)
    sequences = [Sequence.objects.create(name=name, project=project, parent=episode) for name in ("SQ01", "SQ02")]
    department = Department.objects.create(name="Shots")
    task_types = [
        TaskType.objects.create(name=name, color=color, priority=n, for_shots=True, for_entity="Shot", department=department)
        for n, (name, color) in enumerate(TASK_TYPES)
    ]
    statuses = {short: task_status_get(short_name=short) for short in ("todo", "wip", "pndng", "done")}
    artists = [
        make_person("user", first_name=first, last_name=last)
        for first, last in (("Chloé", "Martin"), ("Hugo", "Costa"), ("Inès", "Dubois"))
    ]
    today = timezone.localdate()
    mix = ["done", "wip", "todo", "todo", "pndng", "done", "wip", "todo"]
    shots = []
    for n in range(8):
        shot = Shot.objects.create(name=f"SH{n + 1:02}0", project=project, parent=sequences[n // 4])
        shots.append(shot)
        for column, task_type in enumerate(task_types):
            status = statuses[mix[(n + column) % len(mix)] if column < 2 else "todo"]
            task = Task.objects.create(
                project=project, task_type=task_type, task_status=status, entity=shot,
                due_date=today + datetime.timedelta(days=(n + column * 3) % 9 - 3),
            )
            if column < 3:
                task.assignees.add(artists[(n + column) % 3])
    return {"project": project, "shots": shots, "task_types": task_types, "statuses": statuses}


def sign_in(page, person):
    page.goto("/admin/login/")
    page.fill("input[name=username]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def test_sign_in_open_the_board_and_change_three_cells_at_once(page, coordinator, studio):
    sign_in(page, coordinator)
    page.click("#content-main a[href='/admin/production/project/board/']")
    page.wait_for_selector("table.board")
    assert page.locator("table.board tbody tr").count() == 8
    assert page.locator("table.board thead th.board-column").all_inner_texts() == [name for name, _ in TASK_TYPES]
    assert page.locator(".board-late-marker").count() > 0
    screenshot(page, "board.png")

    animation = [Task.objects.get(entity=shot, task_type=studio["task_types"][1]) for shot in studio["shots"][:3]]
    for task in animation:
        page.check(f"input[name=tasks][value='{task.pk}']")
    assert page.inner_text("#board-selected") == "3"
    page.select_option("select[name=action]", "status")
    page.select_option("select[name=task_status]", label="To review")
    page.fill("textarea[name=comment]", "Blocking approved in dailies")
    screenshot(page, "bulk-change-selection.png")
    page.click("#board-form button[type=submit]")
    page.wait_for_selector("ul.messagelist")
    assert "3 tasks set to To review." in page.inner_text("ul.messagelist")
    screenshot(page, "bulk-change.png")

    to_review = studio["statuses"]["pndng"]
    assert {Task.objects.get(pk=t.pk).task_status_id for t in animation} == {to_review.pk}
    comments = Comment.objects.filter(object_id__in=[t.pk for t in animation])
    assert sorted((c.text, c.task_status_id, c.person_id) for c in comments) == [
        ("Blocking approved in dailies", to_review.pk, coordinator.pk)
    ] * 3


def test_import_preview_names_the_file_lines_of_two_bad_rows(page, coordinator, studio, tmp_path):
    sheet = tmp_path / "shots-fr.csv"
    rows = [
        "Project;Episode;Sequence;Name;Description;FPS;Frame In;Frame Out",
        "Cosmos Landromat;E01;SQ03;SH090;Plan large;25;1001;1048",
        "Cosmos Landromat;E01;SQ03;SH100;Gros plan;25;1049;1100",
        "",
        "Cosmos Landromat;E01;SQ03;;Sans nom;25;1101;1140",
        "Cosmos Landromat;E01;SQ03;SH120;Contrechamp;25;1141;1180",
        "Cosmos Landromat;E01;SQ03;SH130;Panoramique;25;début;1220",
    ]
    sheet.write_bytes("\ufeff".encode() + "\r\n".join(rows).encode("utf-8") + b"\r\n")
    sign_in(page, coordinator)
    page.goto("/admin/production/shot/import/")
    page.set_input_files("input[name=import_file]", str(sheet))
    page.click("input[type=submit]")
    page.wait_for_selector("#csv-import-errors")
    cells = page.locator("#csv-import-errors tbody tr").evaluate_all(
        "rows => rows.map(row => [...row.cells].slice(0, 3).map(cell => cell.innerText.trim()))"
    )
    assert cells == [["5", "Name", "Name is required."], ["7", "Frame In", "'début' is not a number."]]
    screenshot(page, "import-preview-errors.png", full_page=True)
    assert not Shot.objects.filter(name__in=["SH090", "SH100", "SH120"]).exists()


def thumbnail_png(path):
    """A frame that looks like a shot: a sky, a ground, a sun."""
    picture = Image.new("RGB", (640, 360), "#87b5e5")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 250, 640, 360), fill="#4f7942")
    draw.ellipse((470, 40, 560, 130), fill="#ffd23f")
    draw.polygon([(80, 250), (200, 120), (320, 250)], fill="#6b6b6b")
    picture.save(path, "PNG")
    return path


def test_upload_a_thumbnail_in_the_admin_and_see_it_on_the_shot_page(page, coordinator, studio, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    shot = studio["shots"][0]
    sign_in(page, coordinator)
    page.goto(f"/admin/production/shot/{shot.pk}/change/")
    assert "No thumbnail" in page.inner_text("fieldset:has(input[name=thumbnail_upload])")
    page.set_input_files("input[name=thumbnail_upload]", str(thumbnail_png(tmp_path / "sh010.png")))
    page.click("input[name=_continue]")
    page.wait_for_selector("ul.messagelist")
    image = page.locator("img[alt='shots thumbnail']")
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0
    screenshot(page, "shot-thumbnail.png")
    assert (tmp_path / "media" / "thumbnails" / "shots" / f"{shot.pk}.png").exists()
