"""The invariants the database keeps for the production models: uniqueness,
protected deletions, the proxies' managers, and login by email."""

from datetime import date

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from files.defaults import DEFAULT_FILE_STATUS
from files.models import FileStatus
from production.defaults import DEFAULT_PROJECT_STATUSES, DEFAULT_TASK_STATUSES
from production.models import (
    RESERVED_ENTITY_TYPES,
    Asset,
    AssetType,
    Comment,
    Department,
    Entity,
    EntityType,
    Episode,
    Person,
    Project,
    ProjectStatus,
    Sequence,
    Shot,
    Task,
    TaskStatus,
    TaskType,
    TimeSpent,
)
from tests.factories import PASSWORD, make_person
from tests.helpers import row_counts

DAY = date(2024, 3, 4)


def time_spent(p, person=None):
    return TimeSpent.objects.create(person=person or make_person("user"), task=p["tasks"][0], date=DAY, duration=3600)


def second_generic_task_type(p):
    TaskType.objects.create(name="Generic")
    return TaskType(name="Generic")


# Each builds, from the `production` fixture, an unsaved row that repeats the
# natural key of a saved one.
DUPLICATES = {
    "person email": lambda p: Person(email=make_person("user").email),
    "department name": lambda p: Department(name="Animation"),
    "project status name": lambda p: ProjectStatus(name="Open"),
    "project name": lambda p: Project(name="Cosmos Landromat"),
    "entity type name": lambda p: EntityType(name="Props"),
    "entity in the same parent": lambda p: Shot(
        name="P01", project=p["project"], parent=p["sequences"][0], entity_type=p["entity_type_shot"]
    ),
    "entity without parent": lambda p: Asset(name="Tree", project=p["project"], entity_type=p["asset_types"][0]),
    "task type in the same department": lambda p: TaskType(name="Animation", department=p["departments"][0]),
    "task type without department": second_generic_task_type,
    "task status short name": lambda p: TaskStatus(name="Another todo", short_name="todo"),
    "task of an entity": lambda p: Task(
        name="main", project=p["project"], task_type=p["task_types"][0], task_status=p["todo"], entity=p["shots"][0]
    ),
    "time spent of a person on a task and day": lambda p: TimeSpent(
        person=time_spent(p).person, task=p["tasks"][0], date=DAY, duration=60
    ),
}


@pytest.mark.parametrize("build_duplicate", DUPLICATES.values(), ids=DUPLICATES.keys())
def test_a_duplicate_natural_key_is_refused_by_validation_and_by_the_database(production, build_duplicate):
    duplicate = build_duplicate(production)
    with pytest.raises(ValidationError):
        duplicate.validate_unique()
        duplicate.validate_constraints()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_person_email_is_unique_whatever_its_case(admin_person):
    with pytest.raises(ValidationError):
        make_person("user", email="ADMIN@Studio.test")


# The same names where the constraints must let them through.
NOT_DUPLICATES = {
    "entity of the same name in another parent": lambda p: Shot(
        name="P01", project=p["project"], parent=p["sequences"][1], entity_type=p["entity_type_shot"]
    ),
    "entity of the same name and another type": lambda p: Asset(
        name="Tree", project=p["project"], entity_type=p["asset_types"][1]
    ),
    "task type of the same name in another department": lambda p: TaskType(
        name="Animation", department=p["departments"][1]
    ),
    "task type of the same name without department": lambda p: TaskType(name="Animation"),
    "task of another name on the same entity": lambda p: Task(
        name="extra", project=p["project"], task_type=p["task_types"][0], task_status=p["todo"], entity=p["shots"][0]
    ),
}


@pytest.mark.parametrize("build_row", NOT_DUPLICATES.values(), ids=NOT_DUPLICATES.keys())
def test_the_same_name_elsewhere_is_allowed(production, build_row):
    row = build_row(production)
    row.validate_constraints()
    row.save()


def assigner_of_a_task(p):
    person = make_person("supervisor")
    Task.objects.filter(pk=p["tasks"][0].pk).update(assigner=person)
    return person


def author_of_a_comment(p):
    person = make_person("user")
    Comment.objects.create(object_id=p["tasks"][0].pk, person=person, text="Looks good")
    return person


