"""Admin reports and dashboard panel: guides and FAQs due for clinical review."""

import django_filters
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import resolve, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.utils import get_latest_str
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.admin.views.reports import PageReportView, ReportView
from wagtail.models import Page, TaskState

from cms.models import Person
from faqs.models import FAQ
from guides import readability
from guides.clinical_review import approval_refusal
from guides.models import GuidePage, PlainLanguageTerm
from guides.review import (
    awaiting_approval_by,
    content_label,
    faqs_due_for_review,
    guides_due_for_review,
    language_of,
    reviews_due_for,
)

# A guide's whole text is far below this; the cap keeps one request cheap.
READABILITY_CHECK_MAX_CHARS = 200_000
# As many FAQs as one guide could sensibly show, for the same reason.
READABILITY_CHECK_MAX_FAQS = 100

STATUS_LABELS = {"overdue": "Overdue", "due_soon": "Due soon", "current": "Current"}


class DueForReviewFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[("overdue", "Overdue"), ("due_soon", "Coming due (not yet overdue)")],
        method="filter_status",
        empty_label="Overdue or coming due",
    )
    reviewed_by = django_filters.ModelChoiceFilter(
        label="Reviewed by", queryset=Person.objects.filter(user__isnull=False)
    )

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(next_review_due__lt=today)
        return queryset.filter(next_review_due__gte=today)

    class Meta:
        model = GuidePage
        fields = ["status", "reviewed_by"]


class FAQDueForReviewFilterSet(DueForReviewFilterSet):
    class Meta:
        model = FAQ
        fields = ["status", "reviewed_by"]


class DueForReviewReport:
    """The columns, filters, sorting and export shared by the guide and FAQ
    reports; each names its model, its title field and where to edit it."""

    header_icon = "date"
    any_permission_required = ["add", "change", "publish"]
    title_field = "title"
    noun = "Guide"
    edit_url_name = "wagtailadmin_pages:edit"

    @property
    def columns(self):
        return [
            TitleColumn(
                self.title_field,
                label=self.noun,
                url_name=self.edit_url_name,
                sort_key=self.title_field,
            ),
            Column("next_review_due", label="Next review due", sort_key="next_review_due"),
            Column("review_status_label", label="Status"),
            Column("last_reviewed", label="Last reviewed", sort_key="last_reviewed"),
            Column("reviewed_by", label="Reviewed by", sort_key="reviewed_by__name"),
        ]

    @property
    def list_export(self):
        return [
            self.title_field,
            "next_review_due",
            "review_status_label",
            "last_reviewed",
            "reviewed_by",
        ]

    @property
    def export_headings(self):
        return {
            self.title_field: self.noun,
            "next_review_due": "Next review due",
            "review_status_label": "Status",
            "last_reviewed": "Last reviewed",
            "reviewed_by": "Reviewed by",
        }

    def get_filename(self):
        return f"{self.index_url_name.replace('_', '-')}-{timezone.localdate().isoformat()}"

    # The on-screen table and the export sort alike: by a column's sort key.
    default_ordering = "next_review_due"

    def get_queryset(self):
        return self.due_for_review().order_by(self.ordering, self.title_field)

    def decorate_paginated_queryset(self, object_list):
        for item in object_list:
            item.review_status_label = STATUS_LABELS[item.review_status]
        return object_list

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return super().as_spreadsheet(
            self.decorate_paginated_queryset(list(queryset)), spreadsheet_format
        )


class GuidesDueForReviewView(DueForReviewReport, PageReportView):
    # Wagtail's page-report results show fixed page columns (title, updated,
    # type, status); the generic results template shows this report's columns.
    results_template_name = "wagtailadmin/reports/base_report_results.html"
    page_title = "Guides due for review"
    index_url_name = "guides_due_for_review"
    index_results_url_name = "guides_due_for_review_results"
    filterset_class = DueForReviewFilterSet

    def due_for_review(self):
        return guides_due_for_review()


class FAQsDueForReviewView(DueForReviewReport, ReportView):
    page_title = "FAQs due for review"
    index_url_name = "faqs_due_for_review"
    index_results_url_name = "faqs_due_for_review_results"
    model = FAQ
    filterset_class = FAQDueForReviewFilterSet
    title_field = "question"
    noun = "FAQ"
    edit_url_name = "wagtailsnippets_faqs_faq:edit"

    def due_for_review(self):
        return faqs_due_for_review()


