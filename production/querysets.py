"""Query shaping for the API: visibility by role and project team, and the
select_related / prefetch_related / annotate each route needs (each commented
with the field that needs it)."""

import copy

from django.db.models import F, Prefetch, Q

from production.models import (
    OPEN_STATUS_NAMES,
    AssetType,
    Comment,
    Department,
    Entity,
    Person,
    Project,
    Task,
    TaskType,
    TimeSpent,
)


def sees_all_projects(person):
    return person.is_manager_or_admin


def visible_projects(person):
    """Admins and managers see every project; others only those whose team has them."""
    if sees_all_projects(person):
        return Project.objects.all()
    return Project.objects.filter(team=person)


def visible_project_ids(person):
    """The ids themselves, read once per person object (a request's user):
    given as a subquery, PostgreSQL misjudges how few rows it keeps and reads
    every task of the project to find an artist's own (bench/studio_day.py:
    1,000 tasks among 96,000 took 1.9 s, and 0.1 s with the ids)."""
    ids = getattr(person, "_visible_project_ids", None)
    if ids is None:
        ids = person._visible_project_ids = list(visible_projects(person).values_list("id", flat=True))
    return ids


def persons_seeing_projects(project_ids):
    """visible_projects read the other way, for the live event stream: the
    active admins and managers (they see every project), and per project id
    (as a string) its active team members. Two queries whatever the number of projects."""
    managers = set(
        Person.objects.filter(active=True, role__in=(Person.Role.ADMIN, Person.Role.MANAGER)).values_list("id", flat=True)
    )
    teams = {}
    if project_ids:
        members = Project.team.through.objects.filter(project_id__in=project_ids, person__active=True)
        for project_id, person_id in members.values_list("project_id", "person_id"):
            teams.setdefault(str(project_id), set()).add(person_id)
    return managers, teams


def seeing(person, person_id, project_ids):
    """A stand-in for `person` (same role) with another id, seeing these
    projects: what zou_site.api.compiled compiles a visibility query with."""
    stand_in = copy.copy(person)
    stand_in.pk = person_id
    stand_in._visible_project_ids = list(project_ids)
    return stand_in


def visibility_values(person):
    """(key, values): what a person's visibility queries depend on. The key
    (their role, whether they see everything, how many projects they see)
    shapes the query; the values (their id, their projects' ids) do not."""
    if sees_all_projects(person):
        return (person.role, True, 0), (person.pk,)
    ids = visible_project_ids(person)
    return (person.role, False, len(ids)), (person.pk, *ids)


def restrict_to_projects(queryset, person, project_field="project"):
    """Narrow any queryset holding a project link to the projects the person sees."""
    if sees_all_projects(person):
        return queryset
    return queryset.filter(**{f"{project_field}__in": visible_project_ids(person)})


def visible_persons(person, queryset=None):
    """Managers and admins see every person; the others see themselves and
    the teams of the projects they see (with their emails and phones: a
    team's members reach each other), never the studio's whole staff list.
    The REST lists, the persons CSV export and avatars share this rule."""
    queryset = Person.objects.all() if queryset is None else queryset
    if sees_all_projects(person):
        return queryset
    teams = Project.team.through.objects.filter(project_id__in=visible_project_ids(person)).values("person_id")
    return queryset.filter(Q(pk=person.pk) | Q(pk__in=teams))


def visible_entities(person, queryset=None):
    return restrict_to_projects(Entity.objects.all() if queryset is None else queryset, person)


def visible_tasks(person, queryset=None):
    return restrict_to_projects(Task.objects.all() if queryset is None else queryset, person)


def visible_comments(person, queryset=None):
    queryset = Comment.objects.all() if queryset is None else queryset
    if sees_all_projects(person):
        return queryset
    return queryset.filter(object_id__in=visible_tasks(person).values("id"))


# API shaping. Many-to-many fields are serialized as lists of ids; prefetching
# only the ids keeps each list at one extra query per relation.
def _ids(model):
    # Ordered by id, as zou_site.api.fast_rows orders the same lists.
    return model.objects.only("id").order_by("pk")


def persons_for_api(person):
    return visible_persons(person).prefetch_related(Prefetch("skills", queryset=_ids(Department)))  # field: skills


def projects_for_api(person):
    return visible_projects(person).prefetch_related(Prefetch("team", queryset=_ids(Person)))  # field: team


