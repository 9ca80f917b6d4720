"""Test settings: the production settings with HTTPS redirects off (the test
client speaks plain HTTP), static files found in place (no collectstatic
manifest) and a fast password hasher."""

from zou_site.settings import *  # noqa: F401,F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# WhiteNoise as in development: files found by the finders, no collected folder needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