# Each answers, from the `production` fixture, a row other rows still point to.
PROTECTED = {
    "project with entities and tasks": lambda p: p["project"],
    "entity type with entities": lambda p: p["asset_types"][0],
    "sequence with shots": lambda p: p["sequences"][0],
    "episode with sequences": lambda p: p["episode"],
    "entity with tasks": lambda p: p["shots"][0],
    "task type with tasks": lambda p: p["task_types"][0],
    "task status with tasks": lambda p: p["todo"],
    "person who assigned a task": assigner_of_a_task,
    "person with comments": author_of_a_comment,
    "person with time spents": lambda p: time_spent(p).person,
    "task with time spents": lambda p: time_spent(p).task,
}


@pytest.mark.parametrize("build_protected", PROTECTED.values(), ids=PROTECTED.keys())
def test_deleting_a_row_still_pointed_at_is_refused_and_deletes_nothing(production, build_protected):
    protected = build_protected(production)
    before = row_counts()
    with pytest.raises(ProtectedError), transaction.atomic():
        protected.delete()
    assert row_counts() == before


@pytest.mark.parametrize(
    "proxy, type_name, expected",
    [(Episode, "Episode", 1), (Sequence, "Sequence", 2), (Shot, "Shot", 3)],
)
def test_a_kind_manager_holds_only_its_kind(production, proxy, type_name, expected):
    assert sorted(proxy.objects.values_list("entity_type__name", flat=True)) == [type_name] * expected


def test_asset_manager_holds_every_entity_of_a_non_reserved_type(production):
    assert set(Asset.objects.values_list("name", flat=True)) == {"Tree", "Victor"}
    assert not Asset.objects.filter(entity_type__name__in=RESERVED_ENTITY_TYPES).exists()
    assert Entity.objects.count() == 1 + 2 + 3 + 2


def test_creating_a_shot_through_its_manager_sets_its_type(production):
    shot = Shot.objects.create(name="P99", project=production["project"], parent=production["sequences"][0])
    assert Entity.objects.get(pk=shot.pk).entity_type.name == "Shot"


def test_saving_a_new_shot_sets_its_type(production):
    shot = Shot(name="P98", project=production["project"], parent=production["sequences"][1])
    shot.save()
    assert Entity.objects.get(pk=shot.pk).entity_type == production["entity_type_shot"]
    assert shot in Shot.objects.all()


def test_asset_types_exclude_the_reserved_types(production):
    assert set(AssetType.objects.values_list("name", flat=True)) == {"Characters", "Props"}
    assert set(EntityType.objects.values_list("name", flat=True)) >= set(RESERVED_ENTITY_TYPES)


@pytest.mark.parametrize("reserved", RESERVED_ENTITY_TYPES)
def test_a_reserved_name_cannot_be_an_asset_type(db, reserved):
    with pytest.raises(ValidationError):
        AssetType(name=reserved).clean()


def test_an_asset_cannot_have_a_reserved_type(production):
    with pytest.raises(ValidationError):
        Asset(name="Odd", project=production["project"], entity_type=production["entity_type_shot"]).clean()


def test_login_by_email_ignores_its_case(admin_person):
    assert authenticate(email="ADMIN@Studio.Test", password=PASSWORD) == admin_person
    assert authenticate(username="admin@studio.test", password=PASSWORD) == admin_person


def test_login_with_a_wrong_password_is_refused(admin_person):
    assert authenticate(email="admin@studio.test", password="not the password") is None


def test_an_inactive_person_cannot_log_in(db):
    person = make_person("admin", active=False)
    assert authenticate(email=person.email, password=PASSWORD) is None


def test_the_models_and_their_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_data_migrations_insert_the_reference_rows_the_live_defaults_list(db):
    # The migrations carry a frozen copy of these rows; a change to the live
    # defaults without a migration that follows it fails here.
    assert set(EntityType.objects.values_list("name", flat=True)) == set(RESERVED_ENTITY_TYPES)
    assert set(
        TaskStatus.objects.values_list("name", "short_name", "color", "is_default", "is_done", "is_reviewable")
    ) == set(DEFAULT_TASK_STATUSES)
    assert set(ProjectStatus.objects.values_list("name", "color")) == set(DEFAULT_PROJECT_STATUSES)
    assert list(FileStatus.objects.values_list("name", "color")) == [DEFAULT_FILE_STATUS]
