"""Who may change what, beyond reading it: one rule per act, used by every
door (task actions, file work, thumbnails, imports, the admin).

Visibility is production.querysets' job: these rules are asked about rows the
person already sees, so a hidden row stays a 404 and a refusal here is a 403.
The `require_*` helpers raise Django's PermissionDenied, a domain error the
API's exception handler answers as 403 with the message."""

from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from production.models import Person, Project

Role = Person.Role
ASSIGNING_ROLES = (Role.ADMIN, Role.MANAGER, Role.SUPERVISOR)


def may_act_on_task(person, task):
    """Start, comment, log time and work on the files of a task.

    Admins and managers: every task. Supervisors: every task of a project
    whose team has them (they run those projects' work). Users: the tasks
    assigned to them. Clients: none."""
    if person.is_manager_or_admin:
        return True
    if person.role == Role.SUPERVISOR:
        return Project.team.through.objects.filter(project_id=task.project_id, person_id=person.pk).exists()
    if person.role == Role.USER:
        return task.assignees.filter(pk=person.pk).exists()
    return False


def may_assign(person):
    """Assign tasks and log time for someone else."""
    return person.role in ASSIGNING_ROLES


def may_log_time_for(person, worker):
    """Anyone but a client logs their own time; assigners log anyone's."""
    if person.pk == worker.pk and person.role != Role.CLIENT:
        return True
    return may_assign(person)


def may_act_for_someone_else(person):
    """Sign a comment or record a working file in another person's name."""
    return person.is_manager_or_admin


def may_edit_contribution(person, task, author_id):
    """Add to, replace or remove what someone put on a task (a comment's
    previews): its author while they may act on the task; managers and
    admins, who may act in anyone's name."""
    if may_act_for_someone_else(person):
        return True
    return person.pk == author_id and may_act_on_task(person, task)


def may_date_comments(person):
    """Set a comment's date: managers importing a history. Anyone else's
    comments are dated by the server, so the status history keeps its order."""
    return person.is_manager_or_admin


def may_manage(person):
    """Run the production as a whole: project settings such as its file tree."""
    return person.is_manager_or_admin


def may_import(person):
    """Run a CSV or Shotgun import, or a bulk creation, into the production."""
    return may_manage(person)


class IsManagerOrAdmin(BasePermission):
    """may_manage as a DRF permission, for routes that only managers and admins reach at all."""

    message = "Only managers and admins may do this."

    def has_permission(self, request, view):
        person = request.user
        return bool(person and person.is_authenticated and may_manage(person))


def may_edit_casting(person, project):
    """Cast and uncast assets in a project's shots, assets and episodes:
    managers and admins, and the supervisors of its team (they run the
    breakdown of their projects, as in Zou). Artists and clients read it."""
    if person.is_manager_or_admin:
        return True
    return person.role == Role.SUPERVISOR and Project.team.through.objects.filter(
        project_id=project.pk, person_id=person.pk
    ).exists()


def may_delete_in_bulk(person):
    """Delete many tasks at once, with their comments, time and files."""
    return person.is_manager_or_admin


def require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def require_act_on_task(person, task):
    require(may_act_on_task(person, task), "Only the task's assignees, its project's supervisors, managers and admins may act on it.")


def require_edit_contribution(person, task, author_id):
    require(
        may_edit_contribution(person, task, author_id),
        "Only its author, while they may act on the task, managers and admins may change this.",
    )


def require_edit_casting(person, project):
    require(may_edit_casting(person, project), "Only managers, admins and the project's supervisors change its casting.")


def require_assign(person):
    require(may_assign(person), "Only supervisors, managers and admins assign tasks.")
