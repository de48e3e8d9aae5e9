from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from health_check.views import HealthCheckView
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.account import PasswordResetView
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
from wagtail.documents.views import serve as wagtaildocs_serve

from cms.graphql.json_schemas import json_schema
from cms.graphql.view import GuidesGraphQLView
from cms.http.admin_input import chooser_creation_or_404
from cms.http.frontend_redirect import editors_only, frontend_redirect
from cms.http.login_throttling import throttle_password_reset
from cms.http.media import media_urlpatterns
from cms.publishing.new_forms import NewPageView
from cms.rest.views import api_router, ping

urlpatterns = [
    # Before Wagtail's own: a new page's form is not autosaved (cms/publishing/new_forms.py).
    path(
        "admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/",
        NewPageView.as_view(),
    ),
    # No /django-admin/: everything is managed in the Wagtail admin, whose login
    # django-axes throttles.
    # Ahead of the admin's own route for it: each post sends an email.
    path("admin/password_reset/", throttle_password_reset(PasswordResetView.as_view())),
    # Ahead of Wagtail's: a POST there without a creation form was a 500.
    path(
        "admin/snippets/choose/<str:app_label>/<str:model_name>/create/",
        chooser_creation_or_404,
    ),
    path("admin/", include(wagtailadmin_urls)),
    # Documents are for editors: no API field links to one, so the public has
    # no business downloading them (private collections, unused files).
    re_path(
        r"^documents/(\d+)/(.*)$",
        editors_only(wagtaildocs_serve.serve),
        name="wagtaildocs_serve",
    ),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        editors_only(wagtaildocs_serve.authenticate_with_password),
        name="wagtaildocs_authenticate_with_password",
    ),
    # Frontends call the API from other origins with no session cookie.
    # With or without the trailing slash: clients differ, and a redirect would drop a POST body.
    re_path(r"^graphql/?$", csrf_exempt(GuidesGraphQLView.as_view(graphiql=False)), name="graphql"),
    # Wagtail's REST API, read-only, with the GraphQL visibility rules (cms/rest/views.py).
    path("api/v2/", api_router.urls),
    path("api/ping/", ping, name="ping"),
    # JSON Schemas of the JSON values the API answers (rich-text trees), at their `$id`.
    re_path(r"^schema/(?P<name>[a-z0-9-]+)\.schema\.json$", json_schema, name="json_schema"),
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
else:
    urlpatterns += media_urlpatterns()  # SERVE_MEDIA=true: the image folders only

# No public HTML: a page's address redirects to the frontend, or is a 404
# (cms/http/frontend_redirect.py). Named like Wagtail's route so page.url and the
# admin's "View live" keep working; Wagtail's page password and login forms
# (its `_util/` views) are not routed, since no page is served to unlock.
urlpatterns.append(
    re_path(
        r"^((?:[\w\-]+/)*)$" if WAGTAIL_APPEND_SLASH else r"^([\w\-/]*)$",
        frontend_redirect,
        name="wagtail_serve",
    )
)
