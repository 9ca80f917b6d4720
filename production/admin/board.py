"""The production board: for one project, a row per shot (or asset), a column
per task type, each cell its tasks' statuses in their colours with assignees
and a late marker. Cells are selected and changed in bulk through the same
services as the API (a status change is a comment, as the API writes it).

It reads a whole project in a fixed number of queries, whatever its size:
rows, tasks and assignee links come as three flat reads joined in Python."""

import hashlib
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from production.admin.project_context import context_project_id, set_context_project
from production.admin.task_actions import ACTIONS, TaskChangeFields, change_tasks, form_errors_text
from production.models import (
    EPISODE,
    SEQUENCE,
    Asset,
    AssetType,
    Entity,
    Person,
    Project,
    Shot,
    Task,
    TaskStatus,
    TaskType,
)

SHOTS, ASSETS = "shots", "assets"


def readable_text_color(background):
    """Black or white, whichever reads better on a status colour ('#rrggbb')."""
    try:
        red, green, blue = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    except (TypeError, ValueError):
        return "#000"
    return "#000" if red * 0.299 + green * 0.587 + blue * 0.114 > 150 else "#fff"


def initials(person):
    letters = "".join(part[0] for part in (person.first_name, person.last_name) if part)
    return (letters or person.email[:2]).upper()


def text_id(column):
    """An id column read as text: a board reads tens of thousands of ids, and
    building a uuid.UUID for each only to print it again was half its time."""
    return Cast(column, output_field=TextField())


def id_text(pk):
    """A loaded id as text_id() reads it from this database (SQLite keeps UUIDs as bare hex)."""
    return str(pk) if connection.vendor == "postgresql" else pk.hex


def canonical_id(text):
    """An id read by text_id() as it is written in forms and URLs (dashed)."""
    return text if connection.vendor == "postgresql" else str(uuid.UUID(text))


def _uuid(value):
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        return None


@dataclass
class Cell:
    tasks: list = field(default_factory=list)
    # False when a status or assignee filter is on and no task here matches it.
    matches: bool = True


@dataclass
class Row:
    id: str
    label: str
    cells: list


# Rows and cells are written as HTML in Python: a 2,000-shot board has 12,000
# cells, and the template engine's cost per tag and per {% url %} made it
# several times slower. Every text is escaped; ids and dates need not be.
def row_html(row, change_url):
    cells = "".join(cell_html(cell) for cell in row.cells)
    return (
        f'<tr><th><button type="button" class="board-row-select" title="Select the row">☐</button> '
        f'<a href="{change_url.replace(ID_PLACEHOLDER, row.id)}">{escape(row.label)}</a></th>{cells}</tr>'
    )


def cell_html(cell):
    parts = ["<td>" if cell.matches else '<td class="board-dim">']
    for task in cell.tasks:
        title = "" if task["name"] == "main" else f'{escape(task["name"])} '
        if task["due_date"]:
            title += f"due {task['due_date']:%Y-%m-%d}"
        late = ' class="board-late"' if task["late"] else ""
        parts.append(f'<label{late} title="{title}"><input type="checkbox" name="tasks" value="{task["id"]}">')
        parts.append(task["status"].badge)
        parts.extend(person.badge for person in task["assignees"])
        parts.append(LATE_MARKER if task["late"] else "")
        parts.append("</label>")
    parts.append("</td>")
    return "".join(parts)


ID_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
LATE_MARKER = ' <b class="board-late-marker">late</b>'


class BoardActionForm(TaskChangeFields):
    """One bulk change on the cells selected on the board."""

    action = forms.ChoiceField(choices=list(ACTIONS.items()))
    tasks = forms.ModelMultipleChoiceField(queryset=Task.objects.all(), error_messages={"required": "Select at least one cell."})

    def clean(self):
        cleaned_data = super().clean()
        self.check_needs(cleaned_data.get("action"))
        return cleaned_data


