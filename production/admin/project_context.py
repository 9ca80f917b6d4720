"""The project a coordinator works on, chosen once and kept in their session:
lists show its rows, pickers offer its entities, add forms start in it and
the board and progress pages open on it, until it is cleared or switched.

It is set by choosing a project in any list's project filter, on the board,
or with a project list's "Work on" button; the bar under the header names it
and clears it. Only the session holds it (id and name), so showing the bar
costs no query."""

import uuid
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import admin
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from production.models import Project, Task

SESSION_KEY = "zou_project"
# The list filters' and the board's parameter; "all" clears the context.
PARAMETER, ALL = "project", "all"


def context_project(request):
    """{"id", "name"} of the session's project, or None."""
    session = getattr(request, "session", None)
    return session.get(SESSION_KEY) if session is not None else None


def context_project_id(request):
    project = context_project(request)
    return uuid.UUID(project["id"]) if project else None


def set_context_project(request, project):
    # Written only when it changes: a session write is a query on every page.
    wanted = None if project is None else {"id": str(project.pk), "name": project.name}
    if context_project(request) == wanted:
        return
    if wanted is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = wanted


def follow_parameter(request, projects):
    """Apply the request's ?project= to the session: a project id sets it,
    "all" clears it. `projects` are the projects already read by the caller;
    a session project no longer among them (deleted) is dropped. Answers the
    project in context."""
    wanted = request.GET.get(PARAMETER)
    by_id = {str(project.pk): project for project in projects}
    if wanted == ALL:
        set_context_project(request, None)
    elif wanted in by_id:
        set_context_project(request, by_id[wanted])
    current = context_project(request)
    if current and current["id"] not in by_id:
        set_context_project(request, None)
        return None
    return by_id[current["id"]] if current else None


def without_parameter(url):
    """`url` without ?project=, which would set the context again on arrival."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != PARAMETER]
    return urlunsplit(parts._replace(query=urlencode(query)))


def project_context_view(request):
    """POST project=<id> works on that project, project="" on all of them;
    back to `next`."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        project = Project.objects.get(pk=uuid.UUID(request.POST.get("project", "")))
    except (ValueError, Project.DoesNotExist):
        project = None
    set_context_project(request, project)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("admin:index")
    return redirect(without_parameter(back))


class ProjectContextFilter(admin.SimpleListFilter):
    """The project filter of the lists: its choice is the session's project,
    so it stays chosen on every other list until "All projects" is picked."""

    title = "project"
    parameter_name = PARAMETER
    # The lookup from a listed row to its project.
    project_lookup = "project"

    def __init__(self, request, params, model, model_admin):
        self.request = request
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        projects = list(Project.objects.order_by("name", "id"))
        self.project = follow_parameter(request, projects)
        return [(str(project.pk), project.name) for project in projects]

    def value(self):
        return str(self.project.pk) if self.project else None

    def choices(self, changelist):
        yield {
            "selected": self.project is None,
            "query_string": changelist.get_query_string({self.parameter_name: ALL}),
            "display": "All projects",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.project is None:
            return queryset
        return self.filter_project(queryset, self.project)

    def filter_project(self, queryset, project):
        return queryset.filter(**{self.project_lookup: project})


class TaskProjectFilter(ProjectContextFilter):
    project_lookup = "task__project"


class CommentProjectFilter(ProjectContextFilter):
    """Comments point at their task by id only."""

    def filter_project(self, queryset, project):
        return queryset.filter(object_id__in=Task.objects.filter(project=project).values("pk"))


class ProjectContextMixin:
    """A model admin whose add form starts in the project in context."""

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        project_id = context_project_id(request)
        if project_id is not None and any(field.name == "project" for field in self.model._meta.fields):
            initial.setdefault("project", project_id)
        return initial
