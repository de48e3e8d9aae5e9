"""What an answer read, as tags, so that a change retires only the answers that read it.

While a request is answered, the visibility layer (cms/visibility/) records
a tag for every object it checks, visible or not, and a collection tag for
every queryset it filters. Those are the only ways content reaches an
answer, so the tags are complete by construction:

- `page:<id>`: a page an answer shows (or links to, or found hidden);
- `tree:<path>`: each ancestor of such a page, whose unpublishing, moving or
  restriction hides or reveals it;
- `<app>.<model>:<id>`: an FAQ, snippet, image or the site settings;
- `list:<app>.<model>`: the answer draws from that collection (a list, a
  search, a sync, a lookup that found nothing), so any new, changed or
  removed member changes it;
- `all`: every answer; retired by changes nothing else traces (sites,
  redirects, collections, documents).

A lookup by a unique key (`keyed`) records no collection tag when it finds
its object: the object's own tag says everything about the answer.

The GraphQL response cache and shared caches (CDNs, Varnish) keep answers
under these tags; cms/caching/response_cache.py and cms/caching/cdn.py retire them.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from wagtail.models import Page

# Columns Wagtail saves for drafts, locks and the tree, and fills in while
# answering a read (an image's size and hash, on its first rendition).
BOOKKEEPING_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "draft_title",
        "wagtail_admin_comments",
        "locked",
        "locked_at",
        "locked_by",
        "numchild",
        "file_size",
        "file_hash",
    }
)


def saves_nothing_readers_see(update_fields):
    """True for a save of bookkeeping columns only: no answer, and nothing a
    synced app holds, changes. The response cache, the sync journal and
    image placeholders ask this."""
    return bool(update_fields) and set(update_fields) <= BOOKKEEPING_FIELDS


EVERYTHING = "all"

# The tags of the answer being computed, or None when nothing records.
_recorded: ContextVar[set | None] = ContextVar("cache_tags", default=None)
# True inside a lookup by a unique key: its queryset is not a collection read.
_in_keyed_lookup: ContextVar[bool] = ContextVar("cache_tags_keyed", default=False)


@contextmanager
def recording():
    """Record tags for one request (cms.visibility.RequestScopeMiddleware), or
    go on with the recording already under way."""
    if _recorded.get() is not None:
        yield
        return
    token = _recorded.set({EVERYTHING})
    try:
        yield
    finally:
        _recorded.reset(token)


@contextmanager
def apart():
    """Record for an answer computed inside another request (a publish asking
    a reader's question again), apart from that request's own recording."""
    token = _recorded.set(None)
    try:
        with recording():
            yield
    finally:
        _recorded.reset(token)


def current():
    """The tags recorded so far in this request (empty when not recording)."""
    return frozenset(_recorded.get() or ())


def _add(tags):
    recorded = _recorded.get()
    if recorded is not None:
        recorded.update(tags)


def label(model):
    return model._meta.label_lower


def object_tags(obj):
    """The tags that name this object (and, for a page, the subtrees it is in)."""
    if isinstance(obj, Page):
        path, step = obj.path, Page.steplen
        ancestors = (f"tree:{path[:end]}" for end in range(2 * step, len(path), step))
        return [f"page:{obj.pk}", *ancestors]
    return [f"{label(type(obj)._meta.concrete_model)}:{obj.pk}"]


def collection_tags(model):
    """The tag of a model's collection (what a list of these reads)."""
    return [f"list:{label(model._meta.concrete_model)}"]


def record_object(obj):
    if _recorded.get() is not None and obj is not None and obj.pk is not None:
        _add(object_tags(obj))


def record_page_ids(ids):
    """Pages named by id (rich text links), whether or not they turn out visible."""
    _add(f"page:{id_}" for id_ in ids)


def record_collection(model):
    if _recorded.get() is not None and not _in_keyed_lookup.get():
        _add(collection_tags(model))


@contextmanager
def relation():
    """Querysets filtered in here narrow a relation or check a link (e.g. is a
    page's parent public?), not read a collection: no collection tags. The
    objects themselves are still checked, and tagged, one by one."""
    token = _in_keyed_lookup.set(True)
    try:
        yield
    finally:
        _in_keyed_lookup.reset(token)


def keyed(find, model):
    """`find()`, a lookup of one object by a unique key (id, slug, path).

    Found: only the object's own tags are recorded (by the visibility checks
    its answer goes through), not its whole collection, so publishing another
    guide leaves this answer cached. Not found (or raising, e.g. Http404):
    the collection, since any new member might be the one asked for."""
    token = _in_keyed_lookup.set(True)
    try:
        found = find()
    except Exception:
        _in_keyed_lookup.reset(token)
        record_collection(model)
        raise
    _in_keyed_lookup.reset(token)
    if found is None:
        record_collection(model)
    else:
        record_object(found)
    return found


# What a change retires.


def page_change_tags(page, subtree=False):
    """The tags a change to this page retires: its own, the lists of its kind
    (it may enter, leave or move in them) and, when the change can show or
    hide the pages below it (unpublishing, moving, deleting, restricting), the
    answers about its subtree and every list of pages."""
    from django.apps import apps

    # Its kind's lists, and lists of pages of every kind (`page(urlPath:)`, links).
    tags = [f"page:{page.pk}", *collection_tags(page.specific_class or type(page))]
    tags += collection_tags(Page)
    if subtree:
        # Pages of any kind below it may enter or leave every list.
        tags += [
            f"list:{label(model)}"
            for model in apps.get_models()
            if issubclass(model, Page) and model._meta.concrete_model is model
        ]
        if page.path:
            tags.append(f"tree:{page.path}")
    return tags


def object_change_tags(obj):
    """The tags a change to an FAQ, snippet, image or the settings retires."""
    return [*object_tags(obj), *collection_tags(type(obj))]


def was_visible(row):
    """Whether a page, as read before a save (`live`, `expire_at`), could be read by the public."""
    from django.utils import timezone

    expired = row["expire_at"] is not None and row["expire_at"] <= timezone.now()
    return row["live"] and not expired
