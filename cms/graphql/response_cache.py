"""Cached answers of the public GraphQL endpoint, and when they go stale.

An answer is cached (GRAPHQL_CACHE_ALIAS, for GRAPHQL_RESPONSE_CACHE_TIMEOUT
seconds) when everyone asking the same thing gets the same answer:
- the request is anonymous: no logged-in session, no Authorization header;
- the document has no `token` argument anywhere (previews of drafts) and no
  `search` field (every search is counted in the search log);
- the answer has no errors;
- the variables it declares take at most GRAPHQL_RESPONSE_CACHE_MAX_VARIABLES_BYTES
  of JSON and the answer at most GRAPHQL_RESPONSE_CACHE_MAX_ANSWER_BYTES.
The key is the document's sha256, the variables it declares (others are
ignored by GraphQL, and would only make new entries) as canonical JSON, the
operationName, the site (host) and the language.

Invalidation: a generation number in the same cache. Every publish,
unpublish, move or delete of a page, and every change to a snippet, setting,
image, document, redirect, site or view restriction, bumps it; an entry is
served only when it was computed under the current generation, so one bump
in the shared cache empties it for every app server at once. The bump
happens at once and again after the transaction commits: a reader that read
the old rows before the commit stored its answer under a generation that the
second bump retires.

Content also changes with time alone. A guide or FAQ that expires leaves the
API at its expiry time, so no answer (nor its HTTP max-age) outlives the next
scheduled expiry (`seconds_until_next_expiry`); review status changes by the
day, which the timeout covers.
"""

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language
from graphql import OperationType
from graphql.language import ArgumentNode, FieldNode, OperationDefinitionNode, visit
from graphql.language.visitor import BREAK, Visitor

from cms.graphql.limits import parsed
from cms.graphql.persisted_queries import document_hash

logger = logging.getLogger(__name__)

GENERATION_KEY = "graphql:generation"
# Arguments and fields whose answers must never come from the cache, and why.
UNCACHED_ARGUMENTS = {"token": "previews of drafts are for one editor"}
UNCACHED_FIELDS = {"search": "every search is counted in the search log"}

