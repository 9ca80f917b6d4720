"""The event record over the API: `data/events/last` (gazu.sync.get_last_events)
and every data type's `data/<type>/<id>/history`."""

import uuid

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from production import event_history
from zou_site.api.errors import ApiError
from zou_site.api.params import parse_bool

LAST_PARAMETERS = {
    "limit": "How many events, newest first (default 100, at most 20000).",
    "project_id": "Only this project's events.",
    "after": "Only events after this moment (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, UTC).",
    "before": "Only events before this moment.",
    "only_files": "Only the events of stored files (previews' files, thumbnails).",
    "name": "Only events of this name (task:update).",
    "person_id": "Only events by this person.",
    "cursor_event_id": "The last event of the previous page: the next page holds the events older than it.",
}


def _uuid(name, value):
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ApiError(f"{name}: '{value}' is not an id.", errors={name: ["Not an id."]})


def _limit(value):
    if not value.isdigit() or not 0 < int(value) <= event_history.MAX_LIMIT:
        message = f"A whole number from 1 to {event_history.MAX_LIMIT}."
        raise ApiError(f"limit: {message}", errors={"limit": [message]})
    return int(value)


class EventsLastView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter(name, str, description=text) for name, text in LAST_PARAMETERS.items()],
        responses={200: {"type": "array", "items": {"type": "object"}}},
        description="The stored events, newest first, of the projects the caller sees (Zou's data/events/last).",
    )
    def get(self, request):
        params = request.query_params
        unknown = sorted(set(params) - set(LAST_PARAMETERS))
        if unknown:
            raise ApiError(
                f"Unknown parameter '{unknown[0]}': one of {', '.join(LAST_PARAMETERS)}.", errors={unknown[0]: ["Unknown parameter."]}
            )
        given = {name: params[name] for name in LAST_PARAMETERS if params.get(name) not in (None, "")}
        try:
            events = event_history.last_events(
                request.user,
                limit=_limit(given["limit"]) if "limit" in given else 100,
                project_id=_uuid("project_id", given["project_id"]) if "project_id" in given else None,
                after=event_history.parse_moment("after", given["after"]) if "after" in given else None,
                before=event_history.parse_moment("before", given["before"]) if "before" in given else None,
                only_files=parse_bool(given.get("only_files", False), "only_files"),
                name=given.get("name"),
                person_id=_uuid("person_id", given["person_id"]) if "person_id" in given else None,
                cursor=_uuid("cursor_event_id", given["cursor_event_id"]) if "cursor_event_id" in given else None,
            )
        except event_history.BadParameter as error:
            raise ApiError(str(error), errors={error.name: [str(error).split(": ", 1)[1]]})
        return Response(events)


class HistoryMixin:
    """`GET data/<type>/<id>/history` on every data type: the row's changes
    from every door, newest first; a row the caller cannot see is 404."""

    @extend_schema(
        responses={200: {"type": "array", "items": {"type": "object"}}},
        description="The row's changes, newest first: who, when, field, old and new value (field null: its creation).",
    )
    @action(detail=True, url_path="history")
    def history(self, request, pk=None):
        return Response(event_history.row_history(self.get_object().pk))
