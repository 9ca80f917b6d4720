from rest_framework.permissions import SAFE_METHODS, BasePermission


class IsManager(BasePermission):
    """Admins and managers: imports, exports of whole productions, reference data."""

    message = "Only managers and admins may do this."

    def has_permission(self, request, view):
        person = request.user
        return bool(person and person.is_authenticated and person.is_manager_or_admin)


class IsManagerOrReadOnly(IsManager):
    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return super().has_permission(request, view)
