"""What a patient may read: live, public, not expired, and under pages that are too.

The rules, for every API (GraphQL, REST, search):
- a page is visible when it is live, not past its expiry, not the tree root,
  and neither it nor any of its ancestors is behind a view restriction, a
  draft (never published or unpublished) or expired;
- an object with a draft state (an FAQ) is visible when it is live and not
  past its expiry;
- an image or document is visible unless its collection, or a collection
  above it, has a view restriction;
- other objects (people, publishers, taxonomy terms) have no hidden state.

Querysets go through `visible_pages` / `visible_objects`; objects already in
memory through `is_visible`. Both record what they were asked about as cache
tags (cms/caching/cache_tags.py), so a cached answer knows what it read. The GraphQL
schema also passes every object a resolver returns through `is_visible`
(cms/visibility/gate.py), so a field that forgets to filter still cannot leak.

Every other output asks the same rule, never a copy of it: REST fields and
block values (cms/rest/views.py `gated_serializer`, cms/rest/fields.py
`public_block_value`), rich-text links and embeds (cms/rich_text/links.py), the
sync journal and its tombstones (cms/sync/), the change log
(guides/change_log.py) and search, which re-checks each hit against the
object it names (search/engine.py).
"""

from contextvars import ContextVar

from django.db.models import DateTimeField, Q, Value
from django.http import HttpRequest
from django.utils import timezone
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    DraftStateMixin,
    Page,
    PageViewRestriction,
)

from cms.caching import cache_tags
from cms.visibility import site_facts


def not_expired_q():
    return Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now())


def visible_pages(queryset=None):
    """Filter a page queryset down to what the public API may return."""
    if queryset is None:
        queryset = Page.objects.all()
    cache_tags.record_collection(queryset.model)
    queryset = queryset.live().filter(not_expired_q()).filter(depth__gt=1)
    hidden = Q()
    for path in hidden_paths():
        hidden |= Q(path__startswith=path)
    # Wagtail's own `public()` reads the restrictions again for every queryset.
    return queryset.exclude(hidden) if hidden else queryset


def visible_objects(queryset):
    """Filter a queryset of a model with a draft state (e.g. FAQs) to the published, unexpired ones."""
    if issubclass(queryset.model, Page):
        return visible_pages(queryset)
    cache_tags.record_collection(queryset.model)
    if issubclass(queryset.model, DraftStateMixin):
        return queryset.filter(live=True).filter(not_expired_q())
    return queryset


# Facts read once per request (set up by RequestScopeMiddleware), and kept
# between requests until a change retires them (cms/visibility/site_facts.py).
_request_memo = ContextVar("visibility_request_memo", default=None)

# Every change to a page retires the list of pages (cms/caching/cache_tags.py).
site_facts.fact("hidden subtrees", cache_tags.collection_tags(Page))
# Collections and their restrictions retire every answer when they change.
site_facts.fact("restricted collections", [])


def request_memo(request=None):
    """This request's memo of site facts, or None outside a request."""
    memo = _request_memo.get()
    if memo is None and isinstance(request, HttpRequest):
        memo = request.__dict__.setdefault("_visibility_memo", {})
    return memo


def hidden_paths(request=None):
    """Tree paths whose pages and descendants are all hidden: view-restricted
    pages, and pages with children that are drafts or expired. Read once per
    request however many pages and querysets are checked, and kept between
    requests until a page changes or one of them expires."""
    return _memo(request, "paths", "hidden subtrees", _read_hidden_paths)


def _memo(request, name, fact, read):
    memo = request_memo(request)
    if memo is None:
        return read()[0]
    if name not in memo:
        memo[name] = site_facts.read(fact, memo, read)
    return memo[name]


def restricted_collection_ids(request=None):
    """Ids of collections behind a view restriction, with the collections below them."""
    return _memo(request, "collections", "restricted collections", _read_restricted_collection_ids)


def _read_restricted_collection_ids():
    paths = CollectionViewRestriction.objects.values_list("collection__path", flat=True)
    hidden = Q()
    for path in paths:
        hidden |= Q(path__startswith=path)
    if not hidden:
        return frozenset(), None
    return frozenset(Collection.objects.filter(hidden).values_list("pk", flat=True)), None


def restricted_paths(request=None):
    """Kept for callers that filter by tree path: the same as `hidden_paths`."""
    return hidden_paths(request)


def _read_hidden_paths():
    """(hidden paths, when the next of them expires or None)."""
    never = Value(None, output_field=DateTimeField())
    restricted = PageViewRestriction.objects.values_list("page__path", Value(False), never)
    # Only pages with children can hide others (a hidden leaf fails the
    # live/expiry test itself): the hidden ones, and the ones that will expire.
    parents = Page.objects.filter(
        Q(live=False) | Q(expire_at__isnull=False), numchild__gt=0, depth__gt=1
    ).values_list("path", "live", "expire_at")
    # One query for both, however many pages are checked in the request.
    now = timezone.now()
    paths, next_expiry = set(), None
    for path, live, expire_at in restricted.order_by().union(parents.order_by()):
        if not live or expire_at <= now:
            paths.add(path)
        elif next_expiry is None or expire_at < next_expiry:
            next_expiry = expire_at
    # A path inside another hidden path adds nothing.
    kept = []
    for path in sorted(paths):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return tuple(kept), next_expiry.timestamp() if next_expiry else None


class RequestScopeMiddleware:
    """Lets `hidden_paths` keep what it read for the length of one request,
    and records the cache tags of what the request's answer read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_memo.set({})
        try:
            with cache_tags.recording():
                return self.get_response(request)
        finally:
            _request_memo.reset(token)


def is_visible(obj, request=None):
    """The same rules as `visible_pages` and `visible_objects`, for an object already in memory."""
    if obj is None:
        return False
    cache_tags.record_object(obj)  # hidden too: revealing it changes the answer
    if isinstance(obj, Page):
        if not obj.live or obj.depth <= 1 or _expired(obj):
            return False
        return not under_hidden_path(obj.path, request)
    if isinstance(obj, DraftStateMixin):
        return bool(obj.live) and not _expired(obj)
    collection_id = getattr(obj, "collection_id", None)
    if collection_id is not None:
        return collection_id not in restricted_collection_ids(request)
    return True


def under_hidden_path(path, request=None):
    """Whether a page at this tree path is below (or is) a hidden subtree."""
    return any(path.startswith(hidden) for hidden in hidden_paths(request))


def _expired(obj):
    return obj.expire_at is not None and obj.expire_at <= timezone.now()


def visible_page_or_none(page, request=None):
    if not is_visible(page, request):
        return None
    return page.specific_deferred if type(page) is Page else page
