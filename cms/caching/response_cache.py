"""Cached answers of the public GraphQL endpoint, and when they go stale.

An answer is cached (GRAPHQL_CACHE_ALIAS, for GRAPHQL_RESPONSE_CACHE_TIMEOUT
seconds) when everyone asking the same thing gets the same answer:
- the request is anonymous: no logged-in session, no Authorization header;
- the document has no `token` argument anywhere (previews of drafts) and no
  `search` field (every search is counted in the search log);
- the answer has no errors;
- the variables it declares take at most GRAPHQL_RESPONSE_CACHE_MAX_VARIABLES_BYTES
  of JSON and the answer at most GRAPHQL_RESPONSE_CACHE_MAX_ANSWER_BYTES.
The key is the sha256 of the document as graphql-core prints it (so
comments and spacing make no new entry), the variables it declares (others
are ignored by GraphQL, and would only make new entries) as canonical JSON,
the operationName, the site (host) and the language.

Invalidation by tag (cms/caching/cache_tags.py): each answer is stored with the
tags of what it read, each tag with the number of its last retirement. A
publish, unpublish, move, delete or edit retires the tags of what changed: it
takes the next number of one shared sequence and gives it to those tags, so
an answer is served only while every one of its tags still has the number it
was stored with. One write in the shared cache retires an answer on every app
server at once, and answers about anything else stay. An answer whose
computation began before one of its tags was retired (it may have read the
old rows) is not stored: the sequence number at lookup says when it began.
Tags are retired after the transaction commits; shared caches in front
(cms/caching/cdn.py) are purged by the same tags. A retirement is also written down
in the change's transaction until the cache holds it, so one a stopped or
frozen Redis missed is applied when it is back, and no answer is served
until it has been (cms/caching/pending_retirements.py).

Single flight: on a miss, one request computes an answer while others asking
the same thing wait for it (GRAPHQL_RESPONSE_CACHE_WAIT seconds at most)
instead of all computing it at once after a publish.

Content also changes with time alone. A guide or FAQ that expires leaves the
API at its expiry time, so no answer (nor its HTTP max-age) outlives the next
scheduled expiry (`seconds_until_next_expiry`); review status changes by the
day, which the timeout covers.
"""

import hashlib
import json
import logging
import math
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language
from graphql import OperationType
from graphql.language import ArgumentNode, FieldNode, OperationDefinitionNode, print_ast, visit
from graphql.language.visitor import BREAK, Visitor

from cms.caching import cache_tags, cdn, pending_retirements, refresh_ahead
from cms.caching.cache_tags import saves_nothing_readers_see
from cms.caching.refresh_ahead import REFRESHING_KEY
from cms.graphql.limits import parsed
from cms.tasks.after_commit import collected_until_commit

logger = logging.getLogger(__name__)

SEQUENCE_KEY = "graphql:sequence"  # the number of the last retirement
TAG_KEY = "graphql:tag:"  # + tag: the sequence number of its last retirement
LOCK_KEY = "graphql:computing:"  # + answer key: someone is computing it
# Arguments and fields whose answers must never come from the cache, and why.
UNCACHED_ARGUMENTS = {"token": "previews of drafts are for one editor"}
UNCACHED_FIELDS = {"search": "every search is counted in the search log"}

# Models whose rows reach the API through the visibility layer, besides pages
# and snippets (found at start): their changes retire their own tags.
TRACED_MODELS = ["cms.SiteSettings", "wagtailimages.Image"]
# Models that reach answers some other way: their changes retire everything
# (as do those of a model with `retires_every_answer = True`).
UNTRACED_MODELS = [
    "wagtaildocs.Document",
    "wagtailredirects.Redirect",
    "wagtailsearchpromotions.SearchPromotion",
    "wagtailcore.Site",
    "wagtailcore.Collection",
    "wagtailcore.CollectionViewRestriction",
]


