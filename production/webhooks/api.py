"""Webhook routes, admins only: `data/webhooks` (subscriptions),
`data/webhooks/<id>/deliveries` (each with its attempts) and
`data/webhooks/<id>/deliveries/<delivery id>/redeliver`."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from production.models import Person, Project, WebhookAttempt, WebhookDelivery, WebhookSubscription
from production.webhooks.services import delivery_redeliver, webhook_save
from zou_site.api.errors import ApiError
from zou_site.api.pagination import ZouPagination
from zou_site.api.params import visible_or_404

TAGS = ["webhooks"]


class IsAdmin(BasePermission):
    message = "Only admins manage webhooks."

    def has_permission(self, request, view):
        person = request.user
        return bool(person and person.is_authenticated and person.role == Person.Role.ADMIN)


class WebhookSerializer(serializers.ModelSerializer):
    type = serializers.SerializerMethodField()
    project_id = serializers.PrimaryKeyRelatedField(
        source="project", queryset=Project.objects.all(), allow_null=True, required=False
    )
    events = serializers.JSONField(help_text='Event names or patterns: ["task:status-changed", "shot:*"].')
    secret = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=128,
        help_text="Signs every delivery; left out at creation, one is generated. Answered once, at creation.",
    )

    class Meta:
        model = WebhookSubscription
        fields = [
            "id", "type", "name", "url", "events", "project_id", "secret", "active", "disabled_reason",
            "failing_since", "created_by_id", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "disabled_reason", "failing_since", "created_by_id", "created_at", "updated_at"]

    def get_type(self, obj) -> str:
        return "Webhook"


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["number", "started_at", "duration_ms", "status_code", "error", "response_excerpt"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    attempt_log = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id", "subscription_id", "event_id", "event_name", "state", "attempts", "next_attempt_at",
            "created_at", "delivered_at", "payload", "attempt_log",
        ]


def _save(serializer, **extra):
    serializer.is_valid(raise_exception=True)
    instance = serializer.instance or WebhookSubscription()
    for key, value in {**serializer.validated_data, **extra}.items():
        setattr(instance, key, value)
    try:
        return webhook_save(subscription=instance)
    except DjangoValidationError as error:
        raise ApiError(next(iter(error.message_dict.values()))[0], errors=error.message_dict)


def _page(request, view, rows, serializer_class):
    paginator = ZouPagination()
    page = paginator.paginate_queryset(rows, request, view=view)
    if page is not None:
        return paginator.get_paginated_response(serializer_class(page, many=True).data)
    return Response(serializer_class(rows, many=True).data)


class WebhookBaseView(APIView):
    permission_classes = [IsAdmin]

    def get_subscription(self, webhook_id):
        return visible_or_404(WebhookSubscription.objects.all(), webhook_id, "Webhook")


class WebhookListView(WebhookBaseView):
    @extend_schema(tags=TAGS, responses={200: WebhookSerializer(many=True)})
    def get(self, request):
        return _page(request, self, WebhookSubscription.objects.order_by("name", "created_at"), WebhookSerializer)

    @extend_schema(tags=TAGS, request=WebhookSerializer, responses={201: WebhookSerializer})
    def post(self, request):
        subscription = _save(WebhookSerializer(data=request.data), created_by=request.user)
        # The only time the secret is answered: the receiver needs it to check signatures.
        return Response(WebhookSerializer(subscription).data | {"secret": subscription.secret}, status=status.HTTP_201_CREATED)


class WebhookDetailView(WebhookBaseView):
    @extend_schema(tags=TAGS, responses={200: WebhookSerializer})
    def get(self, request, webhook_id):
        return Response(WebhookSerializer(self.get_subscription(webhook_id)).data)

    @extend_schema(tags=TAGS, request=WebhookSerializer, responses={200: WebhookSerializer})
    def put(self, request, webhook_id):
        return self._change(request, webhook_id, partial=False)

    @extend_schema(tags=TAGS, request=WebhookSerializer, responses={200: WebhookSerializer})
    def patch(self, request, webhook_id):
        return self._change(request, webhook_id, partial=True)

    def _change(self, request, webhook_id, partial):
        subscription = self.get_subscription(webhook_id)
        subscription = _save(WebhookSerializer(subscription, data=request.data, partial=partial))
        return Response(WebhookSerializer(subscription).data)

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request, webhook_id):
        self.get_subscription(webhook_id).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveriesView(WebhookBaseView):
    @extend_schema(
        tags=TAGS,
        responses={200: WebhookDeliverySerializer(many=True)},
        description="The subscription's deliveries, newest first, each with every attempt (status, time, "
        "response excerpt). `?state=pending|delivered|failed` narrows.",
    )
    def get(self, request, webhook_id):
        subscription = self.get_subscription(webhook_id)
        unknown = sorted(set(request.query_params) - {"state", "page", "limit"})
        if unknown:
            raise ApiError(f"Unknown parameter '{unknown[0]}': deliveries are narrowed by state only.")
        # attempt_log: each delivery's attempts, read in one query for the page.
        deliveries = subscription.deliveries.prefetch_related("attempt_log").order_by("-id")
        state = request.query_params.get("state")
        if state is not None:
            if state not in WebhookDelivery.State.values:
                raise ApiError(f"'state' must be one of {', '.join(WebhookDelivery.State.values)}, not '{state}'.")
            deliveries = deliveries.filter(state=state)
        return _page(request, self, deliveries, WebhookDeliverySerializer)


class WebhookRedeliverView(WebhookBaseView):
    @extend_schema(
        tags=TAGS,
        request=None,
        responses={202: WebhookDeliverySerializer},
        description="Send a delivery's event again (same body, same Idempotency-Key), after what the webhook "
        "already has waiting.",
    )
    def post(self, request, webhook_id, delivery_id):
        subscription = self.get_subscription(webhook_id)
        try:
            delivery = subscription.deliveries.get(id=int(delivery_id))
        except (ValueError, WebhookDelivery.DoesNotExist):
            raise ApiError(f"Delivery {delivery_id} not found.", status_code=status.HTTP_404_NOT_FOUND)
        return Response(WebhookDeliverySerializer(delivery_redeliver(delivery=delivery)).data, status=status.HTTP_202_ACCEPTED)