# Models whose rows reach the API, besides pages and snippets (found at start).
CONTENT_MODELS = [
    "cms.SiteSettings",
    "wagtailimages.Image",
    "wagtaildocs.Document",
    "wagtailredirects.Redirect",
    "wagtailsearchpromotions.SearchPromotion",
    "wagtailcore.Site",
    "wagtailcore.PageViewRestriction",
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
    generation: int
    body: str | None = None  # the cached answer, on a hit
    etag: str | None = None
    next_expiry: float | None = None  # on a hit: when the next page or FAQ expires, if any
    storable: bool = True  # False: variables over GRAPHQL_RESPONSE_CACHE_MAX_VARIABLES_BYTES

    def seconds_until_next_expiry(self):
        """As `seconds_until_next_expiry`, from the entry on a hit (no second lookup)."""
        if self.body is None:
            return seconds_until_next_expiry(self.generation)
        if not self.next_expiry:
            return None
        return max(1, int(self.next_expiry - time.time()))


def lookup(request, query, variables, operation_name):
    """The cache entry for this request, with the answer when there is a
    current one; None when the cache is off or unreachable."""
    if not settings.GRAPHQL_RESPONSE_CACHE_ENABLED:
        return None
    variables = _key_variables(query, variables)
    identity = [
        document_hash(query),
        variables,
        operation_name or None,
        request.get_host(),
        get_language(),
        bool(request.GET.get("pretty")),
    ]
    canonical = json.dumps(identity, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    key = "graphql:answer:" + hashlib.sha256(canonical.encode()).hexdigest()
    try:
        found = _cache().get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            generation = _start_generation()
    except Exception:  # a cache outage makes the API slower, never wrong or down
        logger.warning("GraphQL response cache unavailable", exc_info=True)
        return None
    entry = Entry(key, generation)
    # Answers to large variables are not kept: each distinct value would be an entry.
    entry.storable = (
        len(json.dumps(variables, separators=(",", ":")).encode())
        <= settings.GRAPHQL_RESPONSE_CACHE_MAX_VARIABLES_BYTES
    )
    stored = found.get(key)
    # The entry's own end time, by this server's clock: the cache's timeout
    # alone would leave it to Redis's clock.
    # (generation, body, etag, end time, next expiry); other shapes are from older code.
    if stored and len(stored) == 5 and stored[0] == generation and stored[3] > time.time():
        entry.body, entry.etag, entry.next_expiry = stored[1], stored[2], stored[4]
    return entry


def store(entry, body, etag):
    """Keep an answer, unless its variables or the answer itself are over the
    GRAPHQL_RESPONSE_CACHE_MAX_VARIABLES_BYTES / _MAX_ANSWER_BYTES ceilings."""
    if not entry.storable or len(body) > settings.GRAPHQL_RESPONSE_CACHE_MAX_ANSWER_BYTES:
        return False
    timeout = settings.GRAPHQL_RESPONSE_CACHE_TIMEOUT
    next_expiry = _next_expiry_at(entry.generation)
    if next_expiry:
        timeout = min(timeout, max(1, int(next_expiry - time.time())))
    ends = time.time() + timeout
    try:
        _cache().set(entry.key, (entry.generation, body, etag, ends, next_expiry), timeout)
    except Exception:
        logger.warning("GraphQL response cache unavailable", exc_info=True)
        return False
    return True


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


def seconds_until_next_expiry(generation):
    """Whole seconds until the next live page or FAQ expires (at least 1), or
    None when none is scheduled to."""
    at = _next_expiry_at(generation)
    if not at:
        return None
    return max(1, int(at - time.time()))


def _next_expiry_at(generation):
    """When the next live page or FAQ expires (a timestamp), or 0.0 when none
    is scheduled to. Remembered per generation: only a publish or an edit
    changes expiry dates, and those start a new generation."""
    key = f"graphql:next-expiry:{generation}"
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


def _start_generation():
    # A missing number (first start, eviction, flushed cache) restarts from the
    # clock, so no entry stored under an earlier number can match it.
    _cache().add(GENERATION_KEY, time.time_ns(), timeout=None)
    return _cache().get(GENERATION_KEY)


def _bump():
    try:
        try:
            _cache().incr(GENERATION_KEY)
        except ValueError:  # not there: any new number retires every entry
            _start_generation()
    except Exception:
        logger.error("Could not invalidate the GraphQL response cache", exc_info=True)


def invalidate(**_signal_arguments):
    """Retire every cached answer, now and once the current transaction commits."""
    _bump()
    transaction.on_commit(_bump)


@lru_cache(maxsize=1)
def _content_models():
    from django.apps import apps
    from wagtail.snippets.models import get_snippet_models

    # Looked up at the first save, once every app has registered its snippets.
    return frozenset(apps.get_model(label) for label in CONTENT_MODELS) | set(get_snippet_models())


# Columns Wagtail fills in while answering a read (an image's size and hash,
# on its first rendition): saving them changes no answer.
BOOKKEEPING_FIELDS = frozenset({"file_size", "file_hash"})


def _invalidate_on_change(sender, instance, signal, update_fields=None, **_kwargs):
    from wagtail.models import Page

    if update_fields and set(update_fields) <= BOOKKEEPING_FIELDS:
        return
    if isinstance(instance, Page):
        # Draft saves of a page nobody can read change nothing readers see.
        if signal is post_delete or instance.live:
            invalidate()
    elif sender in _content_models():
        invalidate()


def connect_signals():
    from wagtail.signals import page_published, page_unpublished, post_page_move

    uid = "graphql-response-cache"
    for signal in (page_published, page_unpublished, post_page_move, post_save, post_delete):
        handler = _invalidate_on_change if signal in (post_save, post_delete) else invalidate
        signal.connect(handler, dispatch_uid=uid)
