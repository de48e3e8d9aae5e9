from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.graphql.limits import costs
from search.models import SearchSynonym
from search.queries import SearchQueries
from search.views import SearchTermsReportView


class SearchSynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    icon = "search"
    menu_label = "Search synonyms"
    add_to_admin_menu = False
    list_display = ["terms"]
    search_fields = ["terms"]


register_snippet(SearchSynonymViewSet)


# What one call costs (cms/graphql/limits.py, units of about 10 µs): a search
# ranks the whole index and excerpts its page, 30-50 ms on the demo content
# whatever the page size; a suggestion is one or two index scans, about 13 ms.
costs(5_000)(SearchQueries.resolve_search)
costs(1_500)(SearchQueries.resolve_search_suggestions)


@hooks.register("register_schema_query")
def register_search_queries(query_mixins):
    query_mixins.append(SearchQueries)


@hooks.register("register_admin_urls")
def register_search_report_urls():
    return [
        path("reports/search-terms/", SearchTermsReportView.as_view(), name="search_terms_report"),
        path(
            "reports/search-terms/results/",
            SearchTermsReportView.as_view(results_only=True),
            name="search_terms_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_search_report_menu_item():
    return AdminOnlyMenuItem(
        "What people search for", reverse("search_terms_report"), icon_name="search", order=700
    )
