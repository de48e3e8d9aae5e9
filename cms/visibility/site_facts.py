"""Site-wide facts every answer reads, kept in this process between requests.

Which subtrees are hidden, which image collections are restricted and the
site settings are read by nearly every answer, and change only when an editor
changes something: three queries (and their SQL compilation) in every
uncached request for values that are almost always the same. Each fact is
kept here with the numbers of the cache tags whose retirement changes it (the
response cache's numbers, shared by every server through Redis) and, when the
clock can change it, the moment it stops being true. A request reads the
numbers of every kept fact in one call to the cache, once, and reads a fact
again from the database only when one of its tags was retired since.

Kept only while the response cache is on: its numbers are what tell every
server about a change (without it, each process would keep its own facts).
Outside a request (commands, signals) facts are read every time.
"""

import threading
import time

from django.conf import settings

from cms.caching import cache_tags, response_cache

# name -> the tags whose retirement changes it
_TAGS = {}
# name -> (tag numbers when it was read, value, time it stops being true or None)
_kept = {}
_lock = threading.Lock()


def fact(name, tags):
    """Declare a fact and the tags that retire it (every fact is also retired with `all`)."""
    _TAGS[name] = (cache_tags.EVERYTHING, *tags)


def read(name, request_memo, load):
    """The fact `name`: kept, or `load()` -> (value, until: a timestamp or None)."""
    if request_memo is None or not settings.GRAPHQL_RESPONSE_CACHE_ENABLED:
        return load()[0]
    numbers = _numbers(request_memo)
    if numbers is None:  # the cache does not answer: read it as if nothing were kept
        return load()[0]
    tags = _TAGS[name]
    wanted = {tag: numbers.get(tag) for tag in tags}
    kept = _kept.get(name)
    if kept is not None:
        kept_numbers, value, until = kept
        if kept_numbers == wanted and (until is None or time.time() < until):
            return value
    # Numbers read before the rows: a change committed meanwhile has a newer
    # number, so what is kept now is read again by the next request.
    value, until = load()
    if all(number is not None for number in wanted.values()):
        with _lock:
            _kept[name] = (wanted, value, until)
    return value


def _numbers(request_memo):
    """Every fact's tag numbers, read once per request."""
    if "site facts" not in request_memo:
        tags = sorted({tag for tags in _TAGS.values() for tag in tags})
        try:
            request_memo["site facts"] = response_cache.tag_numbers(tags)
        except Exception:
            request_memo["site facts"] = None
    return request_memo["site facts"]


def forget():
    """Drop every kept fact (tests that change rows behind the signals' back)."""
    with _lock:
        _kept.clear()
