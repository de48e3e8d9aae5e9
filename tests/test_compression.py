"""Compressed API answers: brotli or gzip as the client accepts, weak ETags
that still revalidate, Vary for shared caches, cached answers compressed once,
and nothing compressed outside the public API."""

import contextlib
import gzip
import hashlib
import json
from unittest import mock

import brotli
import pytest
from django.test import Client

from cms.graphql.view import GuidesGraphQLView
from cms.http import compression
from tests.admin_workflow import publish_reviewed

GUIDES = "{ guides { items { title slug url summary publishedDate } } }"
SMALL = "{ hubs { title } }"


def decoded(response):
    coding = response.get("Content-Encoding")
    content = response.content
    if coding == "br":
        return brotli.decompress(content)
    if coding == "gzip":
        return gzip.decompress(content)
    assert coding is None, coding
    return content


def get(client, query=GUIDES, encoding=None, **headers):
    if encoding is not None:
        headers["HTTP_ACCEPT_ENCODING"] = encoding
    return client.get("/graphql/", {"query": query}, HTTP_ACCEPT="application/json", **headers)


def post(client, query=GUIDES, encoding=None, **headers):
    if encoding is not None:
        headers["HTTP_ACCEPT_ENCODING"] = encoding
    return client.post(
        "/graphql/", json.dumps({"query": query}), content_type="application/json", **headers
    )


def vary(response):
    return {value.strip().lower() for value in response.get("Vary", "").split(",")}


@pytest.fixture
def guides(make_guide):
    return [
        make_guide(f"Asking for a second opinion, part {number}", slug=f"second-opinion-{number}")
        for number in range(4)
    ]


class TestNegotiation:
    @pytest.mark.parametrize(
        ("header", "coding"),
        [
            ("gzip, deflate, br", "br"),
            ("br", "br"),
            ("gzip", "gzip"),
            ("GZip", "gzip"),
            ("br;q=0, gzip", "gzip"),
            ("gzip;q=0.5, br;q=0.4", "gzip"),
            ("gzip;q=0.5, br;q=0.9", "br"),
            ("*", "br"),
            ("*;q=0", None),
            ("gzip;q=0", None),
            ("identity", None),
            ("identity;q=1, *;q=0", None),
            ("deflate", None),
            ("br;q=nonsense, gzip", "gzip"),
            (";;;q=,,=,", None),
            ("", None),
        ],
    )
    def test_the_best_accepted_coding_wins(self, client, guides, header, coding):
        plain = get(client)
        response = get(client, encoding=header)
        assert response.status_code == 200
        assert response.get("Content-Encoding") == coding
        assert decoded(response) == plain.content
        assert int(response["Content-Length"]) == len(response.content)
        assert "accept-encoding" in vary(response)

    def test_compressed_answers_are_much_smaller(self, client, guides):
        plain = get(client).content
        assert len(get(client, encoding="gzip").content) < len(plain) / 2
        assert len(get(client, encoding="br").content) < len(get(client, encoding="gzip").content)

    def test_small_answers_stay_as_they_are(self, client, hub, settings):
        response = get(client, SMALL, encoding="br")
        assert len(response.content) < settings.API_COMPRESSION_MIN_BYTES
        assert "Content-Encoding" not in response and not response["ETag"].startswith("W/")
        assert "accept-encoding" in vary(response)

    def test_the_threshold_is_a_setting(self, client, guides, settings):
        plain = get(client).content
        settings.API_COMPRESSION_MIN_BYTES = len(plain) + 1
        assert "Content-Encoding" not in post(client, encoding="gzip")
        settings.API_COMPRESSION_MIN_BYTES = len(plain)
        assert post(client, encoding="gzip")["Content-Encoding"] == "gzip"

    def test_posts_and_errors(self, client, guides, settings):
        response = post(client, encoding="gzip")
        assert response["Content-Encoding"] == "gzip"
        assert json.loads(decoded(response))["data"]["guides"]["items"]
        error = post(client, "{ guides { nope } }", encoding="gzip")
        assert error.status_code == 400 and "accept-encoding" in vary(error)
        assert json.loads(decoded(error))["errors"][0]["extensions"]["code"]


class TestETags:
    """A compressed answer's ETag is the uncompressed one's, weak; If-None-Match
    with either form, or `*`, still gets a 304, from the middleware or the view."""

    @pytest.mark.parametrize("through_view", [False, True])
    @pytest.mark.parametrize("form", ["strong", "weak", "star", "list"])
    def test_any_form_of_the_tag_gets_304(self, client, guides, through_view, form):
        strong = get(client)["ETag"]
        compressed = get(client, encoding="br")
        assert compressed["Content-Encoding"] == "br"
        assert compressed["ETag"] == f"W/{strong}"
        header = {
            "strong": strong,
            "weak": f"W/{strong}",
            "star": "*",
            "list": f'"other", W/{strong}',
        }[form]
        # The view's own check, or the middleware's before it.
        skip_middleware = mock.patch(
            "cms.graphql.view.CachedAnswerMiddleware.cached_answer", return_value=None
        )
        with skip_middleware if through_view else contextlib.nullcontext():
            response = get(client, encoding="br", HTTP_IF_NONE_MATCH=header)
        assert response.status_code == 304 and response.content == b""
        assert "Content-Encoding" not in response
        assert response["ETag"] == f"W/{strong}"
        assert "accept-encoding" in vary(response)

    def test_an_uncompressed_304_keeps_the_strong_tag(self, client, guides):
        strong = get(client)["ETag"]
        response = get(client, encoding="identity", HTTP_IF_NONE_MATCH=f"W/{strong}")
        assert response.status_code == 304 and response["ETag"] == strong

    def test_another_tag_gets_the_compressed_answer(self, client, guides):
        get(client)
        response = get(client, encoding="gzip", HTTP_IF_NONE_MATCH='W/"other"')
        assert response.status_code == 200 and response["Content-Encoding"] == "gzip"


