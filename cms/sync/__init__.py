"""Delta sync for offline apps: what changed since a token, from one journal.

Apps register the kinds an app stores offline (`register_kind`: guides,
hubs, FAQs, taxonomy terms, the site settings). One set of signal handlers
appends a `SyncEntry` for every change that can alter a registered object's
content or whether the public may read it: saves and deletes, publishing and
unpublishing (both are saves), moves, view restrictions, and, for a page
whose change can show or hide the pages below it, every page of its subtree.

The journal holds only objects the public could read, before or after the
change: a draft, an FAQ never published, a page under a restricted or draft
hub, changes nothing an app can hold, and a tombstone for it would tell that
it exists. So a save is journalled when the object was or is visible, a
delete when it is visible, the pages below a page that is shown or hidden
when they are live and unexpired themselves, and the objects that refer to a
changed one (a guide to its FAQs) when they are visible.

A sync reads the entries after its token's position, adds the live objects
whose `expire_at` (or an ancestor page's) passed since the token's time (they
change with no save when `publish_scheduled` has not run), and answers each
object, deduplicated, as an item when `cms.visibility.is_visible` says the
public may read it and as a tombstone otherwise: the one visibility rule,
never a copy of it. A first sync (no token) lists every visible object.
Both are paginated by (content type, id), so each request does bounded work.

Tokens are signed (django.core.signing): a client cannot forge a position.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db.models import Exists, F, IntegerField, Max, OuterRef, Q, Value
from django.db.models.functions import Length, Substr
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from graphql import GraphQLError
from wagtail.models import DraftStateMixin, Locale, Page, PageViewRestriction

from cms.caching import cache_tags
from cms.caching.cache_tags import saves_nothing_readers_see
from cms.caching.response_cache import retire
from cms.models import SyncEntry
from cms.visibility import (
    is_visible,
    not_expired_q,
    under_hidden_path,
    visible_objects,
    visible_pages,
)

TOKEN_SALT = "cms.sync.token"


@dataclass(frozen=True)
class Kind:
    """A kind of object apps sync. `load(ids, selection)` returns those
    objects, visible or not, ready for the GraphQL fields `selection` asks
    for (prefetched, so a page of them costs a fixed number of queries)."""

    name: str  # the SyncKind enum value, e.g. GUIDE
    model: type
    field: str  # the SyncItem field holding it, e.g. guide
    graphql_type: Any  # a callable returning its graphene type
    load: Any
    description: str


_kinds: dict[type, Kind] = {}


def register_kind(name, model, field, graphql_type, description, load=None):
    """Sync objects of `model` (apps call this in their AppConfig.ready)."""

    def load_plain(ids, _selection):
        return list(model.objects.filter(pk__in=ids))

    _kinds[model] = Kind(name, model, field, graphql_type, load or load_plain, description)


def kinds():
    return list(_kinds.values())


def _kind_of_content_type(content_type_id):
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return _kinds.get(model)


def _content_type_ids():
    return {
        kind: ContentType.objects.get_for_model(kind.model, for_concrete_model=False).pk
        for kind in _kinds.values()
    }


# Writing the journal.


def _entry_model():
    return SyncEntry


def register_dependency(model):
    """Objects of `model` are not synced, but synced objects show them (an
    FAQ its topic): a change to one journals the objects that refer to it."""
    _dependencies.add(model)


_dependencies: set[type] = set()


def _referrers(rows):
    """Synced objects that show one of `rows` (a guide its FAQs, related
    guides, category, the pages its links and blocks point at), from
    Wagtail's reference index: they change when it does."""
    from wagtail.models import ReferenceIndex

    by_base = {}
    for ct, pk, _locale in rows:
        model = ContentType.objects.get_for_id(ct).model_class()
        base = ReferenceIndex._get_base_content_type(model).pk
        by_base.setdefault(base, set()).add(str(pk))
    synced = set(_content_type_ids().values())
    sources = set()
    for base, ids in by_base.items():
        sources.update(
            ReferenceIndex.objects.filter(
                to_content_type_id=base, to_object_id__in=ids, content_type_id__in=synced
            ).values_list("content_type_id", "object_id")
        )
    pages = {int(pk) for ct, pk in sources if _is_page_type(ct)}
    found = [(ct, int(pk), None) for ct, pk in sources if not _is_page_type(ct)]
    if pages:
        found += Page.objects.filter(pk__in=pages).values_list("content_type_id", "pk", "locale_id")
    return found


def _is_page_type(content_type_id):
    return issubclass(ContentType.objects.get_for_id(content_type_id).model_class(), Page)


