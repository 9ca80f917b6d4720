from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone

from production.models.base import BaseModel


def normalize_email(email):
    """Emails are stored and matched lowercased: John@X.com and john@x.com are one person."""
    return (email or "").strip().lower()


class Department(BaseModel):
    name = models.CharField(max_length=80, unique=True)
    color = models.CharField(max_length=7, default="#999999")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PersonManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email=normalize_email(email))

    def create_user(self, email, password=None, **fields):
        person = self.model(email=normalize_email(email), **fields)
        if password:
            person.set_password(password)
        else:
            person.set_unusable_password()
        person.full_clean(exclude=["password"])
        person.save(using=self._db)
        return person

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("role", Person.Role.ADMIN)
        return self.create_user(email, password, **fields)


class Person(AbstractBaseUser, BaseModel):
    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        MANAGER = "manager", "Manager"
        SUPERVISOR = "supervisor", "Supervisor"
        USER = "user", "User"
        CLIENT = "client", "Client"

    first_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    email = models.EmailField(max_length=254, unique=True)
    phone = models.CharField(max_length=30, blank=True)
    active = models.BooleanField(default=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.USER, db_index=True)
    desktop_login = models.CharField(max_length=80, blank=True)
    timezone = models.CharField(max_length=50, default="Europe/Paris")
    locale = models.CharField(max_length=10, default="en_US")
    last_presence = models.DateField(null=True, blank=True)
    shotgun_id = models.IntegerField(null=True, blank=True, unique=True)
    is_bot = models.BooleanField(default=False)
    data = models.JSONField(null=True, blank=True)
    skills = models.ManyToManyField(Department, blank=True, related_name="persons")
    # Tokens issued before this instant are refused: set by production.auth.persons
    # on password change, deactivation and bot-token revocation.
    tokens_valid_after = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        ordering = ["first_name", "last_name", "email"]
        indexes = [models.Index(fields=["first_name", "last_name"])]

    def __str__(self):
        return self.full_name or self.email

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    # Django auth and admin protocol, driven by the role instead of Django's
    # per-model permission tables: admin and manager run the production in the
    # admin; only admin manages persons.
    @property
    def is_active(self):
        return self.active

    @property
    def is_staff(self):
        return self.active and self.role in (self.Role.ADMIN, self.Role.MANAGER)

    @property
    def is_superuser(self):
        return self.active and self.role == self.Role.ADMIN

    @property
    def is_manager_or_admin(self):
        return self.role in (self.Role.ADMIN, self.Role.MANAGER)

    def has_perm(self, perm, obj=None):
        if not self.is_staff:
            return False
        if self.role == self.Role.ADMIN:
            return True
        app_label, _, codename = perm.partition(".")
        # Persons and the login-security tables are an admin's business.
        if codename.endswith(("_person", "_outstandingtoken", "_blacklistedtoken", "_failedlogin")):
            return codename == "view_person"
        return True

    def has_perms(self, perm_list, obj=None):
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label):
        return self.is_staff

    def revoke_tokens(self):
        self.tokens_valid_after = timezone.now()


class FailedLogin(models.Model):
    """One refused login, kept for the lockout window: repeated failures from
    one address or for one email refuse further attempts for a while. Kept in
    the database so every worker sees the same count."""

    email = models.CharField(max_length=254, db_index=True)
    ip_address = models.CharField(max_length=45, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.email} from {self.ip_address}"
