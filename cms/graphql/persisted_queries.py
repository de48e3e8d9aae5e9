"""Persisted queries in Apollo's protocol (automatic persisted queries, APQ).

A client sends `extensions: {"persistedQuery": {"version": 1, "sha256Hash": H}}`
where H is the sha256, in hex, of the UTF-8 bytes of the exact document text it
would otherwise send as `query`. The first time, it sends the hash alone; we
answer PersistedQueryNotFound (HTTP 200, as Apollo Server does: Apollo Client
turns persisted queries off for good after a 400 or 500) and it retries with
the hash and the text, which we check, run and remember. From then on the hash
alone is enough, over POST or GET (`?extensions=...&variables=...`).

Where the text is kept:
- automatic ones in the shared cache (GRAPHQL_CACHE_ALIAS, Redis when
  REDIS_URL is set) for GRAPHQL_PERSISTED_QUERY_TIMEOUT: bounded, as anyone
  may send one, and a lost one only costs the client one retry. Only texts up
  to GRAPHQL_APQ_MAX_DOCUMENT_BYTES are kept, and at most
  GRAPHQL_APQ_REGISTRATIONS_PER_CLIENT per client (`client_address`) and
  GRAPHQL_APQ_REGISTRATIONS_TOTAL in all per GRAPHQL_APQ_REGISTRATION_WINDOW
  seconds; one not kept is still answered;
- registered ones (manage.py register_persisted_queries) in the database,
  with the cache in front (Redis may evict that copy: README, Limits).
  GRAPHQL_PERSISTED_QUERIES_ONLY makes the endpoint
  answer registered ones and nothing else.

Stored texts run through the same validation and limits as any query, on
every request.
"""

import hashlib
import json
import logging
import re
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import models

logger = logging.getLogger(__name__)

APQ_VERSION = 1
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class PersistedQueryError(Exception):
    """Answered as a GraphQL error with a code, before anything runs."""

    def __init__(self, message, code, status=400):
        super().__init__(message)
        self.message, self.code, self.status = message, code, status

    def as_json(self):
        return {"errors": [{"message": self.message, "extensions": {"code": self.code}}]}


class PersistedQuery(models.Model):
    """A GraphQL document a frontend registered ahead of time (manage.py
    register_persisted_queries). With GRAPHQL_PERSISTED_QUERIES_ONLY on, the
    endpoint answers these and nothing else."""

    sha256 = models.CharField(
        max_length=64, unique=True, help_text="sha256 of the exact document text, in hex."
    )
    document = models.TextField(help_text="The document exactly as the frontend sends it.")
    operation_names = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=500, blank=True, help_text="File it was registered from.")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-registered_at"]
        verbose_name = "persisted query"
        verbose_name_plural = "persisted queries"

    def __str__(self):
        return f"{self.operation_names or 'anonymous'} ({self.sha256[:12]})"


def not_found():
    # The exact message and code Apollo clients look for before retrying with the text.
    return PersistedQueryError("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND", status=200)


def not_registered():
    return PersistedQueryError(
        "This query is not registered. Only registered queries are answered here: "
        "register the frontend's queries with manage.py register_persisted_queries.",
        "PERSISTED_QUERY_NOT_REGISTERED",
    )


def document_hash(text):
    """What a client puts in sha256Hash: sha256 of the document's UTF-8 bytes, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Resolved:
    query: str | None
    sha256: str | None = None
    remember: bool = False  # an automatic one sent with its text: keep it once it validates


def requested_hash(extensions):
    """The sha256Hash asked for in `extensions`, or None for a plain query."""
    if extensions in (None, ""):
        return None
    if isinstance(extensions, str):
        try:
            extensions = json.loads(extensions)
        except ValueError:
            raise PersistedQueryError("extensions must be a JSON object.", "BAD_REQUEST") from None
    if not isinstance(extensions, dict):
        raise PersistedQueryError("extensions must be a JSON object.", "BAD_REQUEST")
    persisted = extensions.get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != APQ_VERSION:
        raise PersistedQueryError("Unsupported persisted query version.", "BAD_REQUEST")
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or not SHA256_HEX.match(sha256):
        raise PersistedQueryError(
            "persistedQuery.sha256Hash must be 64 lowercase hexadecimal characters.",
            "BAD_REQUEST",
        )
    return sha256


def resolve(extensions, query):
    """The document to run for a request's `query` and `extensions`."""
    sha256 = requested_hash(extensions)
    only_registered = settings.GRAPHQL_PERSISTED_QUERIES_ONLY
    if sha256 is None:
        if only_registered and query is not None:
            raise PersistedQueryError(
                "Only registered queries are answered here: send "
                "extensions.persistedQuery with the sha256Hash of a registered query.",
                "PERSISTED_QUERY_REQUIRED",
            )
        return Resolved(query)
    if query is not None:
        if document_hash(query) != sha256:
            raise PersistedQueryError(
                "persistedQuery.sha256Hash is not the sha256 of the query text sent with it.",
                "PERSISTED_QUERY_HASH_MISMATCH",
            )
        if only_registered and _registered(sha256) is None:
            raise not_registered()
        return Resolved(query, sha256, remember=not only_registered)
    stored = _registered(sha256) if only_registered else _any(sha256)
    if stored is None:
        raise not_registered() if only_registered else not_found()
    return Resolved(stored, sha256)


