"""Wagtail's REST API v2, read-only at /api/v2/, with the same visibility rules
as GraphQL: only live, public, unexpired pages can be listed, fetched by id,
found by path or named as a parent. Also the smallest JSON view of the stack.
"""

from django.http import JsonResponse
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from cms.visibility import visible_pages


class VisiblePagesAPIViewSet(PagesAPIViewSet):
    # Patient search is GraphQL `search`; Wagtail's search cannot apply the
    # expiry filter below, so `?search=` is refused as an unknown parameter.
    filter_backends = [f for f in PagesAPIViewSet.filter_backends if f is not SearchFilter]
    known_query_parameters = PagesAPIViewSet.known_query_parameters - {
        "search",
        "search_operator",
    }

    def get_base_queryset(self):
        # Wagtail's own rules (live, not restricted for this request, this site)
        # narrowed to ours: no restricted page at all, nothing expired.
        return visible_pages(super().get_base_queryset())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", VisiblePagesAPIViewSet)


def ping(request):
    """The floor of the stack: Django, middleware and a JSON response, no
    database. Benchmarks compare API endpoints with it, and load balancers may
    use it to check the process is up without touching PostgreSQL."""
    return JsonResponse({"ok": True})
