"""The import errors list, and the Shotgun upload screen reached from it: choose a
kind, upload a JSON export, read a dry-run preview of what would be created,
updated and refused, then confirm. Both steps call the same service as the
REST routes and manage.py."""

import json
import re
import uuid

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from imports.models import DataImportError
from imports.shotgun.importer import UNCHANGED
from imports.shotgun.mapping import KINDS
from imports.shotgun.services import ShotgunImportError, shotgun_import, shotgun_records_check
from production import permissions

# Uploads wait for confirmation in the project's storage, not in a worker's
# memory or disk: the confirming request may reach another worker.
PENDING_DIR = "shotgun-imports"
TOKEN = re.compile(r"^[0-9a-f]{32}$")
PREVIEW_ROWS = 200


class ShotgunUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=[(kind, kind) for kind in KINDS])
    file = forms.FileField(help_text="A JSON array of Shotgun records, as the Shotgun API returns them.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_SIZE:
            raise forms.ValidationError(f"The file is larger than {settings.MAX_UPLOAD_SIZE} bytes.")
        self.raw = upload.read()
        try:
            self.records = json.loads(self.raw)
        except ValueError as error:
            raise forms.ValidationError(f"The file is not valid JSON: {error}")
        if not isinstance(self.records, list):
            raise forms.ValidationError("The file must hold a JSON array of Shotgun records.")
        try:
            shotgun_records_check(self.records)
        except ShotgunImportError as error:
            raise forms.ValidationError(str(error))
        return upload


class ShotgunConfirmForm(forms.Form):
    kind = forms.ChoiceField(choices=[(kind, kind) for kind in KINDS], widget=forms.HiddenInput)
    token = forms.RegexField(regex=TOKEN, widget=forms.HiddenInput)


def _pending_name(token):
    return f"{PENDING_DIR}/{token}.json"


@admin.register(DataImportError)
class DataImportErrorAdmin(admin.ModelAdmin):
    list_display = ("created_at", "source", "kind", "record_id", "reason")
    list_filter = ("source",)
    # The record and its reason live in the JSON: searched as text.
    search_fields = ("event_data",)
    readonly_fields = ("source", "event_data", "created_at", "updated_at")
    change_list_template = "admin/imports/shotgun_errors_change_list.html"

    @admin.display(description="kind")
    def kind(self, error):
        return error.event_data.get("import_kind") or error.event_data.get("kind", "")

    @admin.display(description="record id")
    def record_id(self, error):
        return error.event_data.get("id", "")

    @admin.display(description="reason")
    def reason(self, error):
        return error.event_data.get("reason") or error.event_data.get("message", "")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        upload = path("shotgun-import/", self.admin_site.admin_view(self.shotgun_import_view), name="imports_shotgun_import")
        return [upload, *super().get_urls()]

    def shotgun_import_view(self, request):
        if not permissions.may_import(request.user):
            raise PermissionDenied
        if request.method == "POST" and "token" in request.POST:
            return self.confirm(request, ShotgunConfirmForm(request.POST))
        form = ShotgunUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            return self.preview(request, form)
        return self.render(request, "admin/imports/shotgun_upload.html", form=form)

    def preview(self, request, form):
        kind = form.cleaned_data["kind"]
        result = shotgun_import(kind=kind, records=form.records, actor=request.user, dry_run=True)
        token = uuid.uuid4().hex
        default_storage.save(_pending_name(token), ContentFile(form.raw))
        changes = [
            {
                "outcome": outcome,
                "shotgun_id": row["shotgun_id"],
                "label": row.get("name") or row.get("email") or row.get("text", ""),
                "detail": detail,
            }
            for outcome, row, detail in zip(result.outcomes, result.rows, result.details)
            if outcome != UNCHANGED or (detail and detail["adopted"])
        ]
        return self.render(
            request,
            "admin/imports/shotgun_preview.html",
            result=result,
            changes=changes[:PREVIEW_ROWS],
            hidden_changes=max(0, len(changes) - PREVIEW_ROWS),
            confirm_form=ShotgunConfirmForm(initial={"kind": kind, "token": token}),
            kind=kind,
        )

    def confirm(self, request, form):
        changelist = reverse("admin:imports_dataimporterror_changelist")
        if not form.is_valid():
            messages.error(request, "This confirmation is not valid: upload the file again.")
            return redirect("admin:imports_shotgun_import")
        name, kind = _pending_name(form.cleaned_data["token"]), form.cleaned_data["kind"]
        if not default_storage.exists(name):
            messages.error(request, "This upload was already imported or has expired: upload the file again.")
            return redirect("admin:imports_shotgun_import")
        with default_storage.open(name) as pending:
            records = json.load(pending)
        try:
            result = shotgun_import(kind=kind, records=records, actor=request.user)
        except ShotgunImportError as error:
            messages.error(request, str(error))
            return redirect("admin:imports_shotgun_import")
        default_storage.delete(name)
        level = messages.WARNING if result.errors else messages.SUCCESS
        messages.add_message(
            request,
            level,
            f"Shotgun {kind}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
            f"{len(result.errors)} not imported (listed below).",
        )
        return redirect(f"{changelist}?source__exact={DataImportError.Source.SHOTGUN}")

    def render(self, request, template, **context):
        context.update(self.admin_site.each_context(request), opts=self.model._meta, title="Import Shotgun records")
        return TemplateResponse(request, template, context)