def record(rows, referrers=True):
    """Append entries for `rows` of (content type id, object id, locale id),
    and for the synced objects that show them; prune what is past the
    history kept."""
    rows = set(rows)
    if referrers and rows:
        # A hidden referrer changed nothing readers see.
        rows.update(_visible_rows(_referrers(rows)))
    synced = set(_content_type_ids().values())
    rows = {row for row in rows if row[0] in synced}
    if not rows:
        return
    SyncEntry = _entry_model()
    now = timezone.now()
    SyncEntry.objects.bulk_create(
        SyncEntry(content_type_id=ct, object_id=pk, locale_id=locale, changed_at=now)
        for ct, pk, locale in sorted(rows, key=lambda row: (row[0], row[1]))
    )
    SyncEntry.objects.filter(changed_at__lt=now - _history()).delete()
    # Cached answers of `changes` read the journal: a new entry changes them.
    retire(cache_tags.collection_tags(SyncEntry))


def _visible_rows(rows):
    """The rows whose object the public may read now, a query per kind."""
    by_ct = {}
    for row in rows:
        by_ct.setdefault(row[0], []).append(row)
    kept = []
    for ct, kind_rows in by_ct.items():
        model = ContentType.objects.get_for_id(ct).model_class()
        if model is None:
            continue
        ids = [pk for _ct, pk, _locale in kind_rows]
        visible = set(
            visible_objects(model._default_manager.filter(pk__in=ids)).values_list("pk", flat=True)
        )
        kept += [row for row in kind_rows if row[1] in visible]
    return kept


def _history():
    return datetime.timedelta(days=settings.SYNC_HISTORY_DAYS)


def _page_row(page):
    return (page.content_type_id, page.pk, page.locale_id)


def record_page(page, subtree=False):
    """The page, and with `subtree` every page below it (whose visibility or
    address it may have changed) that is live and unexpired itself: a draft
    below stays hidden whatever its ancestors do. One query."""
    rows = [_page_row(page)]
    if subtree and page.path:
        below = Page.objects.filter(path__startswith=page.path, depth__gt=page.depth)
        rows += (
            below.filter(live=True)
            .filter(not_expired_q())
            .values_list("content_type_id", "pk", "locale_id")
        )
    record(rows)


def _record_object(obj):
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    record([(content_type.pk, obj.pk, getattr(obj, "locale_id", None))])


def _remember_page(sender, instance, raw=False, **_kwargs):
    """Whether the object was visible before this save, and a page's address."""
    if raw or not instance.pk:
        return
    if isinstance(instance, Page):
        instance._sync_before = (
            Page.objects.filter(pk=instance.pk)
            .values("live", "expire_at", "url_path", "path", "first_published_at")
            .first()
        )
        instance._sync_was_visible = _was_readable(instance._sync_before)
    elif type(instance) in _kinds and isinstance(instance, DraftStateMixin):
        instance._sync_was_visible = visible_objects(
            type(instance).objects.filter(pk=instance.pk)
        ).exists()


def _was_readable(row):
    # Never published: live only between `add_child` and the save that makes it a draft.
    if row is None or row["first_published_at"] is None or not cache_tags.was_visible(row):
        return False
    # Under a hidden subtree (a restricted or draft hub) it was not readable either.
    return not under_hidden_path(row["path"])


def _on_save(sender, instance, created=False, update_fields=None, raw=False, **_kwargs):
    # Rows loaded as they are (loaddata, a restored test database) are not
    # journalled: what they refer to may not be loaded yet.
    if raw or saves_nothing_readers_see(update_fields):
        return
    was_visible = getattr(instance, "_sync_was_visible", False)
    if isinstance(instance, Page):
        before = getattr(instance, "_sync_before", None)
        # Wagtail's `add_child` saves a new page live, never published, until
        # the save that makes it a draft or the publish: no reader saw that.
        readable = is_visible(instance) and not (created and instance.first_published_at is None)
        if not readable and not was_visible:
            return  # nobody could or can read it: a draft, or under a hidden hub
        shown_or_hidden = readable != was_visible
        moved = before is not None and before["url_path"] != instance.url_path
        record_page(instance, subtree=bool(instance.numchild) and (shown_or_hidden or moved))
    elif isinstance(instance, PageViewRestriction):
        _record_restricted(instance)
    elif type(instance) in _kinds and isinstance(instance, DraftStateMixin):
        if was_visible or is_visible(instance):
            _record_object(instance)
    elif type(instance) in _kinds or type(instance) in _dependencies:
        _record_object(instance)


