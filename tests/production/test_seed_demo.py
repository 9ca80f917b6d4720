"""`manage.py seed_demo`: a small, complete production, loaded any number of times."""

import io

from django.core.management import call_command

from production.demo import PROJECT_NAME
from production.models import Asset, Comment, Person, Project, Sequence, Shot, Task, TaskType, TimeSpent
from tests.helpers import row_counts


def test_seeding_twice_adds_nothing(demo):
    before = row_counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert row_counts() == before


def test_seeding_again_keeps_a_coordinators_changes(demo):
    task = Task.objects.filter(entity__name="Bunny").first()
    task.assignees.clear()
    Shot.objects.filter(name="SH010").update(data={"frame_in": 1, "frame_out": 2})
    call_command("seed_demo", stdout=io.StringIO())
    assert not task.assignees.exists()
    for data in Shot.objects.filter(name="SH010").values_list("data", flat=True):
        assert data == {"frame_in": 1, "frame_out": 2}


def test_the_summary_counts_the_demo(demo):
    assert f"“{PROJECT_NAME}” is ready" in demo
    for line in ["episodes: 2", "sequences: 4", "shots: 32", "assets: 15", "tasks: 173", "persons in the team: 6"]:
        assert f"  {line}\n" in demo


def test_the_breakdown_is_two_episodes_of_two_sequences_of_shots_with_frame_ranges(demo):
    project = Project.objects.get(name=PROJECT_NAME)
    sequences = Sequence.objects.filter(project=project).select_related("parent")
    assert sorted((s.parent.name, s.name) for s in sequences) == [
        ("E01", "SQ01"),
        ("E01", "SQ02"),
        ("E02", "SQ03"),
        ("E02", "SQ04"),
    ]
    for shot in Shot.objects.filter(project=project):
        assert shot.nb_frames == shot.frame_out - shot.frame_in + 1 > 0
    assert set(Asset.objects.filter(project=project).values_list("entity_type__name", flat=True)) == {
        "Characters",
        "Props",
        "Environments",
    }


def test_every_entity_has_a_task_per_task_type_of_its_kind_assigned_to_a_skilled_artist(demo):
    project = Project.objects.get(name=PROJECT_NAME)
    for task_type in TaskType.objects.filter(department__isnull=False).select_related("department"):
        kind = Shot if task_type.for_shots else Asset
        assert task_type.for_entity == kind.__name__
        assert Task.objects.filter(task_type=task_type).count() == kind.objects.filter(project=project).count()
    for task in Task.objects.prefetch_related("assignees__skills").select_related("task_type"):
        (assignee,) = task.assignees.all()
        assert task.task_type.department_id in {department.pk for department in assignee.skills.all()}


def test_the_demo_artists_are_the_team_and_cannot_log_in_until_given_a_password(demo):
    project = Project.objects.get(name=PROJECT_NAME)
    team = list(project.team.all())
    assert len(team) == 6
    assert {person.role for person in team} == {Person.Role.SUPERVISOR, Person.Role.USER}
    assert not any(person.has_usable_password() for person in team)


def test_some_tasks_have_comments_and_time_spent_by_their_assignee(demo):
    assert Comment.objects.count() == TimeSpent.objects.count() > 0
    for time_spent in TimeSpent.objects.select_related("task"):
        assert time_spent.task.assignees.filter(pk=time_spent.person_id).exists()
    for comment in Comment.objects.all():
        task = Task.objects.get(pk=comment.object_id)
        assert comment.task_status_id == task.task_status_id
