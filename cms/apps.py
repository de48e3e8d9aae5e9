from django.apps import AppConfig


class CmsConfig(AppConfig):
    """Pieces every content app shares: the people who write and review content."""

    name = "cms"
    verbose_name = "Shared content"

    def ready(self):
        from django.db.models.signals import post_save
        from grapple.registry import registry
        from wagtail.images import get_image_model

        from cms import (
            checks,  # noqa: F401 (checks register themselves)
            sync,
        )
        from cms.caching import response_cache
        from cms.http import admin_input  # noqa: F401 (registers form fields and a hook)
        from cms.images.placeholders import on_image_saved
        from cms.site_settings import SiteSettings

        response_cache.connect_signals()
        post_save.connect(
            on_image_saved, sender=get_image_model(), dispatch_uid="image-placeholder"
        )
        sync.connect_signals()
        sync.register_kind(
            "SITE_SETTINGS",
            SiteSettings,
            "site_settings",
            lambda: registry.settings[SiteSettings],
            "The site settings.",
        )
