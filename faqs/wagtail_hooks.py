from wagtail import hooks
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet, SnippetCreateView
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from cms.publishing.clinical import ReviewedPublishingMixin
from cms.publishing.new_forms import NotAutosaved
from faqs.models import FAQ, FAQTopic
from faqs.queries import FAQQueries
from faqs.usage import live_pages_using


class FAQDeleteView(DeleteView):
    """The confirmation lists the live guides the deletion takes the FAQ out of
    (their change logs record it: guides.change_log)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["guides"] = live_pages_using(self.object)
        return context


class FAQCreateView(NotAutosaved, ReviewedPublishingMixin, CreateView):
    pass


class FAQEditView(ReviewedPublishingMixin, EditView):
    pass


class FAQChooserCreateView(SnippetCreateView):
    """An FAQ added from a guide's chooser is saved as a draft: like any FAQ it
    reaches patients only once it passes clinical review."""

    def save_form(self, form):
        faq = form.save(commit=False)
        faq.live = False
        faq.has_unpublished_changes = True
        faq.save()
        faq.save_revision(user=self.request.user, log_action=True)
        return faq


class FAQChooserViewSet(SnippetChooserViewSet):
    # The question, answer and topic only: review fields stay with clinical review.
    form_fields = ["question", "answer", "topic"]
    create_view_class = FAQChooserCreateView
    create_action_label = "Add FAQ as a draft"
    creation_tab_label = "Add new FAQ"


class FAQViewSet(SnippetViewSet):
    model = FAQ
    chooser_viewset_class = FAQChooserViewSet
    add_view_class = FAQCreateView
    edit_view_class = FAQEditView
    delete_view_class = FAQDeleteView
    delete_template_name = "faqs/confirm_delete.html"
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