def _on_delete(sender, instance, **_kwargs):
    if isinstance(instance, PageViewRestriction):
        _record_restricted(instance)


def _before_delete(sender, instance, **_kwargs):
    # Before the delete: afterwards a page's subtree and what refers to an
    # object (Wagtail's reference index drops it) can no longer be listed.
    if type(instance) in _kinds or isinstance(instance, Page):
        # Read again: the instance may predate a change made without a save.
        model = Page if isinstance(instance, Page) else type(instance)
        if not visible_objects(model.objects.filter(pk=instance.pk)).exists():
            return  # never readable, or no longer: nothing an app holds
    if isinstance(instance, Page):
        record_page(instance, subtree=bool(instance.numchild))
    elif type(instance) in _kinds or type(instance) in _dependencies:
        _record_object(instance)


def _record_restricted(restriction):
    # A page readers could read on its own (live, unexpired), and those below it.
    page = Page.objects.filter(pk=restriction.page_id, live=True).filter(not_expired_q()).first()
    if page is not None:
        record_page(page, subtree=True)


def _on_move(sender, instance, **_kwargs):
    page = Page.objects.filter(pk=instance.pk, live=True).filter(not_expired_q()).first()
    if page is not None:
        record_page(page, subtree=True)


def connect_signals():
    from wagtail.signals import post_page_move

    uid = "cms-sync-journal"
    pre_save.connect(_remember_page, dispatch_uid=uid)
    post_save.connect(_on_save, dispatch_uid=uid)
    post_delete.connect(_on_delete, dispatch_uid=uid)
    pre_delete.connect(_before_delete, dispatch_uid=uid)
    post_page_move.connect(_on_move, dispatch_uid=uid)


# Reading it.


class SyncTokenExpired(GraphQLError):
    def __init__(self):
        super().__init__(
            f"This sync token is older than the {settings.SYNC_HISTORY_DAYS} days of changes "
            "the server keeps. Delete the local copy and sync again from scratch, with no token.",
            extensions={"code": "SYNC_TOKEN_EXPIRED"},
        )


def _bad_input(message):
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})


@dataclass
class Change:
    kind: Kind
    id: int
    item: Any  # the object, or None for a tombstone


@dataclass
class SyncPage:
    updated: list
    removed: list
    next_token: str
    has_more: bool


def find_locale(language_code=None):
    if language_code is None:
        return Locale.get_default()
    locale = Locale.objects.filter(language_code=language_code).first()
    if locale is None:
        known = ", ".join(Locale.objects.order_by("pk").values_list("language_code", flat=True))
        raise _bad_input(f"Unknown locale '{language_code}'. Locales: {known}.")
    return locale


def make_token(state):
    return signing.dumps(state, salt=TOKEN_SALT, compress=True)


def read_token(token):
    try:
        state = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        raise _bad_input(
            "This is not a sync token from this server. Sync from scratch, with no token."
        ) from None
    if not isinstance(state, dict) or state.get("v") != 1:
        raise _bad_input("This sync token is from another version. Sync from scratch, no token.")
    return state


def _last_position():
    return _entry_model().objects.aggregate(last=Max("position"))["last"] or 0


def _at(seconds):
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


def changes(since=None, locale=None, per_page=100, selections=None):
    """One page of changes for the app: `since` a token or None for a first
    sync; `selections[kind.field]` what the query asks of each kind."""
    locale = find_locale(locale)
    cache_tags.record_collection(_entry_model())
    now = timezone.now()
    if since is None:
        state = {"v": 1, "l": locale.pk, "m": "all", "p": _last_position(), "t": now.timestamp()}
    else:
        state = read_token(since)
        if state["l"] != locale.pk:
            raise _bad_input("This sync token is for another locale: sync each locale on its own.")
        if _at(state["t"]) < now - _history():
            raise SyncTokenExpired()
        if state["m"] == "at":  # a finished sync: changes from there to now
            state = {
                "v": 1,
                "l": locale.pk,
                "m": "delta",
                "fp": state["p"],
                "ft": state["t"],
                "p": _last_position(),
                "t": now.timestamp(),
            }
    cursor = state.get("c")
    if state["m"] == "all":
        keys = _visible_keys(locale, cursor, per_page + 1)
    else:
        keys = _changed_keys(state, locale, cursor, per_page + 1)
    has_more = len(keys) > per_page
    keys = keys[:per_page]
    if has_more:
        next_state = {**state, "c": list(keys[-1])}
    else:
        next_state = {"v": 1, "l": locale.pk, "m": "at", "p": state["p"], "t": state["t"]}
    updated, removed = _answer(keys, selections or {})
    return SyncPage(updated, removed, make_token(next_state), has_more)


