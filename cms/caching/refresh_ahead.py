"""Refresh-ahead: the answers readers ask for most are recomputed by the
change that retires them, before the editor's request returns, while readers
go on being served the answer they had. A publish then sends no reader to the
database and none to wait for another (the stampede after every publish), and
once it has returned, every reader sees the change.

Which answers are hot: each process counts the lookups of each cached answer
and, every HOT_FLUSH_SECONDS, merges its counts into one index in the shared
cache (answer key -> score, tags, how to ask again), keeping the HOT_MAX
highest. When a change commits, `prepare` picks from the index the answers
that read one of the retired tags (GRAPHQL_REFRESH_AHEAD_MAX at most) and
marks them as refreshing; the tags are retired; `refresh` asks each question
again as an anonymous reader would, through the whole middleware stack, and
stores the answer, within GRAPHQL_REFRESH_AHEAD_SECONDS; then the marks go.
While an answer is marked, a reader who finds it retired is served it (not
shareable: no CDN keeps it) instead of computing it or waiting. A mark lapses
by itself a moment after its budget, should the process die meanwhile.
Everything else is retired as before, and computed by the next reader.
"""

import json
import logging
import math
import threading
import time
from collections import Counter
from contextvars import ContextVar

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.test import RequestFactory
from django.utils import translation

from cms.caching import cache_tags

logger = logging.getLogger(__name__)

HOT_INDEX_KEY = "graphql:hot-answers"
REFRESHING_KEY = "graphql:refreshing:"  # + answer key: a publish is recomputing it
HOT_FLUSH_SECONDS = 2.0
HOT_MAX = 100
HOT_FORGET_SECONDS = 120  # an answer nobody asked for in this long leaves the index
MAX_QUERY_CHARS = 8 * 1024  # longer documents are not kept in the index

# True while a publish asks a question again: that lookup computes (no
# single flight, no stale answer) and its own changes refresh nothing.
_refreshing: ContextVar[bool] = ContextVar("graphql_refreshing", default=False)

_lock = threading.Lock()
_counts = Counter()
_about = {}  # answer key -> (tags, recipe), for the keys counted since the last flush
_last_flush = time.monotonic()


def forget():
    """Drop this process's counts (tests start afresh)."""
    with _lock:
        _counts.clear()
        _about.clear()


def flush_now(cache):
    """Merge this process's counts into the shared index now."""
    _flush(cache)


def refreshing_now():
    return _refreshing.get()


def recipe(query, variables, operation_name, host, language, pretty):
    """How to ask the question again, or None when it is too long to keep."""
    if len(query) > MAX_QUERY_CHARS:  # on every hit: no encoding
        return None
    return (query, variables, operation_name, host, language, pretty)


def note(cache, key, tags, how):
    """Count a lookup of a cached answer; now and then, merge the counts into
    the shared index."""
    if how is None or not tags:
        return
    with _lock:
        _counts[key] += 1
        _about[key] = (tuple(tags), how)
        due = time.monotonic() - _last_flush >= HOT_FLUSH_SECONDS
    if due:
        _flush(cache)


def _flush(cache):
    global _last_flush, _counts, _about
    with _lock:
        counts, about = _counts, _about
        _counts, _about = Counter(), {}
        _last_flush = time.monotonic()
    if not counts:
        return
    now = time.time()
    try:
        index = cache.get(HOT_INDEX_KEY) or {}
        # Halved at each merge: the index follows what readers ask for now.
        merged = {
            key: (score / 2, tags, how, seen)
            for key, (score, tags, how, seen) in index.items()
            if now - seen < HOT_FORGET_SECONDS
        }
        for key, count in counts.items():
            score = merged.get(key, (0,))[0]
            tags, how = about[key]
            merged[key] = (score + count, tags, how, now)
        hottest = sorted(merged.items(), key=lambda item: item[1][0], reverse=True)[:HOT_MAX]
        cache.set(HOT_INDEX_KEY, dict(hottest), timeout=HOT_FORGET_SECONDS)
    except Exception:
        logger.warning("Could not update the index of hot GraphQL answers", exc_info=True)


def prepare(cache, tags):
    """The hot answers that read one of `tags`, marked as refreshing (call
    before retiring the tags, then `refresh` after)."""
    limit = settings.GRAPHQL_REFRESH_AHEAD_MAX
    if limit <= 0 or _refreshing.get():
        return []
    try:
        index = cache.get(HOT_INDEX_KEY) or {}
        chosen = sorted(
            (
                (score, key, how)
                for key, (score, read, how, _seen) in index.items()
                if tags & set(read)
            ),
            reverse=True,
        )[:limit]
        marks = {REFRESHING_KEY + key: 1 for _score, key, _how in chosen}
        cache.set_many(marks, timeout=math.ceil(settings.GRAPHQL_REFRESH_AHEAD_SECONDS) + 1)
    except Exception:
        logger.warning("Could not read the index of hot GraphQL answers", exc_info=True)
        return []
    return [(key, how) for _score, key, how in chosen]


def refresh(cache, chosen):
    """Ask each chosen question again (storing its answer), then unmark them."""
    if not chosen:
        return
    deadline = time.monotonic() + settings.GRAPHQL_REFRESH_AHEAD_SECONDS
    try:
        for _key, how in chosen:
            if time.monotonic() >= deadline:
                break  # the rest are computed by their next readers
            try:
                _ask_again(how)
            except Exception:
                logger.warning("Could not refresh a GraphQL answer", exc_info=True)
    finally:
        try:
            cache.delete_many([REFRESHING_KEY + key for key, _how in chosen])
        except Exception:
            logger.warning("Could not unmark refreshed GraphQL answers", exc_info=True)


_handler = None


def _middleware_stack():
    global _handler
    if _handler is None:
        handler = BaseHandler()
        handler.load_middleware()
        _handler = handler
    return _handler


def _ask_again(how):
    query, variables, operation_name, host, language, pretty = how
    body = {"query": query, "variables": variables or None, "operationName": operation_name}
    request = RequestFactory().post(
        "/graphql/" + ("?pretty=1" if pretty else ""),
        data=json.dumps(body),
        content_type="application/json",
        secure=True,
        HTTP_HOST=host,
    )
    token = _refreshing.set(True)
    try:
        with translation.override(language), cache_tags.apart():
            response = _middleware_stack().get_response(request)
    finally:
        _refreshing.reset(token)
    if response.status_code != 200:
        logger.warning("Refreshing a GraphQL answer gave HTTP %s", response.status_code)
