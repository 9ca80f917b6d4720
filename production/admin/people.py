"""Persons and departments. The person screens reuse Django's UserAdmin (its
password page, hashing and validation) on our model, which logs in by email,
has no username and keeps `active` as the field behind `is_active`."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError

from production.admin.common import ColorSwatchMixin, count_column, count_of
from production.auth import persons
from production.models import Department, FailedLogin, Person, TaskType, normalize_email


class PersonEmailMixin:
    """Stored lowercased, so the unique check also refuses John@X.com beside john@x.com.
    The guard rails of production.auth.persons show as form errors; `actor`
    is set on the form class PersonAdmin.get_form makes for each request."""

    actor = None

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                persons.person_check(person=self.instance, actor=self.actor)
            except ValidationError as error:
                self.add_error(None, error)


class PersonCreationForm(PersonEmailMixin, AdminUserCreationForm):
    class Meta:
        model = Person
        fields = ("email", "first_name", "last_name", "role", "active")


class PersonChangeForm(PersonEmailMixin, UserChangeForm):
    class Meta:
        model = Person
        fields = "__all__"


class PersonPasswordChangeForm(AdminPasswordChangeForm):
    """A new password also ends the API sessions opened with the old one.
    Only admins reach this page (Person.has_perm), so the door's check is done."""

    def save(self, commit=True):
        person = super().save(commit=False)
        if commit:
            persons.person_save(person=person, actor=persons.SystemActor(persons=True))
        return person


@admin.register(Person)
class PersonAdmin(UserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    change_password_form = PersonPasswordChangeForm
    list_display = ("email", "name", "role", "active", "is_bot", "last_presence", "last_login")
    list_filter = ("role", "active", "is_bot", "skills")
    search_fields = ("email", "first_name", "last_name", "desktop_login")
    ordering = ("first_name", "last_name", "email")
    filter_horizontal = ("skills",)
    readonly_fields = ("last_login", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identity", {"fields": ("first_name", "last_name", "phone", "desktop_login")}),
        ("Studio", {"fields": ("role", "active", "is_bot", "skills")}),
        ("Preferences", {"fields": ("timezone", "locale")}),
        (
            "Pipeline",
            {
                "classes": ("collapse",),
                "fields": ("shotgun_id", "data", "last_presence", "last_login", "created_at", "updated_at"),
            },
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "first_name",
                    "last_name",
                    "role",
                    "active",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    @admin.display(description="name", ordering="first_name")
    def name(self, person):
        return person.full_name

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        persons.person_save(person=obj, actor=request.user)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        self.delete_queryset(request, [obj])

    def delete_queryset(self, request, queryset):
        try:
            persons.persons_delete_check(persons=list(queryset), actor=request.user)
        except ValidationError as error:
            raise PermissionDenied(" ".join(error.messages))
        for person in queryset:
            person.delete()


@admin.register(Department)
class DepartmentAdmin(ColorSwatchMixin, admin.ModelAdmin):
    list_display = ("name", "color_swatch", "nb_task_types", "nb_persons")
    search_fields = ("name",)

    nb_task_types = count_column("nb_task_types", "task types")
    nb_persons = count_column("nb_persons", "persons")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                nb_task_types=count_of(TaskType.objects.all(), "department"),
                nb_persons=count_of(Person.skills.through.objects.all(), "department"),
            )
        )


@admin.register(FailedLogin)
class FailedLoginAdmin(admin.ModelAdmin):
    """The refused logins of the lockout window, written by the login service
    only; deleting a person's rows lifts their lockout. Security data, so
    admins only, although Person.has_perm lets managers at any other model."""

    list_display = ("email", "ip_address", "created_at")
    search_fields = ("email", "ip_address")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