class ReviewDuePanel(Component):
    """Dashboard: how many guides are overdue or due soon, the first few, and
    what the signed-in reviewer must do next (approvals waiting, their own
    guides and FAQs falling due)."""

    name = "review_due"
    template_name = "guides/review_due_panel.html"
    order = 110

    def get_context_data(self, parent_context):
        due = guides_due_for_review()
        today = timezone.localdate()
        overdue = Count("pk", filter=Q(next_review_due__lt=today))
        due_soon = Count("pk", filter=Q(next_review_due__gte=today))
        counts = due.aggregate(overdue=overdue, due_soon=due_soon)
        counts.update(
            faqs_due_for_review().order_by().aggregate(faqs_overdue=overdue, faqs_due_soon=due_soon)
        )
        user = parent_context["request"].user
        person = Person.objects.filter(user_id=user.pk).first()
        return {
            "guides": list(due[:6]),
            **counts,
            "pending_approvals": len(awaiting_approval_by(user)),
            "your_reviews_due": [
                {
                    "kind": item._meta.verbose_name,
                    "title": str(item),
                    "url": reverse("wagtailadmin_pages:edit", args=[item.pk])
                    if isinstance(item, GuidePage)
                    else reverse("wagtailsnippets_faqs_faq:edit", args=[item.pk]),
                    "due": item.next_review_due,
                    "overdue": item.review_status == "overdue",
                }
                for item in (reviews_due_for(person) if person else [])
            ],
        }


def workflow_action_url_name(obj):
    if isinstance(obj, Page):
        return "wagtailadmin_pages:workflow_action"
    return obj.snippet_viewset.get_url_name("workflow_action")


class AwaitingReviewPanel(WorkflowObjectsToModeratePanel):
    """Wagtail's "Awaiting your review", for clinical content: each item with its
    type, what this reviewer may not approve marked with the reason (the rule
    the approval itself enforces), and approving asks for confirmation, naming
    what will go live."""

    template_name = "guides/awaiting_review_panel.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        states = []
        for state in context["states"]:
            obj, task_state = state["obj"], state["task_state"]
            buttons = []
            for name, label, modal in state["actions"]:
                if name == "approve":
                    if any(button["name"] == "approve" for button in buttons):
                        continue  # one "Approve…", whose confirmation takes a comment
                    label, modal = "Approve…", True
                    url = reverse("guides_approve_from_dashboard", args=[task_state.pk])
                else:
                    url = reverse(
                        state["workflow_action_url_name"],
                        args=[quote(obj.pk), name, task_state.pk],
                    )
                buttons.append({"name": name, "label": label, "modal": modal, "url": url})
            # Listed, so the reviewer sees it is in review, but marked and not
            # counted as awaiting them; its approve dialog says why.
            refusal = approval_refusal(obj, user)
            states.append(
                {**state, "kind": content_label(obj), "buttons": buttons, "refusal": refusal}
            )
        context["states"] = states
        return context


def approve_from_dashboard(request, task_state_id):
    """The dashboard's "Approve…": Wagtail's own workflow action (its checks, its
    confirmation modal, the task's approval rule), then a message saying what
    was published."""
    task_state = get_object_or_404(TaskState, pk=task_state_id)
    obj = task_state.revision.content_object
    if obj is None:
        raise Http404
    url = reverse(workflow_action_url_name(obj), args=[quote(obj.pk), "approve", task_state.pk])
    match = resolve(url)
    response = match.func(request, *match.args, **match.kwargs)
    task_state.refresh_from_db()
    if request.method == "POST" and task_state.status == TaskState.STATUS_APPROVED:
        obj = type(obj)._default_manager.get(pk=obj.pk)
        what = f"{content_label(obj)} “{get_latest_str(obj)}” ({language_of(obj)})"
        if obj.live and obj.live_revision_id == task_state.revision_id:
            messages.success(request, f"{what} approved and published.")
        else:
            messages.success(request, f"{what} approved; it goes live when its workflow ends.")
    return response


@require_POST
def readability_check(request):
    """Scores the text an editor is writing, as they type, with the same code
    that scores a guide when it is saved."""
    text = request.POST.get("text", "")[:READABILITY_CHECK_MAX_CHARS]
    ids = [int(value) for value in request.POST.getlist("faq") if value.isdigit()]
    faqs = FAQ.objects.filter(pk__in=ids[:READABILITY_CHECK_MAX_FAQS]).order_by("pk")
    order = {pk: position for position, pk in enumerate(ids)}
    # The answer being written (a draft from the chooser, or edits in review),
    # in the order the guide shows them.
    answers = sorted(
        (faq.get_latest_revision_as_object() if faq.latest_revision_id else faq for faq in faqs),
        key=lambda faq: order[faq.pk],
    )
    return JsonResponse(readability.check(text, PlainLanguageTerm.objects.all(), answers))