class TestCompressedOnce:
    """The response cache keeps an answer's compressed bytes: hits pick them."""

    def test_hits_compress_nothing(self, client, guides):
        with mock.patch.object(compression, "encode", wraps=compression.encode) as encode:
            first = get(client, encoding="br")  # the miss: each coding once
            assert sorted(call.args[0] for call in encode.call_args_list) == ["br", "gzip"]
            with mock.patch.object(GuidesGraphQLView, "get_response") as view:
                hits = [get(client, encoding=coding) for coding in ("br", "gzip") * 5]
            view.assert_not_called()  # served by CachedAnswerMiddleware
            posts = [post(client, encoding=coding) for coding in ("gzip", "br") * 3]
            assert encode.call_count == 2
        for response in [first, *hits, *posts]:
            assert response.status_code == 200
            assert json.loads(decoded(response)) == json.loads(get(client).content)
        assert {response["Content-Encoding"] for response in hits} == {"br", "gzip"}

    def test_hits_after_a_publish_compress_the_new_answer_once(self, client, guides):
        get(client, encoding="gzip")
        guides[0].title = "Getting a second opinion"
        publish_reviewed(guides[0])
        with mock.patch.object(compression, "encode", wraps=compression.encode) as encode:
            answers = [decoded(get(client, encoding="gzip")) for _ in range(4)]
        assert encode.call_count == 2
        assert all(b"Getting a second opinion" in answer for answer in answers)

    def test_uncached_answers_compress_per_request(self, client, guides, settings):
        settings.GRAPHQL_RESPONSE_CACHE_ENABLED = False
        with mock.patch.object(compression, "encode", wraps=compression.encode) as encode:
            for _ in range(3):
                assert get(client, encoding="gzip")["Content-Encoding"] == "gzip"
        assert [call.args[0] for call in encode.call_args_list] == ["gzip"] * 3


def test_persisted_query_gets_are_compressed(client, guides):
    sha = hashlib.sha256(GUIDES.encode()).hexdigest()
    extensions = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": sha}})
    post_body = {"query": GUIDES, "extensions": json.loads(extensions)}
    client.post("/graphql/", json.dumps(post_body), content_type="application/json")
    response = client.get("/graphql/", {"extensions": extensions}, HTTP_ACCEPT_ENCODING="br")
    assert response.status_code == 200 and response["Content-Encoding"] == "br"
    assert json.loads(decoded(response))["data"]["guides"]["items"]


class TestRESTAPI:
    def test_listings_and_details_are_compressed(self, client, guides):
        params = {"type": "guides.GuidePage", "fields": "summary"}
        plain = client.get("/api/v2/pages/", params)
        for coding in ("br", "gzip"):
            response = client.get("/api/v2/pages/", params, HTTP_ACCEPT_ENCODING=coding)
            assert response.status_code == 200 and response["Content-Encoding"] == coding
            assert decoded(response) == plain.content
            assert int(response["Content-Length"]) == len(response.content)
            assert "accept-encoding" in vary(response)
        page = plain.json()["items"][0]["id"]
        detail = client.get(f"/api/v2/pages/{page}/", HTTP_ACCEPT_ENCODING="gzip;q=1, br;q=0")
        assert detail["Content-Encoding"] == "gzip"
        assert json.loads(decoded(detail))["id"] == page

    def test_refused_accept_encoding_is_respected(self, client, guides):
        response = client.get(
            "/api/v2/pages/", {"type": "guides.GuidePage"}, HTTP_ACCEPT_ENCODING="*;q=0"
        )
        assert response.status_code == 200 and "Content-Encoding" not in response


class TestNotTheAdmin:
    """The admin's pages carry CSRF tokens: never compressed (BREACH)."""

    def test_admin_pages_are_sent_as_they_are(self, db, django_user_model):
        client = Client()
        login = client.get("/admin/login/", HTTP_ACCEPT_ENCODING="gzip, br")
        assert login.status_code == 200 and b"csrfmiddlewaretoken" in login.content
        assert "Content-Encoding" not in login
        user = django_user_model.objects.create_superuser("admin", "a@example.org", "pw")
        client.force_login(user)
        dashboard = client.get("/admin/", HTTP_ACCEPT_ENCODING="gzip, br")
        assert dashboard.status_code == 200 and "Content-Encoding" not in dashboard