class Board:
    """The board's data for one request's filters."""

    def __init__(self, params, context_project_id=None):
        self.projects = list(Project.objects.select_related("project_status"))
        self.statuses = list(TaskStatus.objects.all())
        self.persons = list(Person.objects.filter(is_bot=False))
        for status in self.statuses:
            status.badge = format_html('<span class="board-status" data-s="{}">{}</span>', status.short_name, status.short_name)
        for person in self.persons:
            person.badge = format_html(' <abbr title="{}">{}</abbr>', person, initials(person))
        self.asset_types = list(AssetType.objects.all())
        self.kind = ASSETS if params.get("kind") == ASSETS else SHOTS
        self.project = (
            self._pick(self.projects, params.get("project"))
            or self._pick(self.projects, str(context_project_id))
            or (self.projects[0] if self.projects else None)
        )
        self.status = self._pick(self.statuses, params.get("status"))
        self.assignee = self._pick(self.persons, params.get("assignee"))
        self.asset_type = self._pick(self.asset_types, params.get("asset_type"))
        self.episodes, self.sequences = [], []
        self.episode = self.sequence = None
        self.columns, self.rows = [], []
        if self.project is None:
            return
        self._load_parents(params)
        self._load_rows()

    @staticmethod
    def _pick(rows, value):
        wanted = _uuid(value)
        return next((row for row in rows if row.pk == wanted), None)

    def _load_parents(self, params):
        parents = Entity.objects.filter(project=self.project, entity_type__name__in=(EPISODE, SEQUENCE))
        for parent in parents.select_related("entity_type", "parent").order_by("name", "id"):
            (self.episodes if parent.entity_type.name == EPISODE else self.sequences).append(parent)
        self.episode = self._pick(self.episodes, params.get("episode"))
        if self.episode is not None:
            self.sequences = [s for s in self.sequences if s.parent_id == self.episode.pk]
        self.sequence = self._pick(self.sequences, params.get("sequence"))

    def _entities(self):
        """(id as text, label) of each row, in board order."""
        if self.kind == ASSETS:
            entities = Asset.objects.filter(project=self.project)
            if self.asset_type is not None:
                entities = entities.filter(entity_type=self.asset_type)
            order, names = ("entity_type__name", "name", "id"), ("entity_type__name", "name")
        else:
            entities = Shot.objects.filter(project=self.project)
            if self.sequence is not None:
                entities = entities.filter(parent=self.sequence)
            elif self.episode is not None:
                entities = entities.filter(parent__parent=self.episode)
            names = ("parent__parent__name", "parent__name", "name")
            order = (*names, "id")
        return entities.filter(canceled=False).order_by(*order), names

    def _load_rows(self):
        entities, names = self._entities()
        in_rows = entities.values("pk")
        tasks = (
            Task.objects.filter(entity__in=in_rows)
            .order_by("name", "id")
            .values_list(text_id("id"), text_id("entity_id"), text_id("task_type_id"), text_id("task_status_id"), "due_date", "name")
        )
        persons = {id_text(person.pk): person for person in self.persons}
        assignees = defaultdict(list)
        links = Task.assignees.through.objects.filter(task__entity__in=in_rows)
        for task_id, person_id in links.values_list(text_id("task_id"), text_id("person_id")):
            if person_id in persons:
                assignees[task_id].append(persons[person_id])
        statuses = {id_text(status.pk): status for status in self.statuses}
        tasks = list(tasks)
        type_ids = {task[2] for task in tasks}
        self.columns = [
            task_type
            for task_type in TaskType.objects.all()
            if id_text(task_type.pk) in type_ids or (not tasks and task_type.for_shots == (self.kind == SHOTS))
        ]
        column_of = {id_text(task_type.pk): index for index, task_type in enumerate(self.columns)}
        today = timezone.localdate()
        cells = defaultdict(lambda: [Cell() for _ in self.columns])
        for task_id, entity_id, type_id, status_id, due_date, name in tasks:
            status = statuses[status_id]
            cells[entity_id][column_of[type_id]].tasks.append(
                {
                    "id": canonical_id(task_id),
                    "name": name,
                    "status": status,
                    "assignees": assignees.get(task_id, []),
                    "due_date": due_date,
                    "late": due_date is not None and due_date < today and not status.is_done,
                }
            )
        filtering = self.status is not None or self.assignee is not None
        for entity_id, *path in entities.values_list(text_id("id"), *names):
            row = cells[entity_id] if entity_id in cells else [Cell() for _ in self.columns]
            if filtering:
                for cell in row:
                    cell.matches = any(self._matches(task) for task in cell.tasks)
                if not any(cell.matches for cell in row):
                    continue
            self.rows.append(Row(canonical_id(entity_id), " / ".join(name for name in path if name), row))

    def colors_version(self):
        """Changes whenever a colour does, so the stylesheet's URL does too."""
        colors = [(str(row.pk), row.color) for row in (*self.statuses, *self.columns)]
        return hashlib.sha1(repr(colors).encode()).hexdigest()[:12]

    def rows_html(self):
        view = "admin:production_asset_change" if self.kind == ASSETS else "admin:production_shot_change"
        change_url = reverse(view, args=[ID_PLACEHOLDER])
        return mark_safe("\n".join(row_html(row, change_url) for row in self.rows))

    def _matches(self, task):
        if self.status is not None and task["status"].pk != self.status.pk:
            return False
        return self.assignee is None or self.assignee in task["assignees"]


