"""What a patient may read: live, public, not expired.

Every API resolver that returns pages goes through these helpers, so draft,
never-published, password- or group-restricted and expired pages never leave
the service.
"""

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction


def not_expired_q():
    return Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now())


def visible_pages(queryset=None):
    """Filter a page queryset down to what the public API may return."""
    if queryset is None:
        queryset = Page.objects.all()
    return queryset.live().public().filter(not_expired_q()).filter(depth__gt=1)


def restricted_paths(request=None):
    """Paths of pages behind a view restriction (they and their descendants are hidden)."""
    # Cached on the request: one query however many pages are checked.
    cache = getattr(request, "_visibility_restricted_paths", None) if request else None
    if cache is None:
        cache = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
        if request is not None:
            request._visibility_restricted_paths = cache
    return cache


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
