"""Many comments in one request, as gazu's task module posts them (issue 15):
`actions/tasks/batch-comment` (a JSON `{"comments": [...]}` or a multipart
`comments` part), `actions/tasks/<id>/batch-comment` (every comment on that
task) and `actions/projects/<id>/tasks/comment-many`. Each comment is checked
as `actions/tasks/<id>/comment` checks one; the batch is all or nothing.
And moving a comment to another task of its entity. Routed in production.api.urls."""

import json

from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from production import permissions, querysets, services
from production.api import serializers
from production.api.action_serializers import CommentRequestSerializer
from production.models import Comment
from zou_site.api.errors import ApiError
from zou_site.api.params import visible_or_404

MAX_COMMENTS = 1000


class BatchCommentSerializer(CommentRequestSerializer):
    """One comment of a batch: Zou's keys (`object_id`, `comment`) or gazu's (`task_id`, `text`)."""

    object_id = drf_serializers.UUIDField(required=False, help_text="The task (or `task_id`); on a task's URL, that task.")
    task_id = drf_serializers.UUIDField(required=False)
    text = drf_serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, help_text="Same as `comment`.")


def batch_items(request):
    """The list of comments of any of gazu's three bodies; files are refused."""
    data = request.data
    files = sorted(getattr(request, "FILES", {}) or {})
    if files:
        raise ApiError(
            f"Files in a batch of comments are not taken ({files[0]}): add previews with add-preview, one comment at a time.",
            errors={"comments": ["No preview or attachment files in a batch."]},
        )
    if isinstance(data, list):
        items = data
    else:
        items = data.get("comments") if hasattr(data, "get") else None
        if isinstance(items, str):
            try:
                items = json.loads(items)
            except ValueError:
                items = None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ApiError("'comments' must be a list of comment objects.", errors={"comments": ["A list of objects."]})
    if len(items) > MAX_COMMENTS:
        raise ApiError(f"'comments': at most {MAX_COMMENTS} in one batch.", errors={"comments": ["Too many."]})
    return items


class BatchCommentView(APIView):
    @extend_schema(
        request={"application/json": {"type": "object", "properties": {"comments": {"type": "array", "items": {"type": "object"}}}}},
        responses={201: serializers.CommentWithPersonSerializer(many=True)},
        description="Post many comments, each `{task_status_id, comment (or text), object_id (or task_id), person_id?, "
        "created_at?}`, as `actions/tasks/<id>/comment` posts one: every task must be one you may act on; a bad "
        "comment refuses the whole batch (400 naming its index), and nothing is written.",
    )
    def post(self, request, task_id=None, project_id=None):
        url_task = visible_or_404(querysets.visible_tasks(request.user), task_id, "Task") if task_id else None
        project = visible_or_404(querysets.visible_projects(request.user), project_id, "Project") if project_id else None
        comments = [self.comment(request, index, item, url_task, project) for index, item in enumerate(batch_items(request))]
        created = services.comments_create(comments=comments)
        rows = querysets.comments_for_api(request.user).filter(pk__in=[c.pk for c in created])
        by_id = {row.pk: row for row in rows}
        data = serializers.CommentWithPersonSerializer([by_id[c.pk] for c in created], many=True).data
        return Response(data, status=status.HTTP_201_CREATED)

    def comment(self, request, index, item, url_task, project):
        if "comment" not in item and "text" in item:
            item = {**item, "comment": item["text"]}
        body = BatchCommentSerializer(data=item, context={"person": request.user})
        if not body.is_valid():
            field, messages = next(iter(body.errors.items()))
            raise ApiError(f"Comment {index}: '{field}': {' '.join(map(str, messages))}", errors={f"comments[{index}]": body.errors})
        data = body.validated_data
        task_id = data.get("object_id") or data.get("task_id") or (url_task and url_task.pk)
        if task_id is None:
            raise ApiError(f"Comment {index}: 'object_id' (the task) is missing.", errors={f"comments[{index}]": {"object_id": ["Required."]}})
        task = url_task if url_task is not None and task_id == url_task.pk else querysets.visible_tasks(request.user).filter(pk=task_id).first()
        if task is None or (url_task is not None and task.pk != url_task.pk):
            raise ApiError(f"Comment {index}: no task {task_id} here.", errors={f"comments[{index}]": {"object_id": ["No such task."]}})
        if project is not None and task.project_id != project.pk:
            raise ApiError(f"Comment {index}: the task {task_id} is not one of the project {project.name}.",
                           errors={f"comments[{index}]": {"object_id": ["Not a task of this project."]}})
        permissions.require_act_on_task(request.user, task)
        author = data.get("person_id") or request.user
        if author.pk != request.user.pk:
            permissions.require(permissions.may_act_for_someone_else(request.user),
                                "Only managers and admins may comment in someone else's name ('person_id').")
        if data.get("created_at") is not None:
            permissions.require(permissions.may_date_comments(request.user),
                                "Only managers and admins may date a comment ('created_at'): the server dates the others.")
        return {"task": task, "person": author, "text": data["comment"], "task_status": data["task_status_id"],
                "created_at": data.get("created_at")}


class MoveCommentRequestSerializer(drf_serializers.Serializer):
    target_task_id = drf_serializers.UUIDField()


class MoveCommentView(APIView):
    @extend_schema(
        request=MoveCommentRequestSerializer,
        responses={200: serializers.CommentWithPersonSerializer},
        description="Move a comment to another task of the same entity (its author while they may act on both "
        "tasks, managers and admins); each task then has the status of its latest comment.",
    )
    def post(self, request, task_id, comment_id):
        task = visible_or_404(querysets.visible_tasks(request.user), task_id, "Task")
        comment = visible_or_404(Comment.objects.filter(object_id=task.pk), comment_id, "Comment")
        permissions.require_edit_contribution(request.user, task, comment.person_id)
        body = MoveCommentRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        target_id = body.validated_data["target_task_id"]
        target = querysets.visible_tasks(request.user).filter(pk=target_id).first()
        if target is None:
            raise ApiError(f"'target_task_id': no task {target_id}.", errors={"target_task_id": ["No such task."]})
        permissions.require_act_on_task(request.user, target)
        services.comment_move(comment=comment, target=target)
        return Response(serializers.CommentWithPersonSerializer(querysets.comments_for_api(request.user).get(pk=comment.pk)).data)
