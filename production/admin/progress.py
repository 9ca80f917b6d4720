"""Progress at a glance: for one project, its episodes and sequences, the
share of tasks done and in review and the late ones; and each artist's
workload, estimation against time spent. Every figure links to the task
list filtered to the tasks it counts.

Counted by the database in a fixed number of grouped queries, whatever the
project's size: tasks grouped by sequence and episode, assignments by person."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.template.response import TemplateResponse
from django.urls import path, reverse

from production.admin.common import as_days
from production.admin.filters import late
from production.admin.project_context import context_project_id, set_context_project
from production.models import EPISODE, SEQUENCE, SHOT, Entity, Project, Task

DONE = Q(task_status__is_done=True)
REVIEW = Q(task_status__is_reviewable=True, task_status__is_done=False)


@dataclass
class Progress:
    """The counts of one line of the page, and where its tasks are listed."""

    label: str
    filters: dict
    level: str = "sequence"
    total: int = 0
    done: int = 0
    review: int = 0
    late: int = 0
    children: list = field(default_factory=list)

    def add(self, counts):
        for name in ("total", "done", "review", "late"):
            setattr(self, name, getattr(self, name) + counts[name])

    def share(self, count):
        return round(100 * count / self.total) if self.total else 0

    @property
    def done_share(self):
        return self.share(self.done)

    @property
    def review_share(self):
        return self.share(self.review)

    def link(self, progress=None):
        params = {**self.filters, **({"progress": progress} if progress else {})}
        return f"{reverse('admin:production_task_changelist')}?{urlencode(params)}"

    @property
    def tasks_link(self):
        return self.link()

    @property
    def done_link(self):
        return self.link("done")

    @property
    def review_link(self):
        return self.link("review")

    @property
    def late_link(self):
        return self.link("late")


def breakdown_progress(project):
    """The project's line, then each episode's followed by its sequences', then the assets'."""
    base = {"project": str(project.pk)}
    whole = Progress(project.name, base, level="project")
    parents = Entity.objects.filter(project=project, entity_type__name__in=(EPISODE, SEQUENCE)).order_by("name", "id")
    episodes, sequences = {}, {}
    for pk, name, parent_id, kind in parents.values_list("pk", "name", "parent_id", "entity_type__name"):
        if kind == EPISODE:
            episodes[pk] = Progress(name, {**base, "episode": str(pk)}, level="episode")
        else:
            sequences[pk] = (Progress(name, {**base, "sequence": str(pk)}), parent_id)
    for sequence, episode_id in sequences.values():
        if episode_id in episodes:
            episodes[episode_id].children.append(sequence)
    assets = Progress("Assets", base, level="episode")
    counts = (
        Task.objects.filter(project=project)
        .values("entity__entity_type__name", "entity__parent_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=DONE), review=Count("pk", filter=REVIEW), late=Count("pk", filter=late()))
        .order_by()
    )
    for row in counts:
        whole.add(row)
        kind, parent_id = row["entity__entity_type__name"], row["entity__parent_id"]
        if kind == SHOT and parent_id in sequences:
            sequence, episode_id = sequences[parent_id]
            sequence.add(row)
            if episode_id in episodes:
                episodes[episode_id].add(row)
        elif kind == SEQUENCE and parent_id in episodes:
            episodes[parent_id].add(row)
        elif kind not in (SHOT, SEQUENCE, EPISODE):
            assets.add(row)
    lines = [whole]
    for episode in episodes.values():
        lines += [episode, *episode.children]
    lonely = [sequence for sequence, episode_id in sequences.values() if episode_id not in episodes]
    lines += lonely
    if assets.total:
        lines.append(assets)
    return lines


@dataclass
class Workload:
    name: str
    link: str
    tasks: int
    open: int
    late: int
    estimation: int
    spent: int

    @property
    def estimation_text(self):
        return as_days(self.estimation)

    @property
    def spent_text(self):
        return as_days(self.spent)

    @property
    def over(self):
        """More time spent than estimated: the tasks to look at first."""
        return self.estimation and self.spent > self.estimation


def workloads(project):
    """Each assignee's tasks of the project: how many, open, late, estimation and time spent (seconds)."""
    links = (
        Task.assignees.through.objects.filter(task__project=project)
        .values("person_id", "person__first_name", "person__last_name", "person__email")
        .annotate(
            tasks=Count("task_id"),
            open=Count("task_id", filter=~Q(task__task_status__is_done=True)),
            late=Count("task_id", filter=late("task__")),
            estimation=Sum("task__estimation"),
            spent=Sum("task__duration"),
        )
        .order_by("person__first_name", "person__last_name", "person__email")
    )
    task_list = reverse("admin:production_task_changelist")
    return [
        Workload(
            name=f"{row['person__first_name']} {row['person__last_name']}".strip() or row["person__email"],
            link=f"{task_list}?{urlencode({'project': project.pk, 'assignees__id__exact': row['person_id'], 'progress': 'open'})}",
            tasks=row["tasks"],
            open=row["open"],
            late=row["late"],
            estimation=row["estimation"] or 0,
            spent=row["spent"] or 0,
        )
        for row in links
    ]


def progress_view(model_admin, request):
    projects = list(Project.objects.order_by("name", "id"))
    by_id = {str(project.pk): project for project in projects}
    chosen = by_id.get(request.GET.get("project", ""))
    if chosen is not None:
        set_context_project(request, chosen)
    project = chosen or by_id.get(str(context_project_id(request))) or (projects[0] if projects else None)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Progress — {project}" if project else "Progress",
        "opts": model_admin.model._meta,
        "projects": projects,
        "project": project,
        "lines": breakdown_progress(project) if project else [],
        "workloads": workloads(project) if project else [],
    }
    return TemplateResponse(request, "admin/production/progress.html", context)


def progress_urls(model_admin):
    view = model_admin.admin_site.admin_view(lambda request: progress_view(model_admin, request))
    return [path("progress/", view, name="production_progress")]
