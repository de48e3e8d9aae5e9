from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Patient search. grapple's root `search` is not exposed: it returns
    drafts and private pages (see cms/graphql/schema.py); `search.queries` replaces it."""

    name = "search"

    def ready(self):
        from wagtail.signals import (
            page_published,
            page_unpublished,
            post_page_move,
            published,
            unpublished,
        )

        from search import signals

        # Wagtail's save signal runs before a page's tags and child rows are
        # saved; publishing is reindexed again once everything is in place.
        page_published.connect(signals.reindex_page)
        published.connect(signals.reindex_snippet)
        unpublished.connect(signals.reindex_snippet)
        page_unpublished.connect(signals.reindex_page)
        post_page_move.connect(signals.reindex_moved_pages)
