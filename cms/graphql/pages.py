"""The page interface every page type implements."""

from grapple.types.interfaces import PageInterface as GrapplePageInterface

from cms.graphql.fields import resolve_page_list
from cms.visibility import is_visible


class PageInterface(GrapplePageInterface):
    """grapple's page interface with our visibility rules: its stock `parent`
    returns drafts and its lists ignore expiry dates."""

    def resolve_parent(self, info, **kwargs):
        parent = self.get_parent()
        return parent.specific if is_visible(parent, info.context) else None

    def resolve_children(self, info, **kwargs):
        return resolve_page_list(self.get_children(), info, **kwargs)

    def resolve_siblings(self, info, **kwargs):
        return resolve_page_list(self.get_siblings().exclude(pk=self.pk), info, **kwargs)

    def resolve_next_siblings(self, info, **kwargs):
        return resolve_page_list(self.get_next_siblings().exclude(pk=self.pk), info, **kwargs)

    def resolve_previous_siblings(self, info, **kwargs):
        return resolve_page_list(self.get_prev_siblings().exclude(pk=self.pk), info, **kwargs)

    def resolve_descendants(self, info, **kwargs):
        return resolve_page_list(self.get_descendants(), info, **kwargs)

    def resolve_ancestors(self, info, **kwargs):
        return resolve_page_list(self.get_ancestors(), info, **kwargs)
