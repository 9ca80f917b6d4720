"""Task workflow routes (`actions/...` and the seed's `data/tasks/<id>/...`):
thin views that validate the body with production.api.action_serializers,
ask production.permissions, and call production.services."""

import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from production import permissions, querysets, services
from production.api import serializers
from production.api.action_serializers import (
    AssignRequestSerializer,
    ClearAssignationRequestSerializer,
    CommentRequestSerializer,
    CreateTasksRequestSerializer,
    DurationRequestSerializer,
    EntityIdsRequestSerializer,
    TaskIdsRequestSerializer,
    list_body,
)
from production.models import Asset, Person, Shot, Task, TaskType, TimeSpent
from zou_site.api.params import uuid_or_404, visible_or_404


def _task(request, task_id):
    """A task the person can see, else 404 (a malformed id too)."""
    return get_object_or_404(querysets.visible_tasks(request.user), pk=uuid_or_404(task_id))


def _body(request, serializer_class, data=None):
    serializer = serializer_class(data=request.data if data is None else data, context={"person": request.user})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def url_date(value):
    """A date from a URL (YYYY-MM-DD): anything else is a 400 naming `date`."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"date": [f"'{value}' is not a date (YYYY-MM-DD)."]})


def task_row(task):
    return serializers.TaskSerializer(Task.objects.prefetch_related("assignees").get(pk=task.pk)).data


class TaskStartView(APIView):
    @extend_schema(request=None, responses=serializers.TaskSerializer)
    def put(self, request, task_id):
        task = _task(request, task_id)
        permissions.require_act_on_task(request.user, task)
        return Response(task_row(services.task_start(task=task, person=request.user)))


class TaskAssignView(APIView):
    @extend_schema(request=AssignRequestSerializer, responses=serializers.TaskSerializer)
    def put(self, request, task_id):
        task = _task(request, task_id)
        permissions.require_assign(request.user)
        person = _body(request, AssignRequestSerializer)["person_id"]
        return Response(task_row(services.task_assign(task=task, person=person, assigner=request.user)))


class PersonAssignView(APIView):
    @extend_schema(request=TaskIdsRequestSerializer, responses=serializers.TaskSerializer(many=True))
    def put(self, request, person_id):
        permissions.require_assign(request.user)
        person = get_object_or_404(Person.objects.all(), pk=uuid_or_404(person_id))
        tasks = _body(request, TaskIdsRequestSerializer)["task_ids"]
        ids = services.tasks_assign_person(person=person, tasks=tasks, assigner=request.user)
        rows = querysets.tasks_for_api(request.user, Task.objects.filter(id__in=ids))
        return Response(serializers.TaskSerializer(rows, many=True).data)


class ClearAssignationView(APIView):
    @extend_schema(
        request=ClearAssignationRequestSerializer,
        responses={200: {"type": "array", "items": {"type": "string", "format": "uuid"}}},
    )
    def put(self, request):
        permissions.require_assign(request.user)
        body = _body(request, ClearAssignationRequestSerializer)
        ids = services.tasks_clear_assignation(tasks=body["task_ids"], person=body.get("person_id"))
        return Response([str(i) for i in ids])


class TaskCommentView(APIView):
    @extend_schema(request=CommentRequestSerializer, responses={201: serializers.CommentWithPersonSerializer})
    def post(self, request, task_id):
        task = _task(request, task_id)
        permissions.require_act_on_task(request.user, task)
        body = _body(request, CommentRequestSerializer)
        author = body.get("person_id") or request.user
        if author.pk != request.user.pk:
            permissions.require(
                permissions.may_act_for_someone_else(request.user),
                "Only managers and admins may comment in someone else's name ('person_id').",
            )
        if body.get("created_at") is not None:
            permissions.require(
                permissions.may_date_comments(request.user),
                "Only managers and admins may date a comment ('created_at'): the server dates the others.",
            )
        comment = services.comment_create(
            task=task, person=author, text=body["comment"], task_status=body["task_status_id"],
            created_at=body.get("created_at"),
        )
        comment = querysets.comments_for_api(request.user).get(pk=comment.pk)
        return Response(serializers.CommentWithPersonSerializer(comment).data, status=201)


class TaskTimeSpentsView(APIView):
    """The time logged on a task (for one day when a date is given): the
    total and one entry per person, as Zou answers it."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, task_id, date=None):
        task = _task(request, task_id)
        rows = TimeSpent.objects.filter(task=task)
        if date is not None:
            rows = rows.filter(date=url_date(date))
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

    @extend_schema(request=DurationRequestSerializer, responses={201: serializers.TimeSpentSerializer})
    def post(self, request, task_id, date, person_id):
        task = _task(request, task_id)
        person = get_object_or_404(Person.objects.all(), pk=uuid_or_404(person_id))
        permissions.require(
            permissions.may_log_time_for(request.user, person),
            "Only supervisors, managers and admins log time for someone else.",
        )
        permissions.require_act_on_task(request.user, task)
        duration = _body(request, DurationRequestSerializer)["duration"]
        time_spent = services.time_spent_set(task=task, person=person, date=url_date(date), duration=duration, add=self.add)
        return Response(serializers.TimeSpentSerializer(time_spent).data, status=201)


