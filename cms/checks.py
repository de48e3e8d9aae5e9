"""Start-up and deployment checks for how the app is served (run by every
manage.py command, and by deploy/run-production.sh before gunicorn starts)."""

import os

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.caches, deploy=True)
def response_cache_is_shared(app_configs, **kwargs):
    backend = settings.CACHES[settings.GRAPHQL_CACHE_ALIAS]["BACKEND"]
    if settings.GRAPHQL_RESPONSE_CACHE_ENABLED and backend.endswith("LocMemCache"):
        return [
            Warning(
                "The GraphQL response cache is on with a local-memory cache: each gunicorn "
                "worker keeps its own answers, and a publish retires them only in the worker "
                "that handled it, so other workers serve old content until the timeout.",
                hint="Set REDIS_URL, or GRAPHQL_RESPONSE_CACHE_ENABLED=false.",
                id="cms.W001",
            )
        ]
    return []


def worker_count():
    """Gunicorn workers asked for in WEB_CONCURRENCY (1 when unset or unreadable)."""
    try:
        return int(os.environ.get("WEB_CONCURRENCY") or 1)
    except ValueError:
        return 1


@register(Tags.caches)
def several_workers_need_a_shared_cache(app_configs, **kwargs):
    """Automatic persisted queries, cached answers and their invalidation live
    in the cache: in local memory each worker has its own, so a hash one
    worker learnt is unknown to the others (with several workers and no Redis,
    9 of 14 persisted-query GETs answered PersistedQueryNotFound)."""
    workers = worker_count()
    backend = settings.CACHES[settings.GRAPHQL_CACHE_ALIAS]["BACKEND"]
    if workers > 1 and backend.endswith("LocMemCache"):
        return [
            Error(
                f"WEB_CONCURRENCY={workers} with a local-memory cache: each gunicorn worker "
                "would keep its own persisted queries and cached answers, so clients get "
                "PersistedQueryNotFound from every worker but one and a publish retires "
                "answers in one worker only.",
                hint="Set REDIS_URL to a Redis server (docs/operations.md), "
                "or run one worker (WEB_CONCURRENCY=1).",
                id="cms.E101",
            )
        ]
    return []
