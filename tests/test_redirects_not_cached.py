"""No redirect may be kept by a shared cache (a CDN, Varnish): a redirect
depends on more than its URL (the scheme the proxy saw, the session, the
frontend's address), so each one says `private, no-store`, whoever answers it."""

import pytest
from django.contrib.auth import get_user_model
from django.utils.cache import get_max_age
from wagtail.contrib.redirects.models import Redirect

from cms.http.redirects import PrivateRedirectsMiddleware

FRONTEND = "https://guides.example.org"


def assert_not_shared(response):
    assert response.status_code in (301, 302, 303, 307, 308), response.status_code
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, response.get("Cache-Control")
    assert "public" not in directives and not any(d.startswith("s-maxage") for d in directives)
    assert get_max_age(response) is None


@pytest.fixture
def https_only(settings):
    # As in production (cms.settings.production) behind the TLS proxy.
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def test_the_https_redirect_of_a_plain_http_request_is_private(client, https_only, db):
    # The request that poisoned the shared cache: the same URL over HTTPS must
    # never be answered with this redirect by a proxy.
    for path in ("/graphql/?query=%7Bhubs%7Btitle%7D%7D", "/api/v2/pages/", "/admin/"):
        response = client.get(path, HTTP_X_FORWARDED_PROTO="http")
        assert response["Location"].startswith("https://")
        assert_not_shared(response)


def test_the_same_url_over_https_is_no_redirect(client, https_only, db):
    response = client.get("/api/ping/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "kind",
    ["append slash", "admin login", "wagtail redirect", "frontend page", "admin logout"],
)
def test_every_kind_of_redirect_is_private(client, settings, make_guide, kind):
    settings.FRONTEND_BASE_URL = FRONTEND + "/"
    if kind == "append slash":
        response = client.get("/admin")
    elif kind == "admin login":
        response = client.get("/admin/pages/")
    elif kind == "wagtail redirect":
        Redirect.objects.create(old_path="/old-guide", redirect_link=FRONTEND + "/new/")
        response = client.get("/old-guide/")
    elif kind == "frontend page":
        response = client.get(make_guide().url)
    else:
        user = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
        client.force_login(user)
        response = client.post("/admin/logout/")
    assert_not_shared(response)


def test_a_redirect_that_asked_to_be_public_is_made_private(rf):
    from django.http import HttpResponsePermanentRedirect

    def view(request):
        response = HttpResponsePermanentRedirect("/elsewhere/")
        response["Cache-Control"] = "public, max-age=600, s-maxage=3600"
        response["Expires"] = "Thu, 01 Jan 2099 00:00:00 GMT"
        return response

    response = PrivateRedirectsMiddleware(view)(rf.get("/"))
    assert_not_shared(response)
    assert "Expires" not in response


def test_a_304_is_left_alone(rf):
    from django.http import HttpResponseNotModified

    def view(request):
        response = HttpResponseNotModified()
        response["Cache-Control"] = "public, s-maxage=60"
        return response

    assert PrivateRedirectsMiddleware(view)(rf.get("/"))["Cache-Control"] == "public, s-maxage=60"