# Models with live rows that expire: pages and FAQs (by label, so cms imports no app).
EXPIRING_MODELS = ["wagtailcore.Page", "faqs.FAQ"]


def _cache():
    return caches[settings.GRAPHQL_CACHE_ALIAS]


class _UncacheableParts(Visitor):
    def __init__(self):
        super().__init__()
        self.reason = None

    def enter_argument(self, node: ArgumentNode, *_args):
        if node.name.value in UNCACHED_ARGUMENTS:
            self.reason = UNCACHED_ARGUMENTS[node.name.value]
            return BREAK
        return None

    def enter_field(self, node: FieldNode, *_args):
        if node.name.value in UNCACHED_FIELDS:
            self.reason = UNCACHED_FIELDS[node.name.value]
            return BREAK
        return None

    def enter_operation_definition(self, node: OperationDefinitionNode, *_args):
        if node.operation != OperationType.QUERY:
            self.reason = "only queries are cached"
            return BREAK
        return None


@lru_cache(maxsize=256)
def document_reason(query):
    """Why answers to this document are never cached, or None."""
    document, error = parsed(query)  # within the parser's token limits
    if error is not None:
        return "it does not parse"
    parts = _UncacheableParts()
    visit(document, parts)
    return parts.reason


@lru_cache(maxsize=256)
def document_key(query):
    """The document as graphql-core prints it, hashed: comments and spacing
    gone, so variants of one document share one answer (each would otherwise
    be an entry). From the parse validation uses (`parsed` remembers it)."""
    document, _error = parsed(query)
    text = print_ast(document) if document is not None else query
    return hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=256)
def _declared_variables(query):
    """Names of the variables the document's operations declare."""
    document, _error = parsed(query)
    if document is None:
        return frozenset()
    return frozenset(
        definition.variable.name.value
        for operation in document.definitions
        if isinstance(operation, OperationDefinitionNode)
        for definition in operation.variable_definitions or ()
    )


def _key_variables(query, variables):
    """The variables that can change the answer: those the document declares
    (GraphQL ignores the rest), so junk beside them makes no new entry."""
    if not variables:
        return {}
    declared = _declared_variables(query)
    return {name: value for name, value in variables.items() if name in declared}


def uncacheable_reason(request, query):
    """Why this request's answer must not be cached (server or HTTP), or None."""
    if query is None:
        return "no query"
    if request.META.get("HTTP_AUTHORIZATION"):
        return "authorized request"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return "logged-in session"
    return document_reason(query)


@dataclass
class Entry:
    key: str
    started: int  # the sequence number when this request looked it up
    body: str | None = None  # the cached answer, on a hit
    etag: str | None = None
    encoded: dict | None = None  # on a hit: the answer's compressed bytes by coding
    tags: tuple = ()  # what the answer read, on a hit or once stored
    next_expiry: float | None = None  # on a hit: when the next page or FAQ expires, if any
    storable: bool = True  # False: variables over GRAPHQL_RESPONSE_CACHE_MAX_VARIABLES_BYTES
    shareable: bool = True  # False: what it read changed while it was computed
    computing: bool = False  # this request holds the single-flight lock
    stale: bool = False  # a retired answer, served while a publish refreshes it

    def seconds_until_next_expiry(self):
        """As `seconds_until_next_expiry`, from the entry on a hit (no second lookup)."""
        if self.body is None:
            return seconds_until_next_expiry(self.started)
        if not self.next_expiry:
            return None
        return max(1, int(self.next_expiry - time.time()))


def _tag_keys(tags):
    return [TAG_KEY + tag for tag in tags]


