"""The API kit's permission class: writes by the roles a view names. Who may
do what in the production is production.permissions' (one rule per act)."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


class RoleWritePermission(BasePermission):
    """Reads for every authenticated person (querysets narrow the rows);
    writes for the roles the view names in `write_roles` (default: managers
    and admins). On a row's own URL the role is checked once the row is found,
    so a row you cannot see is 404 and one you can see but not change is 403."""

    message = "Your role does not allow this change."
    default_write_roles = ("admin", "manager")

    def has_permission(self, request, view):
        person = request.user
        if not (person and person.is_authenticated):
            return False
        if request.method in SAFE_METHODS or self._is_detail(view):
            return True
        return self.may_write(person, view)

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or self.may_write(request.user, view)

    def may_write(self, person, view):
        return person.role in getattr(view, "write_roles", self.default_write_roles)

    @staticmethod
    def _is_detail(view):
        lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk")
        return lookup in getattr(view, "kwargs", {})