def board_view(model_admin, request):
    url = reverse("admin:production_board")
    if request.method == "POST":
        form = BoardActionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            messages.success(request, change_tasks(action=data["action"], tasks=data["tasks"], data=data, person=request.user))
        else:
            for message in form_errors_text(form):
                messages.error(request, message)
        query = request.POST.get("filters", "")
        return redirect(f"{url}?{query}" if query else url)
    board = Board(request.GET, context_project_id(request))
    if request.GET.get("project") and board.project is not None:
        # A project chosen on the board is the one the other screens keep to.
        set_context_project(request, board.project)
    action_form = BoardActionForm()
    # The board has read both lists already: the form's pickers reuse them.
    for name, rows in (("task_status", board.statuses), ("person", board.persons)):
        action_form.fields[name].widget.choices = [("", "---------"), *((row.pk, str(row)) for row in rows)]
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Production board — {board.project}" if board.project else "Production board",
        "opts": model_admin.model._meta,
        "board": board,
        "action_form": action_form,
        "filters": request.GET.urlencode(),
    }
    return TemplateResponse(request, "admin/production/board.html", context)


COLOR = re.compile(r"^#[0-9A-Fa-f]{3,8}$")


def css_string(text):
    return text.replace("\\", "\\\\").replace('"', '\\"')


def colors_css(request):
    """Status and task type colours as a stylesheet: the pages' CSP allows
    no inline style, and the colours are data. A colour that is not a hex
    code is left out rather than written into CSS."""
    rules = [
        f'.board-status[data-s="{css_string(status.short_name)}"]{{background:{status.color};color:{readable_text_color(status.color)}}}'
        for status in TaskStatus.objects.all()
        if COLOR.match(status.color)
    ]
    rules += [
        f'.board-column[data-t="{task_type.pk}"]{{border-bottom-color:{task_type.color}}}'
        for task_type in TaskType.objects.all()
        if COLOR.match(task_type.color)
    ]
    return HttpResponse("\n".join(rules), content_type="text/css; charset=utf-8")


def board_urls(model_admin):
    site = model_admin.admin_site
    view = site.admin_view(lambda request: board_view(model_admin, request))
    return [
        path("board/", view, name="production_board"),
        path("board/colors.css", site.admin_view(colors_css), name="production_board_colors"),
    ]

