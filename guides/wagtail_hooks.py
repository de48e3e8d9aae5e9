from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet, SnippetViewSetGroup

from guides.importing.views import ImportGuideMenuItem, ImportGuideView
from guides.models import Audience, CancerType, GuideCategory, PlainLanguageTerm, Publisher
from guides.queries import GuideQueries
from guides.views import (
    AwaitingReviewPanel,
    FAQsDueForReviewView,
    GuidesDueForReviewView,
    ReviewDuePanel,
    approve_from_dashboard,
    readability_check,
)


class LabelInUseDeleteView(DeleteView):
    """Cancer types and audiences are many-to-many labels, which Wagtail's usage
    count does not see: refuse to delete one that guides still use, rather than
    silently changing live guides."""

    def form_valid(self, form):
        in_use = self.object.guides.count()
        if in_use:
            messages.error(
                self.request,
                f"“{self.object}” is used by {in_use} guide(s). Remove it from those guides first.",
            )
            return redirect(self.get_success_url())
        return super().form_valid(form)


class GuideCategoryViewSet(SnippetViewSet):
    model = GuideCategory
    icon = "tag"
    menu_label = "Categories"
    list_display = ["name", "slug"]


class CancerTypeViewSet(SnippetViewSet):
    model = CancerType
    delete_view_class = LabelInUseDeleteView
    icon = "tag"
    menu_label = "Cancer types"
    list_display = ["name", "slug"]


class AudienceViewSet(SnippetViewSet):
    model = Audience
    delete_view_class = LabelInUseDeleteView
    icon = "group"
    menu_label = "Audiences"
    list_display = ["name", "slug"]


class PublisherChooserViewSet(SnippetChooserViewSet):
    # A missing publisher is added from the guide's chooser, without leaving the guide.
    form_fields = ["name", "url"]
    create_action_label = "Add publisher"
    creation_tab_label = "Add new publisher"


class PublisherViewSet(SnippetViewSet):
    model = Publisher
    chooser_viewset_class = PublisherChooserViewSet
    icon = "site"
    menu_label = "Publishers"
    list_display = ["name", "url"]


class PlainLanguageTermViewSet(SnippetViewSet):
    model = PlainLanguageTerm
    icon = "help"
    menu_label = "Plain-language list"
    list_display = ["term", "alternative"]


class GuideTaxonomiesGroup(SnippetViewSetGroup):
    """Everything editors label guides with, under one menu item."""

    items = (
        GuideCategoryViewSet,
        CancerTypeViewSet,
        AudienceViewSet,
        PublisherViewSet,
        PlainLanguageTermViewSet,
    )
    menu_icon = "tag"
    menu_label = "Guide labels"
    menu_name = "guide-labels"


register_snippet(GuideTaxonomiesGroup)


@hooks.register("register_schema_query")
def register_guide_queries(query_mixins):
    query_mixins.append(GuideQueries)


REVIEW_REPORTS = {
    "guides-due-for-review": GuidesDueForReviewView,
    "faqs-due-for-review": FAQsDueForReviewView,
}


@hooks.register("register_admin_urls")
def register_review_report_urls():
    urls = [
        path("readability/check/", readability_check, name="guides_readability_check"),
        path("guides/import/", ImportGuideView.as_view(), name="guides_import"),
        path(
            "reviews/<int:task_state_id>/approve/",
            approve_from_dashboard,
            name="guides_approve_from_dashboard",
        ),
    ]
    for slug, view in REVIEW_REPORTS.items():
        urls += [
            path(f"reports/{slug}/", view.as_view(), name=view.index_url_name),
            path(
                f"reports/{slug}/results/",
                view.as_view(results_only=True),
                name=view.index_results_url_name,
            ),
        ]
    return urls


@hooks.register("register_reports_menu_item")
def register_review_report_menu_item():
    return MenuItem(
        "Guides due for review", reverse("guides_due_for_review"), icon_name="date", order=690
    )


@hooks.register("register_reports_menu_item")
def register_faq_review_report_menu_item():
    return MenuItem(
        "FAQs due for review", reverse("faqs_due_for_review"), icon_name="date", order=691
    )


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportGuideMenuItem(
        "Import a guide", reverse("guides_import"), icon_name="upload", order=250
    )


@hooks.register("construct_homepage_panels")
def add_review_due_panel(request, panels):
    panels.append(ReviewDuePanel())
    # Wagtail's "Awaiting your review", with types, the four-eyes rule and a
    # confirmation before approving publishes anything.
    panels[:] = [
        AwaitingReviewPanel() if type(panel) is WorkflowObjectsToModeratePanel else panel
        for panel in panels
    ]


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    actions.register_action(
        "guides.review_overdue", "Clinical review overdue", "Flagged: clinical review overdue"
    )
    actions.register_action(
        "guides.review_reminder",
        "Clinical review reminder",
        "Reviewer reminded that the clinical review is due",
    )
