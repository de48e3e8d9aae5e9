from django.apps import AppConfig


class CmsConfig(AppConfig):
    """Pieces every content app shares: the people who write and review content."""

    name = "cms"
    verbose_name = "Shared content"

    def ready(self):
        from django.db.models.signals import post_save
        from wagtail.images import get_image_model

        from cms import checks  # noqa: F401 (checks register themselves)
        from cms.graphql import response_cache
        from cms.image_placeholders import on_image_saved

        response_cache.connect_signals()
        post_save.connect(
            on_image_saved, sender=get_image_model(), dispatch_uid="image-placeholder"
        )
