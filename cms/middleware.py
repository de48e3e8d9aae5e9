"""When the database is down or unreachable, every request gets a quick 503
with a JSON error and a Retry-After header, never a hang or a 500, and the
service recovers by itself once the database answers again.

- `DatabaseUnavailableMiddleware` (Django) checks the connection before the
  view (except for /graphql/, which answers cached queries without it): a
  dead persistent connection is dropped by the health check and a new one is
  tried, bounded by DATABASE_CONNECT_TIMEOUT (cms/postgresql). It also turns
  a connection error raised by a view into the 503.
- `cms.graphql.field_middleware` (graphene) notes a connection error in a
  resolver, which graphene would otherwise answer as an error in a 200, so
  the Django middleware can answer the 503 instead.

After a failed connection attempt, requests are answered 503 at once for
DATABASE_UNAVAILABLE_RETRY_AFTER seconds rather than each waiting for the
connect timeout again. Paths in DATABASE_FREE_PATHS (`/api/ping/`) are never
checked.
"""

import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import JsonResponse

from cms.postgresql import serving

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)

# Monotonic time until which this process answers 503 without trying to connect.
_unavailable_until = 0.0


def unavailable_response():
    response = JsonResponse(
        {
            "errors": [
                {
                    "message": "The service is briefly unavailable. Please try again shortly.",
                    "extensions": {"code": "SERVICE_UNAVAILABLE"},
                }
            ]
        },
        status=503,
    )
    response["Retry-After"] = str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER)
    return response


def _mark_unavailable(error):
    global _unavailable_until
    _unavailable_until = time.monotonic() + settings.DATABASE_UNAVAILABLE_RETRY_AFTER
    logger.error("Database unavailable: %s", error)


def _mark_available():
    global _unavailable_until
    _unavailable_until = 0.0


def _database_gone():
    # No connection at all means connecting failed: don't wait for it twice.
    return connection.connection is None or _connection_lost()


def _connection_lost():
    """Whether the database connection is gone (not just a failed statement)."""
    try:
        connection.ensure_connection()
        return not connection.is_usable()
    except DATABASE_ERRORS:
        return True


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # /api/ping/ needs no database (nor cache, nor session): it answers
        # 200 whatever is down, so load balancers can tell the process is up.
        if request.path_info in settings.DATABASE_FREE_PATHS:
            return self.get_response(request)
        token = serving.set(True)  # statements are bounded by DATABASE_CLIENT_TIMEOUT
        try:
            return self._respond(request)
        finally:
            serving.reset(token)

    def _respond(self, request):
        # With the response cache on, the GraphQL endpoint answers cached queries
        # without the database, so it is not checked up front: a query that
        # needs the database and cannot reach it becomes the 503 below.
        from_cache = (
            settings.GRAPHQL_RESPONSE_CACHE_ENABLED and request.path_info.rstrip("/") == "/graphql"
        )
        if not from_cache:
            if time.monotonic() < _unavailable_until:
                return unavailable_response()
            try:
                connection.close_if_health_check_failed()
                connection.ensure_connection()
            except DATABASE_ERRORS as error:
                _mark_unavailable(error)
                return unavailable_response()
        response = self.get_response(request)
        error = getattr(request, "database_error", None)
        if error is not None and _database_gone():
            _mark_unavailable(error)
            return unavailable_response()
        if from_cache and error is None and connection.connection is not None:
            _mark_available()  # this request reached the database: it is back
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS) and _database_gone():
            _mark_unavailable(exception)
            return unavailable_response()
        return None


# Redirect statuses (304 Not Modified is a 3xx but no redirect).
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class PrivateRedirectsMiddleware:
    """No shared cache keeps a redirect.

    A redirect depends on more than its URL: the HTTPS redirect on the scheme
    the proxy saw, the login redirect on the session, a page's on the
    frontend's address. Cached by a proxy under the URL alone, one plain-HTTP
    request would send every HTTPS client of that URL to itself. First in
    MIDDLEWARE, so every redirect gets this, including those the middleware
    after it answers (SecurityMiddleware, CommonMiddleware, Wagtail's redirects).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in REDIRECT_STATUSES:
            # Replaced, not patched: a `public, s-maxage` must not survive beside it.
            response["Cache-Control"] = "private, no-store"
            if "Expires" in response:
                del response["Expires"]
        return response
