"""Settings for the test suite: the same as production, with fast hashing and local email."""

import os

os.environ.setdefault("SAMENSPEL_TESTING", "1")

from samenspel.settings import *  # noqa: F403
from samenspel.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Hashed static names 404 under live_server; plain storage serves node_modules and app files.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