def _after(cursor, content_type_field, id_field, content_type_id=None):
    """Rows after `cursor` (content type id, object id) in sync order."""
    if cursor is None:
        return Q()
    ct, pk = cursor
    if content_type_id is not None:  # one kind's rows: all, none or those past the id
        if content_type_id != ct:
            return Q() if content_type_id > ct else Q(pk__in=[])
        return Q(**{f"{id_field}__gt": pk})
    return Q(**{f"{content_type_field}__gt": ct}) | Q(
        **{content_type_field: ct, f"{id_field}__gt": pk}
    )


def _keys(queryset, kind, pk="pk"):
    """The queryset as (sync_kind, sync_id) rows, the columns every part of a
    sync's UNION shares. `kind` a content type id, or the field holding one."""
    kind = Value(kind, output_field=IntegerField()) if isinstance(kind, int) else F(kind)
    return (
        queryset.order_by()
        .annotate(sync_kind=kind, sync_id=F(pk))
        .values_list("sync_kind", "sync_id")
    )


def _visible_keys(locale, cursor, limit):
    """(content type id, id) of every visible object, in order, after `cursor`."""
    parts = []
    for kind, ct in _content_type_ids().items():
        queryset = kind.model.objects.all()
        if issubclass(kind.model, Page):
            queryset = visible_pages(queryset.filter(locale=locale))
        else:
            queryset = visible_objects(queryset)
        parts.append(_keys(queryset.filter(_after(cursor, None, "pk", ct)), ct))
    return _union(parts, limit)


def _union(parts, limit):
    """The rows of every part, each once, in sync order, at most `limit`."""
    if not parts:
        return []
    first, *rest = parts
    combined = first.union(*rest) if rest else first
    return [tuple(row) for row in combined.order_by("sync_kind", "sync_id")[:limit]]


def _changed_keys(state, locale, cursor, limit):
    """(content type id, id) of every object changed in the token's window,
    deduplicated, in order, after `cursor`."""
    since, until = _at(state["ft"]), _at(state["t"])
    # An entry written before the token's position may commit after it was
    # read: entries from a little before its time are read again.
    grace = datetime.timedelta(seconds=settings.SYNC_COMMIT_GRACE_SECONDS)
    journal = (
        _entry_model()
        .objects.filter(Q(position__gt=state["fp"]) | Q(changed_at__gte=since - grace))
        .filter(position__lte=state["p"])
        .filter(Q(locale=locale) | Q(locale__isnull=True))
        .filter(_after(cursor, "content_type_id", "object_id"))
    )
    # A live object whose expiry passed: readers could read it until then. A
    # go-live date that passes changes nothing until publish_scheduled
    # publishes it, which is journalled.
    passed = Q(live=True, expire_at__gt=since, expire_at__lte=until)
    parts = [_keys(journal, "content_type_id", "object_id")]
    cts = _content_type_ids()
    page_cts = [ct for kind, ct in cts.items() if issubclass(kind.model, Page)]
    if page_cts:
        # Pages whose own or an ancestor's expiry or go-live passed in the window.
        timed_ancestor = Page.objects.filter(passed).filter(
            path=Substr(OuterRef("path"), 1, Length("path"))
        )
        pages = (
            Page.objects.filter(content_type_id__in=page_cts, locale=locale, live=True)
            .filter(Exists(timed_ancestor))
            .filter(_after(cursor, "content_type_id", "pk"))
        )
        parts.append(_keys(pages, "content_type_id"))
    for kind, ct in cts.items():
        if issubclass(kind.model, DraftStateMixin) and not issubclass(kind.model, Page):
            queryset = kind.model.objects.filter(passed).filter(_after(cursor, None, "pk", ct))
            parts.append(_keys(queryset, ct))
    return _union(parts, limit)


def _answer(keys, selections):
    """Items for the objects the public may read, tombstones for the rest."""
    by_kind = {}
    for ct, pk in keys:
        by_kind.setdefault(ct, []).append(pk)
    loaded = {}
    for ct, ids in by_kind.items():
        kind = _kind_of_content_type(ct)
        with cache_tags.relation():
            objects = kind.load(ids, selections.get(kind.field))
        loaded.update({(ct, obj.pk): obj for obj in objects})
    updated, removed = [], []
    for ct, pk in keys:
        kind = _kind_of_content_type(ct)
        obj = loaded.get((ct, pk))
        if obj is not None and is_visible(obj):
            updated.append(Change(kind, pk, obj))
        else:
            removed.append(Change(kind, pk, None))
    return updated, removed
