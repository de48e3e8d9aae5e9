from django.apps import AppConfig


class CmsConfig(AppConfig):
    """Pieces every content app shares: the people who write and review content."""

    name = "cms"
    verbose_name = "Shared content"

    def ready(self):
        from grapple.registry import registry

        from cms import (
            checks,  # noqa: F401 (checks register themselves)
            sync,
        )
        from cms.graphql import response_cache
        from cms.site_settings import SiteSettings

        response_cache.connect_signals()
        sync.connect_signals()
        sync.register_kind(
            "SITE_SETTINGS",
            SiteSettings,
            "site_settings",
            lambda: registry.settings[SiteSettings],
            "The site settings.",
        )
