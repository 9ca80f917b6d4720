"""Task workflow routes (`actions/...` and the seed's `data/tasks/<id>/...`):
thin views over production.services."""

import datetime
import uuid

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from production import querysets, services
from production.api import serializers
from production.models import Asset, Person, Shot, Task, TaskStatus, TaskType, TimeSpent
from zou_site.api.errors import ApiError
from zou_site.api.params import uuid_or_404

MANAGING_ROLES = ("admin", "manager", "supervisor")


def _uuid(value, name):
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise ApiError(f"'{name}' must be an id (UUID), not '{value}'.", errors={name: ["Not a valid id."]})


def _body(request):
    if not isinstance(request.data, dict):
        raise ApiError("The body must be a JSON object.")
    return request.data


def _task(request, task_id):
    """A task the person can see, else 404 (a malformed id too)."""
    return get_object_or_404(querysets.visible_tasks(request.user), pk=uuid_or_404(task_id))


def _person(value, name="person_id"):
    person = Person.objects.filter(pk=_uuid(value, name)).first()
    if person is None:
        raise ApiError(f"'{name}': no person has the id {value}.", errors={name: ["Unknown person."]})
    return person


def _tasks(request, ids, name="task_ids"):
    if not isinstance(ids, list):
        raise ApiError(f"'{name}' must be a list of task ids.", errors={name: ["Must be a list."]})
    wanted = {_uuid(v, name) for v in ids}
    tasks = list(querysets.visible_tasks(request.user).filter(id__in=wanted))
    if len(tasks) != len(wanted):
        raise ApiError(f"'{name}' names tasks that do not exist.", errors={name: ["Unknown task."]})
    return tasks


def check_can_act_on(request, task):
    """Managers act on any task they see; supervisors on their projects' tasks;
    users on the tasks assigned to them; clients never."""
    person = request.user
    if person.is_manager_or_admin or person.role == "supervisor":
        return
    if person.role == "user" and task.assignees.filter(pk=person.pk).exists():
        return
    raise ApiError("You may only act on tasks assigned to you.", status_code=403)


def check_can_assign(request):
    if request.user.role not in MANAGING_ROLES:
        raise ApiError("Only supervisors, managers and admins assign tasks.", status_code=403)


def task_row(task):
    return serializers.TaskSerializer(Task.objects.prefetch_related("assignees").get(pk=task.pk)).data


TaskIdsSerializer = inline_serializer(
    "TaskIds", {"task_ids": drf_serializers.ListField(child=drf_serializers.UUIDField())}
)
ClearAssignationSerializer = inline_serializer(
    "ClearAssignation",
    {
        "task_ids": drf_serializers.ListField(child=drf_serializers.UUIDField()),
        "person_id": drf_serializers.UUIDField(required=False),
    },
)
PersonIdSerializer = inline_serializer("PersonId", {"person_id": drf_serializers.UUIDField()})
CommentBodySerializer = inline_serializer(
    "CommentBody",
    {
        "task_status_id": drf_serializers.UUIDField(),
        "comment": drf_serializers.CharField(required=False, allow_blank=True),
        "person_id": drf_serializers.UUIDField(required=False),
        "created_at": drf_serializers.DateTimeField(required=False),
    },
)
DurationSerializer = inline_serializer("Duration", {"duration": drf_serializers.IntegerField(min_value=0)})
TaskTypeCreateTasksSerializer = inline_serializer(
    "CreateTasks", {"project_id": drf_serializers.UUIDField(required=False)}
)


class TaskStartView(APIView):
    @extend_schema(request=None, responses=serializers.TaskSerializer)
    def put(self, request, task_id):
        task = _task(request, task_id)
        check_can_act_on(request, task)
        return Response(task_row(services.task_start(task=task, person=request.user)))


class TaskAssignView(APIView):
    @extend_schema(request=PersonIdSerializer, responses=serializers.TaskSerializer)
    def put(self, request, task_id):
        task = _task(request, task_id)
        check_can_assign(request)
        person = _person(_body(request).get("person_id"))
        return Response(task_row(services.task_assign(task=task, person=person, assigner=request.user)))


class PersonAssignView(APIView):
    @extend_schema(request=TaskIdsSerializer, responses=serializers.TaskSerializer(many=True))
    def put(self, request, person_id):
        check_can_assign(request)
        person = get_object_or_404(Person.objects.all(), pk=uuid_or_404(person_id))
        tasks = _tasks(request, _body(request).get("task_ids"))
        ids = services.tasks_assign_person(person=person, tasks=tasks, assigner=request.user)
        rows = querysets.tasks_for_api(request.user, Task.objects.filter(id__in=ids))
        return Response(serializers.TaskSerializer(rows, many=True).data)


