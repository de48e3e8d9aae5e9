"""Admin report and dashboard panel: guides due for clinical review."""

import django_filters
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import PageReportView
from wagtail.models import TaskState

from cms.models import Person
from guides.models import GuidePage
from guides.review import guides_due_for_review, reviews_due_for

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


class GuidesDueForReviewView(PageReportView):
    page_title = "Guides due for review"
    header_icon = "date"
    index_url_name = "guides_due_for_review"
    index_results_url_name = "guides_due_for_review_results"
    any_permission_required = ["add", "change", "publish"]
    filterset_class = DueForReviewFilterSet
    columns = [
        TitleColumn("title", label="Guide", url_name="wagtailadmin_pages:edit"),
        Column("next_review_due", label="Next review due", sort_key="next_review_due"),
        Column("review_status_label", label="Status"),
        Column("last_reviewed", label="Last reviewed", sort_key="last_reviewed"),
        Column("reviewed_by", label="Reviewed by", sort_key="reviewed_by__name"),
    ]
    list_export = [
        "title",
        "next_review_due",
        "review_status_label",
        "last_reviewed",
        "reviewed_by",
    ]
    export_headings = {
        "title": "Guide",
        "next_review_due": "Next review due",
        "review_status_label": "Status",
        "last_reviewed": "Last reviewed",
        "reviewed_by": "Reviewed by",
    }
    ORDERINGS = {
        "next_review_due",
        "-next_review_due",
        "last_reviewed",
        "-last_reviewed",
        "title",
        "-title",
        "reviewed_by__name",
        "-reviewed_by__name",
    }

    def get_filename(self):
        return f"guides-due-for-review-{timezone.localdate().isoformat()}"

    def get_queryset(self):
        ordering = self.request.GET.get("ordering", "next_review_due")
        if ordering not in self.ORDERINGS:
            ordering = "next_review_due"
        return guides_due_for_review().order_by(ordering, "title")

    def decorate_paginated_queryset(self, object_list):
        for guide in object_list:
            guide.review_status_label = STATUS_LABELS[guide.review_status]
        return object_list

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return super().as_spreadsheet(
            self.decorate_paginated_queryset(list(queryset)), spreadsheet_format
        )


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
        counts = due.aggregate(
            overdue=Count("pk", filter=Q(next_review_due__lt=today)),
            due_soon=Count("pk", filter=Q(next_review_due__gte=today)),
        )
        user = parent_context["request"].user
        person = Person.objects.filter(user_id=user.pk).first()
        return {
            "guides": list(due[:6]),
            **counts,
            "pending_approvals": TaskState.objects.reviewable_by(user).count(),
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
