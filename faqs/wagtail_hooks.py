from wagtail import hooks
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from faqs.models import FAQ, FAQTopic
from faqs.queries import FAQQueries


class FAQViewSet(SnippetViewSet):
    model = FAQ
    icon = "help"
    menu_label = "FAQs"
    list_display = ["question", "topic", LiveStatusTagColumn()]
    list_filter = ["topic", "live"]
    search_fields = ["question"]


class FAQTopicViewSet(SnippetViewSet):
    model = FAQTopic
    icon = "folder-open-inverse"
    menu_label = "FAQ topics"
    list_display = ["name", "slug", "sort_order"]


class FAQGroup(SnippetViewSetGroup):
    items = (FAQViewSet, FAQTopicViewSet)
    menu_icon = "help"
    menu_label = "FAQs"
    menu_name = "faqs"


register_snippet(FAQGroup)


@hooks.register("register_schema_query")
def register_faq_queries(query_mixins):
    query_mixins.append(FAQQueries)
