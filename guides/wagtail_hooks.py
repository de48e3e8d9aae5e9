from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from guides.models import Audience, CancerType, GuideCategory, Publisher
from guides.queries import GuideQueries


class GuideCategoryViewSet(SnippetViewSet):
    model = GuideCategory
    icon = "tag"
    menu_label = "Categories"
    list_display = ["name", "slug"]


class CancerTypeViewSet(SnippetViewSet):
    model = CancerType
    icon = "tag"
    menu_label = "Cancer types"
    list_display = ["name", "slug"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    menu_label = "Audiences"
    list_display = ["name", "slug"]


class PublisherViewSet(SnippetViewSet):
    model = Publisher
    icon = "site"
    menu_label = "Publishers"
    list_display = ["name", "url"]


class GuideTaxonomiesGroup(SnippetViewSetGroup):
    """Everything editors label guides with, under one menu item."""

    items = (GuideCategoryViewSet, CancerTypeViewSet, AudienceViewSet, PublisherViewSet)
    menu_icon = "tag"
    menu_label = "Guide labels"
    menu_name = "guide-labels"


register_snippet(GuideTaxonomiesGroup)


@hooks.register("register_schema_query")
def register_guide_queries(query_mixins):
    query_mixins.append(GuideQueries)
