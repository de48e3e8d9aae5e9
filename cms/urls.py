from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from health_check.views import HealthCheckView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.api_views import api_router, ping
from cms.graphql.view import GuidesGraphQLView

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Frontends call the API from other origins with no session cookie.
    # With or without the trailing slash: clients differ, and a redirect would drop a POST body.
    re_path(r"^graphql/?$", csrf_exempt(GuidesGraphQLView.as_view(graphiql=False)), name="graphql"),
    # Wagtail's REST API, read-only, with the GraphQL visibility rules (cms/api_views.py).
    path("api/v2/", api_router.urls),
    path("api/ping/", ping, name="ping"),
    path(
        "health/",
        HealthCheckView.as_view(checks=["health_check.checks.Database"]),
        name="health",
    ),
]

if settings.GRAPHIQL_ENABLED:
    urlpatterns.append(
        path("graphiql/", csrf_exempt(GuidesGraphQLView.as_view(graphiql=True)), name="graphiql")
    )

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
