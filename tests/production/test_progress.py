"""Progress at a glance (issue 18): per project, episode and sequence the
share of tasks done and in review and the late ones, each artist's
estimation against time spent, links to the task list filtered to what each
figure counts, in a flat number of queries."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from production.models import Shot, Task, TaskStatus
from tests.factories import make_person
from tests.helpers import assert_query_baseline

PROGRESS = reverse("admin:production_progress")


@pytest.fixture
def progress(production):
    """Shots P01, P02 in S01 and P03 in S02: P01 done, P02 in review and late, P03 late; two artists."""
    statuses = {status.short_name: status for status in TaskStatus.objects.all()}
    shot_tasks = {task.entity.name: task for task in production["tasks"] if task.entity.name.startswith("P")}
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Task.objects.filter(pk=shot_tasks["P01"].pk).update(task_status=statuses["done"], due_date=yesterday, estimation=8 * 3600, duration=10 * 3600)
    Task.objects.filter(pk=shot_tasks["P02"].pk).update(task_status=statuses["pndng"], due_date=yesterday, estimation=4 * 3600, duration=3600)
    Task.objects.filter(pk=shot_tasks["P03"].pk).update(due_date=yesterday, estimation=16 * 3600)
    chloe = make_person("user", first_name="Chloé", last_name="Martin")
    hugo = make_person("user", first_name="Hugo", last_name="Costa")
    shot_tasks["P01"].assignees.add(chloe)
    shot_tasks["P02"].assignees.add(chloe)
    shot_tasks["P03"].assignees.add(hugo)
    return {**production, "chloe": chloe, "hugo": hugo}


def rows(html, table):
    body = re.search(rf'<table class="progress" id="{table}">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", cell).split("(")[0].strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_each_part_of_the_project_shows_its_shares_and_late_tasks(admin_browser, progress):
    html = admin_browser.get(PROGRESS, {"project": progress["project"].pk}).content.decode()
    assert rows(html, "progress-breakdown") == [
        # part, tasks, done, in review, late
        ["Cosmos Landromat", "5", "20%", "20%", "2 late"],
        ["E01", "3", "33%", "33%", "2 late"],
        ["S01", "2", "50%", "50%", "1 late"],
        ["S02", "1", "0%", "0%", "1 late"],
        ["Assets", "2", "0%", "0%", "—"],
    ]


def test_each_figure_links_to_the_tasks_it_counts(admin_browser, progress):
    html = admin_browser.get(PROGRESS, {"project": progress["project"].pk}).content.decode()
    sequence = progress["sequences"][0]
    late_link = re.search(rf'href="([^"]*sequence={sequence.pk}[^"]*progress=late)"', html).group(1).replace("&amp;", "&")
    listed = admin_browser.get(late_link).context["cl"].result_list
    assert [task.entity.name for task in listed] == ["P02"]
    query = parse_qs(urlsplit(late_link).query)
    assert query == {"project": [str(progress["project"].pk)], "sequence": [str(sequence.pk)], "progress": ["late"]}
    done_link = re.search(r'href="([^"]*episode=[^"]*progress=done)"', html).group(1).replace("&amp;", "&")
    assert [task.entity.name for task in admin_browser.get(done_link).context["cl"].result_list] == ["P01"]


def test_each_artist_shows_estimation_against_time_spent(admin_browser, progress):
    html = admin_browser.get(PROGRESS, {"project": progress["project"].pk}).content.decode()
    assert rows(html, "progress-workload") == [
        # artist, tasks, open, late, estimation, time spent
        ["Chloé Martin", "2", "1", "1", "12 h", "11 h"],
        ["Hugo Costa", "1", "1", "1", "16 h", "0 h"],
    ]
    link = re.search(r'<a href="([^"]+)">Hugo Costa</a>', html).group(1).replace("&amp;", "&")
    assert [task.entity.name for task in admin_browser.get(link).context["cl"].result_list] == ["P03"]


def test_the_page_opens_on_the_project_in_context(admin_browser, progress):
    admin_browser.get(reverse("admin:production_shot_changelist"), {"project": progress["project"].pk})
    response = admin_browser.get(PROGRESS)
    assert response.context["project"] == progress["project"]
    assert "Progress — Cosmos Landromat" in response.content.decode()


@pytest.mark.parametrize("extra_shots", [0, 12])
def test_progress_query_count_is_flat(admin_browser, progress, django_assert_max_num_queries, extra_shots):
    sequence, animation, todo = progress["sequences"][1], progress["task_types"][0], progress["todo"]
    for n in range(extra_shots):
        shot = Shot.objects.create(name=f"X{n:03}", project=progress["project"], parent=sequence)
        task = Task.objects.create(project=shot.project, task_type=animation, task_status=todo, entity=shot)
        task.assignees.add(make_person("user"))
    admin_browser.get(PROGRESS, {"project": progress["project"].pk})
    with assert_query_baseline(django_assert_max_num_queries, "admin production/progress"):
        response = admin_browser.get(PROGRESS, {"project": progress["project"].pk})
    assert len(response.context["workloads"]) == 2 + extra_shots