def lookup(request, query, variables, operation_name):
    """The cache entry for this request, with the answer when there is a
    current one; None when the cache is off or unreachable."""
    if not settings.GRAPHQL_RESPONSE_CACHE_ENABLED:
        return None
    variables = _key_variables(query, variables)
    identity = [
        document_key(query),
        variables,
        operation_name or None,
        request.get_host(),
        get_language(),
        bool(request.GET.get("pretty")),
    ]
    canonical = json.dumps(identity, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    key = "graphql:answer:" + hashlib.sha256(canonical.encode()).hexdigest()
    try:
        # The answer's tags as last seen here, read in the same round trip: a
        # hit then costs one call to the cache, not two.
        if refresh_ahead.refreshing_now():  # a publish asking again: compute it
            return Entry(key, _cache().get(SEQUENCE_KEY) or _start_sequence())
        found = _cache().get_many(
            [SEQUENCE_KEY, key, REFRESHING_KEY + key, *_tag_keys(_tags_seen.get(key, ()))]
        )
        started = found.get(SEQUENCE_KEY)
        if started is None:
            started = _start_sequence()
        if started is None:  # the cache answers nothing (django-redis ignores its errors)
            pending_retirements.note_cache_down()
            return None
        entry = Entry(key, started)
        _read_answer(entry, found.get(key), found, refreshing=REFRESHING_KEY + key in found)
        # A retirement the cache missed (it was down at a commit): no answer
        # from it until it has it. Asked on hits only (a miss reads the
        # database anyway), and no query unless a look is due.
        if entry.body is not None and not pending_retirements.caught_up(_catch_up):
            return None
        if entry.body is not None:
            how = refresh_ahead.recipe(
                query, variables, operation_name, identity[3], identity[4], identity[5]
            )
            refresh_ahead.note(_cache(), key, entry.tags, how)
    except Exception:  # a cache outage makes the API slower, never wrong or down
        logger.warning("GraphQL response cache unavailable", exc_info=True)
        return None
    # Answers to large variables are not kept: each distinct value would be an entry.
    entry.storable = (
        len(json.dumps(variables, separators=(",", ":")).encode())
        <= settings.GRAPHQL_RESPONSE_CACHE_MAX_VARIABLES_BYTES
    )
    return entry


# Answer key -> its tags, as this process last read them (bounded; a guess
# that lets `lookup` read the tags' numbers with the answer).
_tags_seen = {}
TAGS_SEEN_MAX = 10_000


def _read_answer(entry, stored, read=None, refreshing=False):
    """Fill `entry` from what is stored under its key, if that is still current:
    not past its end time (by this server's clock: the cache's own timeout
    would leave it to Redis's), and every tag still at the number it had, or
    `refreshing` (a publish is recomputing it: the entry is then `stale`).
    `read`: tag numbers already read with it, if any."""
    # (tag numbers, body, etag, end time, next expiry, compressed bodies by
    # coding); other shapes are from older code.
    if not (stored and len(stored) == 6 and isinstance(stored[0], dict)):
        return
    numbers, body, etag, ends, next_expiry, encoded = stored
    if ends <= time.time():
        return
    keys = _tag_keys(numbers)
    current = read if read is not None and all(key in read for key in keys) else None
    if current is None:
        current = _cache().get_many(keys)
        if len(_tags_seen) >= TAGS_SEEN_MAX:
            _tags_seen.clear()
        _tags_seen[entry.key] = tuple(numbers)
    if any(current.get(TAG_KEY + tag) != number for tag, number in numbers.items()):
        if not refreshing:
            return
        entry.stale = True
    entry.body, entry.etag, entry.tags, entry.next_expiry = body, etag, tuple(numbers), next_expiry
    entry.encoded = encoded


def await_answer(entry):
    """Single flight, on a miss: claim the computation of this answer, or wait
    (up to GRAPHQL_RESPONSE_CACHE_WAIT seconds) for the request that claimed
    it to store it. The entry comes back with the answer, or claimed (or, if
    the other gave up without storing or the wait ran out, neither: compute
    it anyway)."""
    wait = settings.GRAPHQL_RESPONSE_CACHE_WAIT
    if entry is None or entry.body is not None or not entry.storable or wait <= 0:
        return entry
    if refresh_ahead.refreshing_now():
        return entry  # a publish asking again computes it whoever else is
    lock = LOCK_KEY + entry.key
    try:
        if _cache().add(lock, 1, timeout=max(1, math.ceil(wait * 2))):
            entry.computing = True
            return entry
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            found = _cache().get_many([entry.key, lock])
            _read_answer(entry, found.get(entry.key))
            if entry.body is not None or lock not in found:
                return entry  # stored; or given up without storing (an error): compute it
    except Exception:
        logger.warning("GraphQL response cache unavailable", exc_info=True)
    return entry


WAIT_STEP = 0.01  # seconds between looks while another request computes an answer


def release(entry):
    """Give up the single-flight claim (the answer is stored, or will not be)."""
    if entry is not None and entry.computing:
        entry.computing = False
        try:
            _cache().delete(LOCK_KEY + entry.key)
        except Exception:
            logger.warning("GraphQL response cache unavailable", exc_info=True)


def store(entry, body, etag, tags=None, encoded=None):
    """Keep an answer under the tags of what it read (by default those recorded
    in this request), with its compressed bytes by coding (`encoded`, made once
    here so hits compress nothing, cms/http/compression.py), unless its variables or the answer itself are over the
    GRAPHQL_RESPONSE_CACHE_MAX_VARIABLES_BYTES / _MAX_ANSWER_BYTES ceilings, or
    one of those tags was retired after the entry was looked up (the answer
    may hold what was there before; it is then not `shareable` either)."""
    tags = tuple(sorted(cache_tags.current() if tags is None else tags))
    entry.tags = tags
    if not tags:  # nothing recorded what it read: it could never be retired
        entry.shareable = False
        return False
    if not entry.storable or len(body) > settings.GRAPHQL_RESPONSE_CACHE_MAX_ANSWER_BYTES:
        return False
    timeout = settings.GRAPHQL_RESPONSE_CACHE_TIMEOUT
    try:
        numbers = tag_numbers(tags)
        if any(number is None or number > entry.started for number in numbers.values()):
            entry.shareable = False
            return False
        next_expiry = _next_expiry_at(entry.started)
        if next_expiry:
            timeout = min(timeout, max(1, int(next_expiry - time.time())))
        ends = time.time() + timeout
        _cache().set(entry.key, (numbers, body, etag, ends, next_expiry, encoded or {}), timeout)
    except Exception:
        logger.warning("GraphQL response cache unavailable", exc_info=True)
        return False
    return True


def tag_numbers(tags):
    """Each tag's number; a tag never retired (or evicted) gets the current
    sequence number, so an answer that began before it cannot be stored."""
    keys = _tag_keys(tags)
    found = _cache().get_many([SEQUENCE_KEY, *keys])
    now = found.get(SEQUENCE_KEY) or _start_sequence()
    if now is None:
        return dict.fromkeys(tags)  # the cache answers nothing: store nothing
    for key in keys:
        if key not in found:
            _cache().add(key, now, timeout=None)
            found[key] = _cache().get(key)
    return {tag: found[key] for tag, key in zip(tags, keys, strict=True)}


def _next_expiry():
    from django.apps import apps
    from django.db.models import Min
    from django.utils import timezone

    now = timezone.now()
    times = [
        model.objects.filter(live=True, expire_at__gt=now).aggregate(at=Min("expire_at"))["at"]
        for model in map(apps.get_model, EXPIRING_MODELS)
    ]
    times = [at for at in times if at is not None]
    return min(times).timestamp() if times else None


def seconds_until_next_expiry(sequence):
    """Whole seconds until the next live page or FAQ expires (at least 1), or
    None when none is scheduled to."""
    return _seconds_until(_next_expiry_at(sequence))


def seconds_until_expiry_now():
    """As `seconds_until_next_expiry`, for an answer not kept here (the REST API)."""
    try:
        sequence = _cache().get(SEQUENCE_KEY) or _start_sequence()
    except Exception:
        return _seconds_until(_next_expiry())
    return seconds_until_next_expiry(sequence)


def _seconds_until(at):
    return None if not at else max(1, int(at - time.time()))


def _next_expiry_at(sequence):
    """When the next live page or FAQ expires (a timestamp), or 0.0 when none
    is scheduled to. Remembered per sequence number: only a publish or an edit
    changes expiry dates, and those retire tags, which takes a new number."""
    key = f"graphql:next-expiry:{sequence}"
    try:
        at = _cache().get(key)
    except Exception:
        at = None
    if at is None:
        at = _next_expiry() or 0.0  # 0.0: nothing scheduled
        try:
            _cache().set(key, at, settings.GRAPHQL_RESPONSE_CACHE_TIMEOUT)
        except Exception:
            logger.warning("GraphQL response cache unavailable", exc_info=True)
    return at


def etag_for(body):
    return '"' + hashlib.sha256(body.encode()).hexdigest() + '"'


def _start_sequence():
    # A missing number (first start, eviction, flushed cache) restarts from the
    # clock, so it is above every number any tag was given before. In
    # microseconds: django-redis increments through a Lua script, whose numbers
    # are doubles, exact only below 2**53.
    _cache().add(SEQUENCE_KEY, time.time_ns() // 1000, timeout=None)
    return _cache().get(SEQUENCE_KEY)


def _retire_now(tags):
    """Give `tags` the next number; True once the cache is known to hold it.
    Read back: django-redis ignores errors, so a write a stopped or frozen
    Redis lost would otherwise look like one it kept."""
    keys = _tag_keys(sorted(tags))
    try:
        try:
            number = _cache().incr(SEQUENCE_KEY)
        except ValueError:  # not there: a new number from the clock
            number = _start_sequence()
        if number is None:
            return False
        _cache().set_many(dict.fromkeys(keys, number), timeout=None)
        stored = _cache().get_many(keys)
        if all((stored.get(key) or 0) >= number for key in keys):
            return True
    except Exception:
        logger.error("Could not retire cached GraphQL answers", exc_info=True)
        return False
    logger.error("Could not retire cached GraphQL answers: the cache did not keep them")
    return False


def retire(tags):
    """Retire every cached answer that read one of `tags`, here and in shared
    caches in front: at once outside a transaction, else when the outermost
    transaction commits. A publish saves and signals several times: its tags
    are retired and purged once, together. Each retirement is also written
    down in the transaction until the cache has it, so one the cache misses
    is applied later (cms/caching/pending_retirements.py)."""
    tags = set(tags)
    if not tags:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        # Autocommit: the change is committed already.
        _retire_and_purge(dict.fromkeys(tags, pending_retirements.record(tags)))
        return
    # Not before the commit: until then readers cannot see the change, so the
    # answers they have are not stale, and retiring them now would send every
    # reader to the database for the length of a publish (a reader that
    # computes one from the old rows meanwhile cannot store it past the
    # commit's retirement, whose number is above its own).
    retired = collected_until_commit("retired_tags", dict, _retire_and_purge)  # tag -> row
    if connection.atomic_blocks[0]._from_testcase:
        # A test's transaction never commits: retire now, as a commit would.
        row = pending_retirements.record(tags)
        retired.update(dict.fromkeys(tags, row))
        pending_retirements.settle([row], _retire_now(tags))
        return
    new = tags - retired.keys()  # the rest are written down already
    if new:
        retired.update(dict.fromkeys(new, pending_retirements.record(new)))


def _retire_and_purge(retired):
    """Retire and purge the tags of `retired` (tag -> the row that wrote it
    down); the hot answers they retire are recomputed in between
    (cms/caching/refresh_ahead.py), readers served the old ones meanwhile."""
    tags = set(retired)
    if tags:
        chosen = refresh_ahead.prepare(_cache(), tags)
        pending_retirements.settle(set(retired.values()), _retire_now(tags))
        refresh_ahead.refresh(_cache(), chosen)
        cdn.purge(tags)


def _catch_up(tags):
    """Apply retirements the cache missed: retire their tags, and purge CDNs,
    which may have kept what the cache served meanwhile."""
    applied = _retire_now(tags)
    cdn.purge(tags)
    return applied


def invalidate(**_signal_arguments):
    """Retire every cached answer."""
    retire([cache_tags.EVERYTHING])


@lru_cache(maxsize=1)
def _traced_models():
    """Models whose objects the visibility layer sees in every answer that
    shows them, so their own tags say which answers they change: pages,
    snippets, the site settings and images."""
    from django.apps import apps
    from wagtail.snippets.models import get_snippet_models

    # Looked up at the first save, once every app has registered its snippets.
    return frozenset(apps.get_model(label) for label in TRACED_MODELS) | set(get_snippet_models())


@lru_cache(maxsize=1)
def _untraced_models():
    """Models that change answers in ways no tag follows: any change retires everything."""
    from django.apps import apps

    return frozenset(apps.get_model(label) for label in UNTRACED_MODELS)


def _on_save_or_delete(sender, instance, signal, update_fields=None, raw=False, **_kwargs):
    from wagtail.models import Page, PageViewRestriction

    if saves_nothing_readers_see(update_fields):
        return
    # Rows loaded as they are (loaddata, a test database restored): their
    # relations may not be there yet, so retire everything instead of asking.
    if raw or getattr(sender, "retires_every_answer", False) or sender in _untraced_models():
        invalidate()
    elif isinstance(instance, Page):
        # Draft saves of a page nobody can read change nothing readers see.
        if signal is post_delete or instance.live:
            retire(cache_tags.page_change_tags(instance, subtree=signal is post_delete))
    elif isinstance(instance, PageViewRestriction):
        retire(cache_tags.page_change_tags(instance.page, subtree=True))
    elif sender in _traced_models():
        retire(cache_tags.object_change_tags(instance))
    elif getattr(sender, "retires_answers_of", None):
        # A row that belongs to a traced object (an image's placeholder): its owner's answers.
        try:
            owner = getattr(instance, sender.retires_answers_of)
        except ObjectDoesNotExist:  # deleted with it: its own delete retires its answers
            owner = None
        if owner is not None:
            retire(cache_tags.object_change_tags(owner))
    elif getattr(sender, "retires_its_collection", False):
        retire(cache_tags.collection_tags(sender))


def _remember_visibility(sender, instance, **_kwargs):
    """Before a page with children is saved: whether readers could see it, so
    a save that shows or hides it also retires answers about its subtree."""
    from wagtail.models import Page

    if isinstance(instance, Page) and instance.pk and instance.numchild:
        before = Page.objects.filter(pk=instance.pk).values("live", "expire_at", "path").first()
        instance._visible_before_save = before


def _on_publish(sender, instance, **_kwargs):
    before = getattr(instance, "_visible_before_save", None)
    shown = before is not None and not cache_tags.was_visible(before)
    retire(cache_tags.page_change_tags(instance, subtree=shown))


def _on_unpublish(sender, instance, **_kwargs):
    retire(cache_tags.page_change_tags(instance, subtree=True))


def _on_move(sender, instance, parent_page_before=None, **_kwargs):
    tags = cache_tags.page_change_tags(instance, subtree=True)
    if parent_page_before is not None:
        # The page's old place: answers about its subtree recorded the old path.
        tags += cache_tags.page_change_tags(parent_page_before, subtree=True)
    retire(tags)


def connect_signals():
    from django.db.models.signals import pre_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    uid = "graphql-response-cache"
    pre_save.connect(_remember_visibility, dispatch_uid=uid)
    post_save.connect(_on_save_or_delete, dispatch_uid=uid)
    post_delete.connect(_on_save_or_delete, dispatch_uid=uid)
    page_published.connect(_on_publish, dispatch_uid=uid)
    page_unpublished.connect(_on_unpublish, dispatch_uid=uid)
    post_page_move.connect(_on_move, dispatch_uid=uid)
