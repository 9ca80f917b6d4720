"""The project in context (issue 18): chosen once on a list, the board or the
project list, it is kept in the session; lists, filters, pickers and add
forms keep to it until the coordinator picks "All projects"."""

import pytest
from django.urls import reverse

from production.models import Episode, Project, ProjectStatus, Sequence, Shot, Task

CONTEXT = reverse("admin:production_project_context")


@pytest.fixture
def other(production):
    """A second project whose names repeat the first's: SQ names, shot names, tasks."""
    project = Project.objects.create(name="Night Ferry", project_status=ProjectStatus.objects.get(name="Open"))
    episode = Episode.objects.create(name="E01", project=project)
    sequence = Sequence.objects.create(name="S01", project=project, parent=episode)
    shot = Shot.objects.create(name="P01", project=project, parent=sequence)
    task = Task.objects.create(project=project, entity=shot, task_type=production["task_types"][0], task_status=production["todo"])
    return {"project": project, "sequence": sequence, "shot": shot, "task": task}


def listed(response):
    return {row.pk for row in response.context["cl"].result_list}


def test_a_project_chosen_on_one_list_is_kept_on_the_others(admin_browser, production, other):
    project = production["project"]
    shots = admin_browser.get(reverse("admin:production_shot_changelist"), {"project": project.pk})
    assert listed(shots) == {shot.pk for shot in production["shots"]}
    # The task list, opened with no filter, keeps to the project and says so.
    response = admin_browser.get(reverse("admin:production_task_changelist"))
    assert listed(response) == {task.pk for task in production["tasks"]}
    html = response.content.decode()
    assert 'Working on <strong id="project-context-name">Cosmos Landromat</strong>' in html
    assert other["task"].pk not in listed(response)
    # Its sequence filter lists that project's sequences only (S01 exists in both).
    sequence_choices = [title for value, title in response.context["cl"].filter_specs[2].lookup_choices]
    assert sequence_choices == ["Cosmos Landromat / E01 / S01", "Cosmos Landromat / E01 / S02"]
    # "All projects" in the filter clears it everywhere.
    admin_browser.get(reverse("admin:production_task_changelist"), {"project": "all"})
    everything = admin_browser.get(reverse("admin:production_shot_changelist"))
    assert other["shot"].pk in listed(everything)
    assert "All projects." in everything.content.decode()


def test_the_bar_clears_the_context_and_returns_to_the_page_without_the_filter(admin_browser, production, other):
    admin_browser.post(CONTEXT, {"project": other["project"].pk, "next": "/admin/"})
    assert listed(admin_browser.get(reverse("admin:production_task_changelist"))) == {other["task"].pk}
    back = reverse("admin:production_task_changelist") + f"?project={other['project'].pk}&q=P0"
    response = admin_browser.post(CONTEXT, {"project": "", "next": back})
    assert response.status_code == 302 and response.url == reverse("admin:production_task_changelist") + "?q=P0"
    assert len(listed(admin_browser.get(reverse("admin:production_task_changelist")))) == len(production["tasks"]) + 1
    # Somewhere else than this site is no place to go back to.
    assert admin_browser.post(CONTEXT, {"project": "", "next": "https://evil.test/"}).url == reverse("admin:index")


def test_the_project_list_offers_to_work_on_each_project(admin_browser, production, other):
    html = admin_browser.get(reverse("admin:production_project_changelist")).content.decode()
    assert f'form="project-context-form" name="project" value="{other["project"].pk}"' in html
    assert 'id="project-context-form"' in html


def test_pickers_and_add_forms_keep_to_the_project(admin_browser, production, other):
    admin_browser.post(CONTEXT, {"project": other["project"].pk, "next": "/admin/"})
    form = admin_browser.get(reverse("admin:production_task_add")).context["adminform"].form
    assert form["project"].value() == other["project"].pk
    # The entity autocomplete of Add task offers the project's P01, not the other project's.
    query = {"app_label": "production", "model_name": "task", "field_name": "entity", "term": "P01"}
    results = admin_browser.get("/admin/autocomplete/", query).json()["results"]
    assert [result["id"] for result in results] == [str(other["shot"].pk)]
    assert results[0]["text"] == "Night Ferry / E01 / S01 / P01"
    shot_form = admin_browser.get(reverse("admin:production_shot_add")).context["adminform"].form
    assert list(shot_form.fields["parent"].queryset) == [other["sequence"]]


def test_the_board_opens_on_the_project_in_context_and_sets_it(admin_browser, production, other):
    admin_browser.post(CONTEXT, {"project": other["project"].pk, "next": "/admin/"})
    assert admin_browser.get(reverse("admin:production_board")).context["board"].project == other["project"]
    admin_browser.get(reverse("admin:production_board"), {"project": production["project"].pk})
    assert listed(admin_browser.get(reverse("admin:production_shot_changelist"))) == {s.pk for s in production["shots"]}
