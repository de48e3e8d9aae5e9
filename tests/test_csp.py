"""Every response carries a Content-Security-Policy (django-csp, cms/http/csp.py):
nothing may load from the API's answers, the admin may run what its own
origin serves (inline scripts and styles included, which its widgets write),
GraphiQL only its own files and its nonce'd inline script."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import override_settings
from django.urls import clear_url_caches

from cms.http import database_unavailable as middleware
from cms.http.csp import ContentSecurityPolicyMiddleware


def policy(response):
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} {response}"
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")


PUBLIC = [
    ("get", "/api/ping/", {}),
    ("get", "/graphql/?query=%7Bhubs%7Btitle%7D%7D", {}),
    (
        "post",
        "/graphql/",
        {"data": {"query": "{ hubs { title } }"}, "content_type": "application/json"},
    ),
    ("post", "/graphql/", {"data": "not json", "content_type": "application/json"}),
    ("get", "/api/v2/pages/", {}),
    ("get", "/api/v2/pages/999999/", {}),
    ("get", "/health/", {}),
    ("get", "/no/such/page/", {}),
    ("get", "/documents/1/secret.pdf", {}),
    ("get", "/admin", {}),  # the slash redirect
]


@pytest.mark.parametrize(("method", "path", "kwargs"), PUBLIC)
def test_public_answers_may_load_nothing(client, db, method, path, kwargs):
    directives = policy(getattr(client, method)(path, **kwargs))
    assert directives["default-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"] and directives["form-action"] == ["'none'"]
    assert "script-src" not in directives and "style-src" not in directives


def test_the_503_while_the_database_is_away_has_it_too(client, db, monkeypatch):
    monkeypatch.setattr(middleware, "_unavailable_until", float("inf"))
    response = client.get("/api/v2/pages/")
    assert response.status_code == 503
    assert policy(response)["default-src"] == ["'none'"]


ADMIN = ["/admin/login/", "/admin/", "/admin/pages/", "/admin/images/", "/admin/password_reset/"]


@pytest.mark.parametrize("path", ADMIN)
def test_the_admin_runs_only_what_its_own_origin_serves(client, superuser, path):
    if path != "/admin/login/":
        client.force_login(superuser)
    directives = policy(client.get(path))
    assert directives["default-src"] == ["'self'"]
    # Wagtail's widgets write inline scripts and styles; nothing from elsewhere, no eval.
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    for sources in directives.values():
        assert not any(s.startswith(("http:", "https:")) or s == "*" for s in sources), sources


def test_the_admin_sends_nobody_to_gravatar(client, superuser):
    client.force_login(superuser)
    assert "gravatar.com" not in client.get("/admin/").content.decode()


@pytest.fixture
def graphiql(settings):
    settings.GRAPHIQL_ENABLED = True
    import importlib

    import cms.urls

    importlib.reload(cms.urls)
    clear_url_caches()
    yield
    settings.GRAPHIQL_ENABLED = False
    importlib.reload(cms.urls)
    clear_url_caches()


def test_graphiql_runs_its_own_files_and_its_nonced_inline_script(client, db, graphiql):
    response = client.get("/graphiql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    directives = policy(response)
    nonce = next(s for s in directives["script-src"] if s.startswith("'nonce-"))
    assert directives["script-src"] == ["'self'", nonce]
    assert directives["style-src"] == ["'self'", nonce]
    html = response.content.decode()
    value = nonce.removeprefix("'nonce-").removesuffix("'")
    # Every inline script and style carries it; script files come from this origin.
    inline = [tag for tag in re.findall(r"<(?:script|style)\b[^>]*>", html) if "src=" not in tag]
    assert len(inline) == 2 and all(f'nonce="{value}"' in tag for tag in inline), inline
    # A new nonce each time.
    assert policy(client.get("/graphiql/", HTTP_ACCEPT="text/html"))["script-src"][1] != nonce


@override_settings(CSP_POLICIES_BY_PATH=[])
def test_without_the_admin_policy_the_admin_would_be_refused_everything(client, superuser):
    # The admin's allowances come only from its own policy.
    assert policy(client.get("/admin/login/"))["default-src"] == ["'none'"]


def test_an_admin_preview_is_framed_by_the_admin_under_its_policy(rf):
    # Wagtail renders a preview through a dummy request with the page's own
    # path; the admin's preview panel and Checks panel frame that answer.
    request = rf.get("/second-opinion/asking-for-a-second-opinion/")
    request.is_preview = True
    response = ContentSecurityPolicyMiddleware(lambda r: HttpResponse("<p>page</p>"))(request)
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    request = rf.get("/second-opinion/asking-for-a-second-opinion/")
    response = ContentSecurityPolicyMiddleware(lambda r: HttpResponse("<p>page</p>"))(request)
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
