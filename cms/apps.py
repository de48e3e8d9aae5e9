from django.apps import AppConfig


class CmsConfig(AppConfig):
    """Pieces every content app shares: the people who write and review content."""

    name = "cms"
    verbose_name = "Shared content"

    def ready(self):
        from cms import checks  # noqa: F401 (checks register themselves)
        from cms.graphql import response_cache

        response_cache.connect_signals()
