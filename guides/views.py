"""Admin report and dashboard panel: guides due for clinical review."""

from django.db.models import Count, Q
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import PageReportView

from guides.review import guides_due_for_review

STATUS_LABELS = {"overdue": "Overdue", "due_soon": "Due soon", "current": "Current"}


class GuidesDueForReviewView(PageReportView):
    page_title = "Guides due for review"
    header_icon = "date"
    index_url_name = "guides_due_for_review"
    index_results_url_name = "guides_due_for_review_results"
    any_permission_required = ["add", "change", "publish"]
    columns = [
        TitleColumn("title", label="Guide", url_name="wagtailadmin_pages:edit"),
        Column("next_review_due", label="Next review due", sort_key="next_review_due"),
        Column("review_status_label", label="Status"),
        Column("last_reviewed", label="Last reviewed", sort_key="last_reviewed"),
        Column("reviewed_by", label="Reviewed by"),
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
    """Dashboard: how many guides are overdue or due soon, and the first few."""

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
        return {"guides": list(due[:6]), **counts}
