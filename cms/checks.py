"""Deployment checks for the shared cache."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


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
