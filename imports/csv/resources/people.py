"""The persons sheet (DESIGN.md §9): people matched by email."""

from django.core.exceptions import ValidationError

from imports.csv.base import CsvResource
from imports.csv.widgets import text
from production.auth.persons import admins_kept, is_active_admin, person_change_errors, person_values
from production.models import Person, normalize_email
from production.querysets import visible_persons


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

    def prefetch_existing(self, parsed_rows):
        """The rules of production.auth.persons for the chunk, before any row is
        written: the importing admin is never renamed or demoted by their own
        sheet, and no sheet demotes the last active admins."""
        demoting = []
        for parsed in parsed_rows:
            stored = self.find_existing(parsed) if parsed.key else None
            if stored is None:
                continue
            before = person_values(stored)
            after = {**before, **parsed.values}
            for field, message in person_change_errors(stored=before, new=after, actor=self.actor, by_import=True).items():
                parsed.fail(self._column_of_field.get(field, field), message)
            if is_active_admin(before) and not is_active_admin(after):
                demoting.append((parsed, stored.pk))
        try:
            admins_kept(losing=[pk for _, pk in demoting])
        except ValidationError as error:
            for parsed, _ in demoting:
                parsed.fail("Role", error.messages[0])

    def find_existing(self, parsed):
        return self.references.persons_by_email.get(parsed.key)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        if instance._state.adding:
            # Imported persons log in once an admin sets their password.
            instance.set_unusable_password()

    def visible_to(self, queryset, person):
        return visible_persons(person, queryset)

    def in_project(self, queryset, project):
        return queryset.filter(projects=project)

    def filter_export(self, queryset, **kwargs):
        return queryset.order_by("email")
