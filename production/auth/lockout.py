"""Login attempts with a lockout every worker agrees on.

Each attempt reserves its place before the password is checked: a FailedLogin
row is written (and committed) first, then the rows of the window are counted.
The k-th reservation to commit counts at least k rows, so however many
requests race, at most LOGIN_MAX_FAILURES of them get as far as checking a
password; the others are refused and take their reservation back. A right
password deletes the email's rows. The count is per email and per client
address, the latter read through the trusted proxies only.

django-axes was weighed for this and not taken: it checks the count in its
backend and records the failure afterwards from the user_login_failed signal,
so requests arriving together all pass the check before any failure is
counted (the race issue 13 finding 6 measured)."""

import datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from ipware import get_client_ip

from production.models import FailedLogin, Person, normalize_email


class LoginLocked(Exception):
    def __init__(self, wait):
        super().__init__(f"Too many failed logins: try again in {wait} seconds.")
        self.wait = wait


def client_address(request):
    """The address login protection counts. Behind TRUSTED_PROXY_COUNT proxies
    it is the X-Forwarded-For entry the farthest trusted proxy added; with no
    trusted proxy (the default) X-Forwarded-For is ignored, since any client
    can write it."""
    if request is None:
        return "unknown"
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        # ipware counts the proxies listed in the header; the nearest one is
        # the connection itself (REMOTE_ADDR) and is not listed.
        address, _ = get_client_ip(
            request,
            proxy_count=proxies - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if address:
            return address
    return request.META.get("REMOTE_ADDR") or "unknown"


def _wait_seconds(stamps, window):
    """Locked until the oldest of the last N attempts leaves the window."""
    return max(1, int((stamps[-1] + window - timezone.now()).total_seconds()) + 1)


def _lockout(reservation, window):
    """Seconds to wait if this reservation is past the limit, else 0."""
    since = timezone.now() - window
    recent = FailedLogin.objects.filter(created_at__gte=since)
    limit = settings.LOGIN_MAX_FAILURES
    for rows in (recent.filter(email=reservation.email), recent.filter(ip_address=reservation.ip_address)):
        stamps = list(rows.order_by("-created_at").values_list("created_at", flat=True)[: limit + 1])
        if len(stamps) > limit:
            return _wait_seconds(stamps, window)
    return 0


def login_attempt(*, email, password, ip_address):
    """The active person these credentials are for, or None; LoginLocked
    while the email or the address is locked out. Every password check of the
    site (API login, admin login, change-password) goes through here."""
    email = normalize_email(email)[:254]
    window = datetime.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    # Written in autocommit, so racing workers count it before they check.
    reservation = FailedLogin.objects.create(email=email, ip_address=(ip_address or "unknown")[:45])
    wait = _lockout(reservation, window)
    if wait:
        reservation.delete()
        raise LoginLocked(wait)
    person = Person.objects.filter(email=email).first()
    if person is None:
        # Same cost as a real check, so timing does not tell which emails exist.
        make_password(password)
    elif person.check_password(password) and person.is_active:
        FailedLogin.objects.filter(email=email).delete()
        return person
    FailedLogin.objects.filter(created_at__lt=timezone.now() - window).delete()
    return None
