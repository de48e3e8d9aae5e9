"""The page interface every page type implements."""

from grapple.types.interfaces import PageInterface as GrapplePageInterface


class PageInterface(GrapplePageInterface):
    """grapple's page interface. The contract (cms/graphql/public_api.py)
    offers only the fields every page has: no page-tree fields (`parent`,
    `children`, `ancestors`…), which would walk into hidden pages."""
