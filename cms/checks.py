"""Start-up and deployment checks (run by every manage.py command, and by
deploy/run-production.sh before gunicorn starts): the shared cache, the
workers that need it, and the client address behind proxies."""

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


@register(Tags.security)
def trusted_proxy_count_is_valid(app_configs, **kwargs):
    count = settings.TRUSTED_PROXY_COUNT
    if not isinstance(count, int) or count < 0:
        return [
            Error(
                f"TRUSTED_PROXY_COUNT must be a whole number of proxies, 0 or more (not {count!r}).",
                id="cms.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def behind_a_proxy_the_client_address_is_read(app_configs, **kwargs):
    # SECURE_PROXY_SSL_HEADER says a proxy terminates TLS in front of the app;
    # with TRUSTED_PROXY_COUNT 0 every request then comes from that proxy's
    # address, so login throttling counts everyone as one client.
    if settings.SECURE_PROXY_SSL_HEADER and settings.TRUSTED_PROXY_COUNT == 0:
        return [
            Warning(
                "A TLS proxy is in front of the app (SECURE_PROXY_SSL_HEADER) but "
                "TRUSTED_PROXY_COUNT is 0: every client gets the proxy's address, so a few "
                "failed logins from anyone lock every editor out.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies that append to "
                "X-Forwarded-For (1 for the TLS proxy, 2 with Varnish behind it).",
                id="cms.W002",
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
