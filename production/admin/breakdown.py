"""The breakdown: entity types, then every entity, then one screen per kind
(episodes, sequences, shots, assets), as the proxies of production/models."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from production.admin import entity_actions
from production.admin.casting import CastingInline, CastInInline
from production.admin.common import breadcrumb, count_column, count_of, with_path_label
from production.admin.filters import SequenceFilter
from production.admin.project_context import ProjectContextFilter, ProjectContextMixin, context_project_id
from production.admin.task_actions import hold_status_changes, status_changes_commented
from production.admin.tasks import TaskInline
from production.models import (
    RESERVED_ENTITY_TYPES,
    Asset,
    AssetType,
    Entity,
    EntityType,
    Episode,
    Sequence,
    Shot,
    Task,
)

PIPELINE_FIELDSET = ("Pipeline", {"classes": ("collapse",), "fields": ("shotgun_id", "data")})


@admin.register(EntityType)
class EntityTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "is_asset_type", "nb_entities")
    search_fields = ("name",)

    nb_entities = count_column("nb_entities", "entities")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(nb_entities=count_of(Entity.objects.all(), "entity_type"))

    @admin.display(boolean=True, description="asset type")
    def is_asset_type(self, entity_type):
        return entity_type.is_asset_type


@admin.register(AssetType)
class AssetTypeAdmin(EntityTypeAdmin):
    list_display = ("name", "nb_entities")


@admin.register(Entity)
class EntityAdmin(ProjectContextMixin, admin.ModelAdmin):
    """Every entity whatever its kind: the target of the entity autocompletes
    (a task's entity, a shot's casting)."""

    list_display = ("name", "entity_type", "parent", "project", "canceled")
    list_filter = ("entity_type", ProjectContextFilter, "canceled")
    search_fields = ("name", "parent__name", "project__name")
    list_select_related = ("entity_type", "project", "parent")
    autocomplete_fields = ("project", "parent")
    inlines = (CastingInline,)
    fieldsets = (
        (None, {"fields": ("project", "entity_type", "parent", "name", "description", "canceled", "nb_frames")}),
        PIPELINE_FIELDSET,
    )

    def get_queryset(self, request):
        return with_path_label(super().get_queryset(request))

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The autocompletes (a task's entity, a casting) offer the project in context only.
        project_id = context_project_id(request)
        if project_id is not None:
            queryset = queryset.filter(project_id=project_id)
        # A casting lists assets: the autocomplete feeding it offers nothing else.
        if request.GET.get("field_name") == "entity_out":
            queryset = queryset.exclude(entity_type__name__in=RESERVED_ENTITY_TYPES)
        return queryset, may_have_duplicates


class PartialEntityForm(forms.ModelForm):
    """The form of a screen that sets an entity's type itself (episodes,
    sequences, shots) or leaves its parent out (assets). Django skips a unique
    constraint when one of its fields is not on the form, which would let a
    duplicate reach the database as an IntegrityError: the (name, project,
    entity_type, parent) constraint is checked on the whole instance instead."""

    def validate_unique(self):
        super().validate_unique()
        try:
            self.instance.validate_constraints(exclude=set(self.errors))
        except ValidationError as error:
            self.add_error(None, error)


class EntityKindForm(PartialEntityForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The proxy's save() would set the type too, but too late for the uniqueness check.
        if self.instance.entity_type_id is None:
            self.instance.entity_type = type(self.instance).objects.entity_type()


class ShotForm(EntityKindForm):
    """Frame range as two fields, kept in `data` where Zou and the imports put
    it; the model checks the range and counts nb_frames from it."""

    frame_in = forms.IntegerField(required=False, help_text="The shot's first frame.")
    frame_out = forms.IntegerField(required=False, help_text="The shot's last frame: both ends count.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "nb_frames" in self.fields:
            self.fields["nb_frames"].help_text = (
                "Counted from frame in and out when both are given (1001 to 1048 is 48 frames)."
            )
        self.initial.setdefault("frame_in", self.instance.frame_in)
        self.initial.setdefault("frame_out", self.instance.frame_out)

    def clean(self):
        cleaned_data = super().clean()
        data = cleaned_data.get("data") or {}
        if not isinstance(data, dict):
            self.add_error("data", "Shot data must be a JSON object: the frame range is kept in it.")
            return cleaned_data
        data = dict(data)
        for key in ("frame_in", "frame_out"):
            if cleaned_data.get(key) is None:
                data.pop(key, None)
            else:
                data[key] = cleaned_data[key]
        cleaned_data["data"] = data or None
        return cleaned_data


class BreakdownAdmin(ProjectContextMixin, admin.ModelAdmin):
    """Base of the screen of one kind of entity."""

    form = EntityKindForm
    # The kind whose rows may be this kind's parent, offered with their path.
    parent_kind = None
    list_filter = (ProjectContextFilter, "canceled")
    actions = (entity_actions.cancel, entity_actions.uncancel)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        parent = form.base_fields.get("parent")
        if obj is not None and parent is not None:
            # An existing row's parent can only be of its project: offer those.
            parent.queryset = parent.queryset.filter(project_id=obj.project_id)
        elif parent is not None and context_project_id(request) is not None:
            # A new row starts in the project in context.
            parent.queryset = parent.queryset.filter(project_id=context_project_id(request))
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent" and self.parent_kind:
            kwargs["queryset"] = self.parent_kind.objects.select_related("project", "parent").order_by(
                "project__name", "parent__name", "name"
            )
            formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
            formfield.label_from_instance = breadcrumb
            return formfield
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        # Task rows: a status changed here is written as a comment, as the API does.
        held = hold_status_changes(formset.forms) if formset.model is Task else []
        super().save_formset(request, form, formset, change)
        status_changes_commented(held, request.user)


@admin.register(Episode)
class EpisodeAdmin(BreakdownAdmin):
    list_display = ("name", "project", "nb_sequences", "canceled")
    search_fields = ("name", "project__name")
    list_select_related = ("project",)
    ordering = ("project__name", "name")
    inlines = (CastingInline,)
    fieldsets = ((None, {"fields": ("project", "name", "description", "canceled")}), PIPELINE_FIELDSET)

    nb_sequences = count_column("nb_sequences", "sequences")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(nb_sequences=count_of(Sequence.objects.all(), "parent"))


@admin.register(Sequence)
class SequenceAdmin(BreakdownAdmin):
    parent_kind = Episode
    list_display = ("name", "episode", "project", "nb_shots", "canceled")
    search_fields = ("name", "parent__name", "project__name")
    list_select_related = ("project", "parent")
    ordering = ("project__name", "parent__name", "name")
    fieldsets = ((None, {"fields": ("project", "parent", "name", "description", "canceled")}), PIPELINE_FIELDSET)

    nb_shots = count_column("nb_shots", "shots")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(nb_shots=count_of(Shot.objects.all(), "parent"))

    @admin.display(description="episode", ordering="parent__name")
    def episode(self, sequence):
        return sequence.parent


@admin.register(Shot)
class ShotAdmin(BreakdownAdmin):
    form = ShotForm
    action_form = entity_actions.EntityListActionForm
    actions = (entity_actions.create_tasks, *BreakdownAdmin.actions)
    parent_kind = Sequence
    list_display = ("name", "sequence", "episode", "project", "frame_in", "frame_out", "nb_frames", "canceled")
    list_filter = (ProjectContextFilter, SequenceFilter, "canceled")
    search_fields = ("name", "parent__name", "parent__parent__name", "project__name")
    list_select_related = ("project", "parent__parent")
    ordering = ("project__name", "parent__name", "name")
    inlines = (CastingInline, TaskInline)
    fieldsets = (
        (None, {"fields": ("project", "parent", "name", "description", "canceled")}),
        ("Frames", {"fields": ("frame_in", "frame_out", "nb_frames")}),
        PIPELINE_FIELDSET,
    )

    @admin.display(description="sequence", ordering="parent__name")
    def sequence(self, shot):
        return shot.parent

    @admin.display(description="episode", ordering="parent__parent__name")
    def episode(self, shot):
        return shot.parent.parent if shot.parent_id else None

    @admin.display(description="frame in", ordering="data__frame_in")
    def frame_in(self, shot):
        return shot.frame_in

    @admin.display(description="frame out", ordering="data__frame_out")
    def frame_out(self, shot):
        return shot.frame_out


@admin.register(Asset)
class AssetAdmin(BreakdownAdmin):
    form = PartialEntityForm
    action_form = entity_actions.EntityListActionForm
    actions = (entity_actions.create_tasks, *BreakdownAdmin.actions)
    list_display = ("name", "entity_type", "project", "nb_tasks", "canceled")
    list_filter = (ProjectContextFilter, ("entity_type", admin.RelatedOnlyFieldListFilter), "canceled")
    search_fields = ("name", "entity_type__name", "project__name", "description")
    list_select_related = ("project", "entity_type")
    ordering = ("project__name", "entity_type__name", "name")
    inlines = (CastingInline, CastInInline, TaskInline)
    fieldsets = (
        (None, {"fields": ("project", "entity_type", "name", "description", "canceled")}),
        PIPELINE_FIELDSET,
    )

    nb_tasks = count_column("nb_tasks", "tasks")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(nb_tasks=count_of(Task.objects.all(), "entity"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "entity_type":
            kwargs["queryset"] = AssetType.objects.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