class TaskTimeSpentAddView(TaskTimeSpentSetView):
    add = True


class TaskTypeCreateTasksView(APIView):
    """Create a task of this type on shots (or assets). Zou's dialect names the
    project in the URL and may send the entities' ids as a JSON list: only
    those get a task (each must be one of the project's). Without a list,
    every entity of the project gets one; the seed's dialect gives the
    project in the body or the query, or none for every project you see."""

    kind = "shots"

    @extend_schema(
        request={
            "application/json": {
                "oneOf": [
                    {"type": "array", "items": {"type": "string", "format": "uuid"}, "description": "Zou's dialect: these entities only."},
                    {
                        "type": "object",
                        "description": "The seed's dialect: every entity of the project (default: of every project you see).",
                        "properties": {"project_id": {"type": "string", "format": "uuid", "nullable": True}},
                    },
                ]
            }
        },
        responses={201: serializers.TaskSerializer(many=True)},
    )
    def post(self, request, task_type_id, project_id=None):
        if project_id is not None:
            project_id = visible_or_404(querysets.visible_projects(request.user), project_id, "Project").id
        permissions.require(permissions.may_import(request.user), "Only managers and admins create tasks in bulk.")
        task_type = get_object_or_404(TaskType.objects.all(), pk=uuid_or_404(task_type_id))
        model = Shot if self.kind == "shots" else Asset
        entities = querysets.visible_entities(request.user, model.objects.all())
        if isinstance(request.data, list) and request.data:
            entities = self.listed(request, entities, project_id)
        else:
            # The project: from Zou's URL, else the seed's body, else the query.
            body = {} if isinstance(request.data, list) else request.data
            project_id = project_id or _body(request, CreateTasksRequestSerializer, body).get("project_id")
            project_id = project_id or _body(request, CreateTasksRequestSerializer, request.query_params).get("project_id")
            if project_id:
                entities = entities.filter(project_id=project_id)
        tasks = services.tasks_create_for_entities(task_type=task_type, entities=entities)
        return Response(serializers.TaskSerializer(tasks, many=True).data, status=201)

    def listed(self, request, entities, project_id):
        """The entities a JSON list names: an id that is not a visible
        shot (asset) of the project refuses the whole list."""
        wanted = set(list_body(request, EntityIdsRequestSerializer, "entity_ids"))
        if project_id is not None:
            entities = entities.filter(project_id=project_id)
        found = list(entities.filter(id__in=wanted))
        missing = sorted(str(i) for i in wanted - {entity.id for entity in found})
        if missing:
            where = " of this project" if project_id is not None else ""
            raise ValidationError({"entity_ids": [f"No {self.kind[:-1]}{where} has the id {', '.join(missing)}."]})
        return found
