"""What a patient may read: live, public, not expired.

Every API resolver that returns pages goes through these helpers, so draft,
never-published, password- or group-restricted and expired pages never leave
the service.
"""

from contextvars import ContextVar

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction


def not_expired_q():
    return Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now())


def visible_pages(queryset=None):
    """Filter a page queryset down to what the public API may return."""
    if queryset is None:
        queryset = Page.objects.all()
    queryset = queryset.live().filter(not_expired_q()).filter(depth__gt=1)
    private = Q()
    for path in restricted_paths():
        private |= Q(path__startswith=path)
    # Wagtail's own `public()` reads the restrictions again for every queryset.
    return queryset.exclude(private) if private else queryset


# Restricted paths read once per request (set up by RequestScopeMiddleware).
_request_restricted_paths = ContextVar("request_restricted_paths", default=None)


def restricted_paths(request=None):
    """Paths of pages behind a view restriction (they and their descendants are hidden)."""
    # Read once per request however many pages and querysets are checked.
    memo = _request_restricted_paths.get()
    if memo is None and request is not None:
        memo = request.__dict__.setdefault("_visibility_restricted_paths", {})
    if memo is None:
        return _read_restricted_paths()
    if "paths" not in memo:
        memo["paths"] = _read_restricted_paths()
    return memo["paths"]


def _read_restricted_paths():
    return tuple(PageViewRestriction.objects.values_list("page__path", flat=True))


class RequestScopeMiddleware:
    """Lets `restricted_paths` keep what it read for the length of one request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_restricted_paths.set({})
        try:
            return self.get_response(request)
        finally:
            _request_restricted_paths.reset(token)


def is_visible(page, request=None):
    """The same rules as `visible_pages`, for a page already in memory."""
    if page is None or not page.live or page.depth <= 1:
        return False
    if page.expire_at is not None and page.expire_at <= timezone.now():
        return False
    return not any(page.path.startswith(path) for path in restricted_paths(request))


def visible_page_or_none(page, request=None):
    if not is_visible(page, request):
        return None
    return page.specific_deferred if type(page) is Page else page