def entities_for_api(person, queryset):
    return visible_entities(person, queryset).prefetch_related(
        Prefetch("entities_out", queryset=_ids(Entity))  # field: entities_out
    ).annotate(entity_type_name=F("entity_type__name"))  # field: type (Entity rows)


def entities_with_names(person, queryset):
    """shots/all and assets/all: the names Zou clients show beside each row."""
    return entities_for_api(person, queryset).annotate(
        project_name=F("project__name"),  # field: project_name
        asset_type_name=F("entity_type__name"),  # field: asset_type_name
        sequence_name=F("parent__name"),  # field: sequence_name
        episode_name=F("parent__parent__name"),  # field: episode_name
    )


def tasks_for_api(person, queryset=None):
    return visible_tasks(person, queryset).prefetch_related(
        Prefetch("assignees", queryset=_ids(Person))  # field: assignees
    )


def tasks_with_names(person, queryset=None):
    """Entity task lists: each task with its status, type and entity names."""
    return tasks_for_api(person, queryset).annotate(
        task_status_name=F("task_status__name"),  # field: task_status_name
        task_status_short_name=F("task_status__short_name"),  # field: task_status_short_name
        task_status_color=F("task_status__color"),  # field: task_status_color
        task_type_name=F("task_type__name"),  # field: task_type_name
        task_type_color=F("task_type__color"),  # field: task_type_color
        task_type_priority=F("task_type__priority"),  # field: task_type_priority
        entity_name=F("entity__name"),  # field: entity_name
        entity_type_name=F("entity__entity_type__name"),  # field: entity_type_name
        project_name=F("project__name"),  # field: project_name
    )


def comments_for_api(person, queryset=None):
    """Comments newest first with who wrote them and the status they set."""
    return visible_comments(person, queryset).select_related(
        "person",  # field: person (nested)
        "task_status",  # field: task_status (nested)
    ).order_by("-created_at", "-id")


def time_spents_for_api(person, queryset=None):
    queryset = TimeSpent.objects.all() if queryset is None else queryset
    return restrict_to_projects(queryset, person, "task__project")


def task_full_for_api(person):
    """data/tasks/<id>/full: the task with its related rows nested."""
    return tasks_for_api(person).select_related(
        "project",  # field: project
        "task_type",  # field: task_type
        "task_status",  # field: task_status
        "entity__entity_type",  # fields: entity, entity_type
        "entity__parent__entity_type",  # field: sequence
        "assigner",  # field: assigner
    ).prefetch_related(
        Prefetch("project__team", queryset=_ids(Person)),  # field: project.team
        Prefetch("entity__entities_out", queryset=_ids(Entity)),  # field: entity.entities_out
        Prefetch("entity__parent__entities_out", queryset=_ids(Entity)),  # field: sequence.entities_out
        Prefetch("assignees", to_attr="assignee_rows"),  # field: persons
    )


# --- Task lists of gazu's task module and the artist's own view (issue 15) ---
# Scopes are subqueries of ids rather than joins: no row is listed twice, so
# no list needs DISTINCT, and each list stays one query for its rows.


def in_episode(episode_id):
    """Tasks of an episode: on the episode, its sequences, their shots, and the
    assets cast in those shots (an asset has no episode of its own here)."""
    cast = Entity.objects.filter(entities_in__parent__parent_id=episode_id).values("id")
    return (
        Q(entity_id=episode_id)
        | Q(entity__parent_id=episode_id)
        | Q(entity__parent__parent_id=episode_id)
        | Q(entity_id__in=cast)
    )


def open_project_tasks(queryset=None):
    """Tasks of open projects only, as Zou's to-do lists are."""
    queryset = Task.objects.all() if queryset is None else queryset
    return queryset.filter(project__project_status__name__in=OPEN_STATUS_NAMES)


def tasks_in_context(person, queryset=None):
    """A to-do list's rows: the entity task list's names plus the shot's
    sequence and episode (a sequence's own task names its episode there)."""
    return tasks_with_names(person, queryset).annotate(
        sequence_name=F("entity__parent__name"),  # field: sequence_name
        episode_id=F("entity__parent__parent_id"),  # field: episode_id
        episode_name=F("entity__parent__parent__name"),  # field: episode_name
    )


def task_types_of(tasks):
    """The task types the given tasks use."""
    return TaskType.objects.filter(id__in=tasks.values("task_type_id"))


