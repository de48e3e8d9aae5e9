"""Local development: debug on, insecure key allowed, GraphiQL on."""

from .base import *  # noqa: F403
from .base import env

DEBUG = True
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-not-for-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
GRAPHIQL_ENABLED = env.bool("GRAPHIQL_ENABLED", default=True)
# GraphiQL needs introspection.
GRAPHQL_INTROSPECTION_ENABLED = env.bool("GRAPHQL_INTROSPECTION_ENABLED", default=True)
CORS_ALLOWED_ORIGINS = env.list(
    "CORS_ALLOWED_ORIGINS", default=["http://localhost:3000", "http://127.0.0.1:3000"]
)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