def _cache():
    return caches[settings.GRAPHQL_CACHE_ALIAS]


def _automatic_key(sha256):
    return f"graphql:apq:{sha256}"


def _registered_key(sha256):
    return f"graphql:registered:{sha256}"


def _cache_get_many(keys):
    try:
        return _cache().get_many(keys)
    except Exception:  # the cache being down must not take the API down
        logger.warning("Persisted query cache unavailable", exc_info=True)
        return {}


def _cache_set(key, value):
    try:
        _cache().set(key, value, settings.GRAPHQL_PERSISTED_QUERY_TIMEOUT)
    except Exception:
        logger.warning("Persisted query cache unavailable", exc_info=True)


# A hash names one text for ever, so each process keeps the texts it has seen
# and skips the shared cache for them: one round trip less per cached answer.
_seen = OrderedDict()
SEEN_MAX = 1024


def _any(sha256):
    if sha256 in _seen:
        _seen.move_to_end(sha256)
        return _seen[sha256]
    found = _cache_get_many([_registered_key(sha256), _automatic_key(sha256)])
    text = (
        found.get(_registered_key(sha256)) or found.get(_automatic_key(sha256)) or _from_db(sha256)
    )
    if text is not None and document_hash(text) == sha256:
        _remember_seen(sha256, text)
    return text


def _remember_seen(sha256, text):
    _seen[sha256] = text
    if len(_seen) > SEEN_MAX:
        _seen.popitem(last=False)


def _registered(sha256):
    found = _cache_get_many([_registered_key(sha256)])
    return found.get(_registered_key(sha256)) or _from_db(sha256)


def _from_db(sha256):
    document = (
        PersistedQuery.objects.filter(sha256=sha256).values_list("document", flat=True).first()
    )
    if document is not None:
        _cache_set(_registered_key(sha256), document)
    return document


def client_address(request):
    """Who is asking, for rate limits: REMOTE_ADDR, or the last entry of the
    header a trusted proxy sets (GRAPHQL_CLIENT_IP_HEADER)."""
    header = settings.GRAPHQL_CLIENT_IP_HEADER
    if header and request.META.get(header):
        return request.META[header].split(",")[-1].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def _within_rate(request):
    """Count one registration for this client and for everyone, in the current
    GRAPHQL_APQ_REGISTRATION_WINDOW; False when either count is used up.
    A small cache counter: one add and one incr per key, each expiring with its window."""
    window = settings.GRAPHQL_APQ_REGISTRATION_WINDOW
    period = int(time.time() // window)
    client = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    counters = (
        (f"graphql:apq-rate:{period}:{client}", settings.GRAPHQL_APQ_REGISTRATIONS_PER_CLIENT),
        (f"graphql:apq-rate:{period}:all", settings.GRAPHQL_APQ_REGISTRATIONS_TOTAL),
    )
    try:
        cache = _cache()
        for key, limit in counters:
            cache.add(key, 0, window + 1)
            if cache.incr(key) > limit:
                return False
    except ValueError:  # the counter expired between add and incr: a new window
        return True
    except Exception:
        logger.warning("Persisted query cache unavailable", exc_info=True)
        return False
    return True


def remember(sha256, query, request=None):
    """Keep an automatic persisted query that validated, for every app server,
    unless it is over GRAPHQL_APQ_MAX_DOCUMENT_BYTES or its client (or all
    clients) registered their fill this minute. Not keeping one costs the
    client a retry with the text, never an error."""
    if len(query.encode()) > settings.GRAPHQL_APQ_MAX_DOCUMENT_BYTES:
        return False
    if sha256 in _seen:
        return True  # already stored by this process
    if request is not None and not _within_rate(request):
        logger.info("Automatic persisted query not kept: registration rate limit reached")
        return False
    _cache_set(_automatic_key(sha256), query)
    _remember_seen(sha256, query)
    return True
