"""Production: everything secret or host-specific must come from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import REDIS_URL, env


def _required(name):
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set in the environment for production settings."
        )
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in _required("ALLOWED_HOSTS").split(",") if host.strip()]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# TLS is terminated by the proxy in front of gunicorn.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# ... which appends the client's address to X-Forwarded-For: without counting
# it, every client would share the proxy's address for login throttling, and
# anyone could lock every editor out. 2 with Varnish behind the TLS proxy.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

GRAPHIQL_ENABLED = env.bool("GRAPHIQL_ENABLED", default=False)
GRAPHQL_INTROSPECTION_ENABLED = env.bool("GRAPHQL_INTROSPECTION_ENABLED", default=GRAPHIQL_ENABLED)

# Cached GraphQL answers must be retired in every gunicorn worker and on every
# server at once, which only a shared cache can do: on by default with REDIS_URL.
GRAPHQL_RESPONSE_CACHE_ENABLED = env.bool("GRAPHQL_RESPONSE_CACHE_ENABLED", default=bool(REDIS_URL))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
