from wagtail import hooks

from cms.graphql.sync import sync_queries
from cms.rich_text import PublicPageLinkHandler


# After Wagtail's own registration (order 0), so this handler replaces it.
@hooks.register("register_rich_text_features", order=100)
def register_public_page_links(features):
    features.register_link_type(PublicPageLinkHandler)


@hooks.register("register_schema_query")
def register_sync_queries(query_mixins):
    query_mixins.append(sync_queries())