def asset_types_of(assets):
    return AssetType.objects.filter(id__in=assets.values("entity_type_id"))


def tasks_assigned_to(person, queryset=None):
    """The person's own tasks among those they still see (a project they left
    hides its tasks, even those still assigned to them)."""
    return visible_tasks(person, queryset).filter(assignees=person)


def related_tasks(person, task_type):
    """Tasks of a type on the entities where the person has a task, in open projects."""
    entities = open_project_tasks(Task.objects.filter(assignees=person)).values("entity_id")
    return Task.objects.filter(task_type=task_type, entity_id__in=entities)


def tasks_to_check(person):
    """Tasks waiting for a review (a status that is reviewable and not done)
    in the open projects a reviewer sees: supervisors those of their
    departments when they have any, managers and admins all. Artists and
    clients review nothing."""
    if person.role not in (Person.Role.ADMIN, Person.Role.MANAGER, Person.Role.SUPERVISOR):
        return Task.objects.none()
    tasks = open_project_tasks().filter(task_status__is_reviewable=True, task_status__is_done=False)
    if person.role == Person.Role.SUPERVISOR and person.skills.exists():
        tasks = tasks.filter(task_type__department__in=person.skills.all())
    return tasks


def entities_with_tasks_of(person, queryset, depth=0):
    """Entities of `queryset` holding one of the person's tasks, themselves or
    `depth` levels below them (1: a sequence's shots, 2: an episode's)."""
    mine = tasks_assigned_to(person)
    scope = Q(id__in=mine.values("entity_id"))
    if depth >= 1:
        scope |= Q(id__in=mine.values("entity__parent_id"))
    if depth >= 2:
        scope |= Q(id__in=mine.values("entity__parent__parent_id"))
    return queryset.filter(scope)


# --- Casting (issue 15): EntityLink rows read as Zou's casting entries ---
# One query per answer, whatever the number of links: the asset's (or the
# holder's) names come as columns of the link query.


def casting_entries(links, **extra):
    """Links as casting entries, the asset's name, type and preview beside
    each, ordered as Zou lists a casting: by asset type, then asset name."""
    return links.values(
        "entity_in_id",
        "nb_occurences",
        "label",
        asset_id=F("entity_out_id"),  # field: asset_id
        asset_name=F("entity_out__name"),  # field: asset_name
        asset_type_id=F("entity_out__entity_type_id"),  # field: asset_type_id
        asset_type_name=F("entity_out__entity_type__name"),  # field: asset_type_name
        preview_file_id=F("entity_out__preview_file_id"),  # field: preview_file_id
        **extra,
    ).order_by("asset_type_name", "asset_name", "asset_id")


def shots_casting_entries(links):
    """Shots' castings, shot by shot in sequence order (Zou's order)."""
    entries = casting_entries(links, sequence_name=F("entity_in__parent__name"))  # field: sequence_name
    return entries.order_by("sequence_name", "entity_in__name", "entity_in_id", "asset_type_name", "asset_name", "asset_id")


def cast_in_rows(links):
    """Where an asset is cast: each holder's own names, its sequence and
    episode for a shot, its type for an asset."""
    return links.values(
        "nb_occurences",
        "label",
        holder_id=F("entity_in_id"),  # fields: id, shot_id / asset_id / episode_id
        holder_name=F("entity_in__name"),  # fields: name, shot_name / asset_name / episode_name
        holder_type_id=F("entity_in__entity_type_id"),  # field: asset_type_id
        holder_type=F("entity_in__entity_type__name"),  # fields: type, asset_type_name
        project_id=F("entity_in__project_id"),  # field: project_id
        preview_file_id=F("entity_in__preview_file_id"),  # field: preview_file_id
        parent_id=F("entity_in__parent_id"),  # field: sequence_id
        parent_name=F("entity_in__parent__name"),  # field: sequence_name
        grandparent_id=F("entity_in__parent__parent_id"),  # field: episode_id
        grandparent_name=F("entity_in__parent__parent__name"),  # field: episode_name
    ).order_by(
        # Shots by episode and sequence first, then the others by type name; the same on every database.
        F("grandparent_name").asc(nulls_last=True),
        F("parent_name").asc(nulls_last=True),
        "holder_type",
        "holder_name",
        "holder_id",
    )
