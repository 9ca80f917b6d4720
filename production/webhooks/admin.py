"""Webhooks in the admin, for admins only: subscriptions (saved through the
same service as the API: host and event checks, a secret generated), why one
was disabled, and every delivery with its attempts; redeliver by hand."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from production.models import Person, WebhookAttempt, WebhookDelivery, WebhookSubscription
from production.webhooks.services import delivery_redeliver, events_check, url_check, webhook_save


def is_admin(request):
    return request.user.is_authenticated and request.user.role == Person.Role.ADMIN


class AdminsOnly:
    def has_module_permission(self, request):
        return is_admin(request)

    def has_view_permission(self, request, obj=None):
        return is_admin(request)

    def has_add_permission(self, request, *args):
        return is_admin(request)

    def has_change_permission(self, request, obj=None):
        return is_admin(request)

    def has_delete_permission(self, request, obj=None):
        return is_admin(request)


class WebhookForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https", help_text=WebhookSubscription._meta.get_field("url").help_text)
    secret = forms.CharField(
        required=False, max_length=128, widget=forms.PasswordInput(render_value=True),
        help_text="Signs every delivery (X-Zou-Signature). Left blank, one is generated.",
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "events", "project", "secret", "active"]
        help_texts = {"events": 'A JSON list of event names or patterns: ["task:status-changed", "shot:*"].'}

    def clean(self):
        cleaned = super().clean()
        try:
            events_check(cleaned.get("events"))
            if cleaned.get("url"):
                url_check(cleaned["url"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                self.add_error(field, errors)
        return cleaned


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(AdminsOnly, admin.ModelAdmin):
    form = WebhookForm
    list_display = ("__str__", "url", "events", "project", "active", "disabled_reason", "deliveries_link")
    list_filter = ("active",)
    readonly_fields = ("disabled_reason", "failing_since", "deliveries_link")

    def get_fields(self, request, obj=None):
        return ["name", "url", "events", "project", "secret", "active", "disabled_reason", "failing_since", "deliveries_link"]

    @admin.display(description="deliveries")
    def deliveries_link(self, subscription):
        if not subscription.pk:
            return "—"
        url = reverse("admin:production_webhookdelivery_changelist") + f"?subscription__id__exact={subscription.pk}"
        return format_html('<a href="{}">Deliveries and attempts</a>', url)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        webhook_save(subscription=obj)


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = readonly_fields = ("number", "started_at", "duration_ms", "status_code", "error", "response_excerpt")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(AdminsOnly, admin.ModelAdmin):
    list_display = ("id", "event_name", "subscription", "state", "attempts", "next_attempt_at", "created_at", "delivered_at")
    list_filter = ("state", "subscription")
    list_select_related = ("subscription",)
    readonly_fields = (
        "subscription", "event_id", "event_name", "payload", "state", "attempts", "next_attempt_at", "created_at", "delivered_at",
    )
    inlines = [WebhookAttemptInline]
    actions = ["redeliver"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Redeliver the selected deliveries' events")
    def redeliver(self, request, queryset):
        for delivery in queryset.select_related("subscription"):
            delivery_redeliver(delivery=delivery)
        messages.success(request, f"{queryset.count()} events queued again.")
