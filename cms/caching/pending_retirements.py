"""Retirements the shared cache missed, and catching up on them.

A change retires the cached answers that read it by writing new numbers for
its tags in the shared cache (cms/caching/response_cache.py). Cache errors
are ignored by design, so a Redis stopped or frozen when a change commits
would miss the retirement, and serve the retired answers again once back.

So every retirement is also a row in the database (cms.PendingRetirement),
written in the change's own transaction (`record`): it exists exactly when
the change committed. Once the cache is known to hold the new numbers (read
back after writing them) the row is deleted; otherwise it is marked failed
(`settle`). Each process looks for rows left behind (`caught_up`) at most
every GRAPHQL_RESPONSE_CACHE_CATCH_UP_SECONDS, and at once when the cache
answers again after failing; it retires their tags in the cache itself, and
until that has worked it serves no cached answer. A hit within the interval
costs no query.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Q
from django.utils import timezone

from cms.caching import redis_cache

logger = logging.getLogger(__name__)

# A row not marked failed belongs this long to the process that made the
# change (it is retiring the tags right after the commit); after that, to
# anyone (that process died, or its transaction ran long).
GRACE_SECONDS = 5.0
# After a look the database did not answer (a frozen one costs a hit up to
# DATABASE_CLIENT_TIMEOUT), the next is this many seconds later.
LOOK_AGAIN_AFTER_DATABASE_ERROR = 10.0

_next_look = 0.0  # monotonic time of this process's next look at the rows
_behind = False  # this process knows of rows the cache does not hold yet
_cache_was_down = False  # the cache failed since the last look


def _model():
    from django.apps import apps

    return apps.get_model("cms", "PendingRetirement")


def record(tags):
    """Write `tags` down as retired, in the current transaction; the row's id."""
    return _model().objects.create(tags=sorted(tags)).pk


def settle(ids, applied):
    """After trying to retire the rows' tags in the cache: delete the rows
    (`applied`), or mark them failed for any process to apply."""
    global _behind
    if not applied:
        _behind = True  # this process knows: no cached answer until applied
    if not ids:
        return
    rows = _model().objects.filter(pk__in=list(ids))
    try:
        if applied:
            rows.delete()
        else:
            rows.update(failed=True)
    except DatabaseError:  # the rows stay: another look applies them again
        logger.warning("Could not settle pending cache retirements", exc_info=True)


def note_cache_down():
    """The cache did not answer: look at the rows as soon as it does."""
    global _cache_was_down
    _cache_was_down = True


def forget():
    """Reset this process's state (tests)."""
    global _next_look, _behind, _cache_was_down
    _next_look, _behind, _cache_was_down = 0.0, False, False


def caught_up(apply):
    """Whether the cache held every committed retirement when an answer was
    just read from it, as far as this process knows. Looks at the database
    when due (see the module's docstring); rows found are applied with
    `apply(tags)` (True once the cache has them) and deleted, and the answer
    read before is not to be served."""
    global _next_look, _behind, _cache_was_down
    interval = settings.GRAPHQL_RESPONSE_CACHE_CATCH_UP_SECONDS
    if interval <= 0:
        return True
    now = time.monotonic()
    came_back = _cache_was_down and not redis_cache.circuit_open()
    if now < _next_look and not came_back:
        return not _behind
    _next_look = now + interval
    try:
        rows = list(
            _model()
            .objects.filter(
                Q(failed=True) | Q(created_at__lt=timezone.now() - timedelta(seconds=GRACE_SECONDS))
            )
            .values_list("pk", "tags")
        )
    except DatabaseError:
        # No database: no change can commit meanwhile. Look again later, as
        # DatabaseUnavailableMiddleware tries the database again.
        _next_look = now + max(interval, LOOK_AGAIN_AFTER_DATABASE_ERROR)
        logger.warning("Could not look for pending cache retirements", exc_info=True)
        return not _behind
    _cache_was_down = False
    if not rows:
        _behind = False
        return True
    tags = set().union(*(row_tags for _pk, row_tags in rows))
    applied = apply(tags)
    if applied:
        logger.warning("Retired %d cache tags the cache had missed", len(tags))
    settle([pk for pk, _tags in rows], applied)
    _behind = not applied
    return False
