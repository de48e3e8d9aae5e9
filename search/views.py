"""Admin report: what people search for, and what they do not find.

Only queries that several different clients asked (SEARCH_REPORT_MIN_CLIENTS,
search/models.py) are listed, and each client counts once a day per query:
one script's junk, however often sent, never reaches editors."""

import datetime

import django_filters
from django.db.models import Max, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.text import Truncator
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from search.models import SearchQueryLog

PERIODS = [("7", "Last 7 days"), ("30", "Last 30 days"), ("365", "Last 12 months")]


class SearchTermsFilterSet(WagtailFilterSet):
    period = django_filters.ChoiceFilter(
        label="Period", choices=PERIODS, empty_label="All time", method="filter_period"
    )
    zero_results = django_filters.BooleanFilter(
        label="Only searches that found nothing", method="filter_zero_results"
    )

    def filter_period(self, queryset, name, value):
        since = timezone.localdate() - datetime.timedelta(days=int(value))
        return queryset.filter(day__gt=since)

    def filter_zero_results(self, queryset, name, value):
        return queryset.filter(zero_result_searches__gt=0) if value else queryset

    class Meta:
        model = SearchQueryLog
        fields = []


class SearchTextColumn(Column):
    """Long search text is shortened on screen (the CSV export has it whole)."""

    def get_value(self, instance):
        return Truncator(super().get_value(instance)).chars(80)


class SearchTermsReportView(ReportView):
    """Top searches and searches with no results, with counts; exportable as CSV."""

    page_title = "What people search for"
    header_icon = "search"
    index_url_name = "search_terms_report"
    index_results_url_name = "search_terms_report_results"
    filterset_class = SearchTermsFilterSet
    model = SearchQueryLog
    any_permission_required = ["add", "change", "delete"]
    columns = [
        SearchTextColumn("query", label="Search text"),
        Column("searches", label="Searches", sort_key="searches"),
        Column("zero_result_searches", label="Found nothing", sort_key="zero_result_searches"),
        Column("last_result_count", label="Results last time"),
        Column("last_day", label="Last searched", sort_key="last_day"),
    ]
    list_export = ["query", "searches", "zero_result_searches", "last_result_count", "last_day"]
    export_headings = {
        "query": "Search text",
        "searches": "Searches",
        "zero_result_searches": "Searches that found nothing",
        "last_result_count": "Results last time",
        "last_day": "Last searched",
    }
    default_ordering = "-searches"
    ORDERINGS = {
        "searches",
        "-searches",
        "zero_result_searches",
        "-zero_result_searches",
        "last_day",
        "-last_day",
    }

    def get_filename(self):
        return f"search-terms-{timezone.localdate().isoformat()}"

    def get_ordering(self):
        ordering = self.request.GET.get("ordering", self.default_ordering)
        return ordering if ordering in self.ORDERINGS else self.default_ordering

    def get_base_queryset(self):
        return self.get_queryset()

    def get_queryset(self):
        shown = SearchQueryLog.objects.filter(asked_by_several=True).values("query")
        return SearchQueryLog.objects.filter(query__in=shown)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return (
            queryset.values("query")
            .annotate(
                searches=Sum("searches"),
                zero_result_searches=Sum("zero_result_searches"),
                last_result_count=Subquery(
                    SearchQueryLog.objects.filter(query=OuterRef("query"))
                    .order_by("-day")
                    .values("last_result_count")[:1]
                ),
                last_day=Max("day"),
            )
            .order_by(self.get_ordering(), "query")
        )
