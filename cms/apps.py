from django.apps import AppConfig


class CmsConfig(AppConfig):
    """Pieces every content app shares: the people who write and review content."""

    name = "cms"
    verbose_name = "Shared content"

    def ready(self):
        from cms import checks, response_cache  # noqa: F401 (checks register themselves)

        response_cache.connect_signals()
