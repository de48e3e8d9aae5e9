"""Test run: fast hashing, throwaway media folder, no manifest for static files."""

import tempfile

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="cms-test-media-")
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
GRAPHIQL_ENABLED = env.bool("GRAPHIQL_ENABLED", default=False)
GRAPHQL_INTROSPECTION_ENABLED = True
WAGTAILADMIN_BASE_URL = WAGTAILAPI_BASE_URL = "http://testserver"
# Creating and dropping test databases on a busy machine may take longer than
# the production statement timeout allows.
DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_STATEMENT_TIMEOUT", default=30.0)
if "options" in DATABASES["default"].get("OPTIONS", {}):  # noqa: F405
    DATABASES["default"]["OPTIONS"]["options"] = (  # noqa: F405
        f"-c statement_timeout={round(DATABASE_STATEMENT_TIMEOUT * 1000)}"
    )
# Looking for missed cache retirements is time-driven: off, so query counts are
# exact; the tests of that mechanism turn it on.
GRAPHQL_RESPONSE_CACHE_CATCH_UP_SECONDS = 0
