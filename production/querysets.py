"""Query shaping for the API: visibility by role and project team, and the
select_related / prefetch_related / annotate each route needs (each commented
with the field that needs it)."""

from production.models import Comment, Entity, Project, Task


def sees_all_projects(person):
    return person.is_manager_or_admin


def visible_projects(person):
    """Admins and managers see every project; others only those whose team has them."""
    if sees_all_projects(person):
        return Project.objects.all()
    return Project.objects.filter(team=person)


def visible_project_ids(person):
    return visible_projects(person).values("id")


def restrict_to_projects(queryset, person, project_field="project"):
    """Narrow any queryset holding a project link to the projects the person sees."""
    if sees_all_projects(person):
        return queryset
    return queryset.filter(**{f"{project_field}__in": visible_project_ids(person)})


def visible_entities(person, queryset=None):
    return restrict_to_projects(Entity.objects.all() if queryset is None else queryset, person)


def visible_tasks(person, queryset=None):
    return restrict_to_projects(Task.objects.all() if queryset is None else queryset, person)


def visible_comments(person, queryset=None):
    queryset = Comment.objects.all() if queryset is None else queryset
    if sees_all_projects(person):
        return queryset
    return queryset.filter(object_id__in=visible_tasks(person).values("id"))