class ClearAssignationView(APIView):
    @extend_schema(
        request=ClearAssignationSerializer,
        responses={200: {"type": "array", "items": {"type": "string", "format": "uuid"}}},
    )
    def put(self, request):
        check_can_assign(request)
        body = _body(request)
        tasks = _tasks(request, body.get("task_ids"))
        person = _person(body["person_id"]) if body.get("person_id") else None
        ids = services.tasks_clear_assignation(tasks=tasks, person=person)
        return Response([str(i) for i in ids])


class TaskCommentView(APIView):
    @extend_schema(request=CommentBodySerializer, responses={201: serializers.CommentWithPersonSerializer})
    def post(self, request, task_id):
        task = _task(request, task_id)
        check_can_act_on(request, task)
        body = _body(request)
        status_id = body.get("task_status_id")
        task_status = None
        if status_id:
            task_status = TaskStatus.objects.filter(pk=_uuid(status_id, "task_status_id")).first()
            if task_status is None:
                raise ApiError("'task_status_id': no task status has this id.", errors={"task_status_id": ["Unknown status."]})
        author = request.user
        if body.get("person_id") and request.user.is_manager_or_admin:
            author = _person(body["person_id"])
        text = body.get("comment", body.get("text", ""))
        if not isinstance(text, str):
            raise ApiError("'comment' must be text.", errors={"comment": ["Must be a string."]})
        created_at = None
        if body.get("created_at"):
            field = drf_serializers.DateTimeField()
            try:
                created_at = field.to_internal_value(body["created_at"])
            except drf_serializers.ValidationError:
                raise ApiError("'created_at' must be an ISO 8601 date and time.", errors={"created_at": ["Invalid."]})
        comment = services.comment_create(
            task=task, person=author, text=text, task_status=task_status, created_at=created_at
        )
        comment = querysets.comments_for_api(request.user).get(pk=comment.pk)
        return Response(serializers.CommentWithPersonSerializer(comment).data, status=201)


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ApiError(f"'{value}' is not a date (YYYY-MM-DD).", errors={"date": ["Invalid date."]})


class TaskTimeSpentsView(APIView):
    """The time logged on a task (for one day when a date is given): the
    total and one entry per person, as Zou answers it."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, task_id, date=None):
        task = _task(request, task_id)
        rows = TimeSpent.objects.filter(task=task)
        if date is not None:
            rows = rows.filter(date=_date(date))
        answer = {"total": 0}
        for row in rows.order_by("date", "person_id"):
            data = serializers.TimeSpentSerializer(row).data
            answer["total"] += row.duration
            if date is None:
                answer.setdefault(str(row.person_id), []).append(data)
            else:
                answer[str(row.person_id)] = data
        return Response(answer)


class TaskTimeSpentSetView(APIView):
    add = False

    @extend_schema(request=DurationSerializer, responses={201: serializers.TimeSpentSerializer})
    def post(self, request, task_id, date, person_id):
        task = _task(request, task_id)
        person = get_object_or_404(Person.objects.all(), pk=uuid_or_404(person_id))
        if person.pk != request.user.pk or request.user.role == "client":
            # Logging time for someone else is a manager's or supervisor's job.
            check_can_assign(request)
        check_can_act_on(request, task)
        duration = _body(request).get("duration")
        if isinstance(duration, bool) or not isinstance(duration, (int, float)):
            raise ApiError("'duration' must be a number of seconds.", errors={"duration": ["Must be a number."]})
        time_spent = services.time_spent_set(
            task=task, person=person, date=_date(date), duration=int(duration), add=self.add
        )
        return Response(serializers.TimeSpentSerializer(time_spent).data, status=201)


class TaskTimeSpentAddView(TaskTimeSpentSetView):
    add = True


class TaskTypeCreateTasksView(APIView):
    """Create a task of this type on every shot (or asset) of a project."""

    kind = "shots"

    @extend_schema(request=TaskTypeCreateTasksSerializer, responses={201: serializers.TaskSerializer(many=True)})
    def post(self, request, task_type_id, project_id=None):
        if not request.user.is_manager_or_admin:
            raise ApiError("Only managers and admins create tasks in bulk.", status_code=403)
        task_type = get_object_or_404(TaskType.objects.all(), pk=uuid_or_404(task_type_id))
        body = request.data if isinstance(request.data, dict) else {}
        project_id = project_id or body.get("project_id") or request.query_params.get("project_id")
        model = Shot if self.kind == "shots" else Asset
        entities = querysets.visible_entities(request.user, model.objects.all())
        if project_id:
            entities = entities.filter(project_id=_uuid(project_id, "project_id"))
        tasks = services.tasks_create_for_entities(task_type=task_type, entities=entities)
        return Response(serializers.TaskSerializer(tasks, many=True).data, status=201)
