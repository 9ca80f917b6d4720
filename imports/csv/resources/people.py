"""The persons sheet (DESIGN.md §9): people matched by email."""

from django.db.models import Q

from imports.csv.base import CsvResource
from imports.csv.widgets import text
from production.models import Person, normalize_email
from production.querysets import visible_projects


class PersonResource(CsvResource):
    kind = "persons"
    noun = "person"
    required_columns = ("Email",)
    key_column = "Email"
    written_fields = ("first_name", "last_name", "email", "phone", "role")

    first_name = text("first_name", "First Name")
    last_name = text("last_name", "Last Name")
    email = text("email", "Email")
    phone = text("phone", "Phone")
    role = text("role", "Role")

    class Meta:
        model = Person
        fields = ("first_name", "last_name", "email", "phone", "role")

    def parse(self, parsed):
        email = parsed.cell("Email", required=True)
        if email:
            parsed.key = normalize_email(email)
            parsed.set("email", parsed.key)
        parsed.set("first_name", parsed.cell("First Name"))
        parsed.set("last_name", parsed.cell("Last Name"))
        parsed.set("phone", parsed.cell("Phone"))
        # A blank role keeps the person's role; a new person is a user.
        role = parsed.cell("Role")
        if role:
            if role.lower() in Person.Role.values:
                parsed.set("role", role.lower())
            else:
                parsed.fail("Role", f"Unknown role '{role}': one of {', '.join(Person.Role.values)}.")

    def find_existing(self, parsed):
        return self.references.persons_by_email.get(parsed.key)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        if instance._state.adding:
            # Imported persons log in once an admin sets their password.
            instance.set_unusable_password()

    def visible_to(self, queryset, person):
        """Others see themselves and the teams of the projects they see."""
        if person.is_manager_or_admin:
            return queryset
        return queryset.filter(Q(pk=person.pk) | Q(projects__in=visible_projects(person))).distinct()

    def in_project(self, queryset, project):
        return queryset.filter(projects=project)

    def filter_export(self, queryset, **kwargs):
        return queryset.order_by("email")
