"""Warm-up for gunicorn workers (hooks in gunicorn.conf.py).

A freshly forked worker used to pay for Django's laziness on its first
requests: the URLconf, and with it all of Wagtail's admin URLs and viewsets,
is imported on the first request (about 0.2-0.4 s of CPU), then the cache
backend, then the database and Redis connections. With workers recycled every
few seconds under load that was a slow request each time and a third of the
machine's CPU (docs/benchmarks.md, "Server settings (gunicorn)").

- `warm_master()` runs once in the gunicorn master after the app is loaded
  (preload_app) and before any worker is forked, so every worker, including
  each recycled one, inherits the work already done. It opens no connection:
  a socket in the master would be shared by all its children.
- `warm_worker()` runs in each worker before it accepts a request: it opens
  this worker's own database and cache connections.

Neither raises: a warm-up that fails (database down at boot) leaves the
worker to start cold, as it would without it, and the request path reports
the outage as usual.
"""

import contextlib
import gc
import logging

logger = logging.getLogger(__name__)

# Resolved in the master so that URL routing and the views they import are in
# place before the fork.
WARM_PATHS = ("/api/ping/", "/graphql/", "/health/")


def warm_master():
    """Import and build what Django builds lazily on first use, without
    opening any connection; then freeze the objects so far (see below)."""
    try:
        from django.conf import settings
        from django.core.cache import caches
        from django.urls import Resolver404, get_resolver, resolve

        resolver = get_resolver()
        resolver.url_patterns  # noqa: B018 (imports the URLconf: Wagtail's admin URLs, views)
        resolver.reverse_dict  # noqa: B018 (builds the reverse lookups)
        for path in WARM_PATHS:
            with contextlib.suppress(Resolver404):
                resolve(path)
        for alias in settings.CACHES:
            caches[alias]  # imports and builds the backend; Redis connects on first use
    except Exception:
        logger.warning("Warm-up in the gunicorn master failed; workers start cold", exc_info=True)
    # Objects made so far live as long as the master: move them out of the
    # garbage collector's reach (Python's gc documentation recommends this
    # before fork). Workers' collections then neither walk them (CPU) nor
    # write to their pages (which copy-on-write would duplicate per worker).
    gc.freeze()


def warm_worker(connections=True):
    """Open this worker's database and cache connections before it serves.
    With `connections` false it does nothing: Django's connections are per
    thread, and a threaded worker serves from other threads than the one
    running this, so a connection opened here would only sit idle."""
    if not connections:
        return
    try:
        from django.conf import settings
        from django.core.cache import caches
        from django.db import connections as databases

        for alias in databases:
            databases[alias].ensure_connection()
        for alias in settings.CACHES:
            caches[alias].get("warm-up")
    except Exception as error:
        logger.warning("Worker warm-up failed (%s); it starts cold", error)
