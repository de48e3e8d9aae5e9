"""What standard clients (Apollo Client, GraphiQL, browsers behind CORS and
gzipping proxies) send works: `__typename` with introspection off, a GET's
Content-Type, Apollo's CORS headers, weak ETags, GraphiQL's own introspection
query. The live end-to-end proof is .ci/clients.sh with real Node clients."""

import json
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from graphql import get_introspection_query

from cms.graphql.persisted_queries import document_hash
from cms.graphql.public_api import PUBLIC
from cms.graphql.view import GuidesGraphQLView

HUBS = "{ hubs { __typename title } }"


def post(client, query):
    response = client.post(
        "/graphql/", json.dumps({"query": query}), content_type="application/json"
    )
    return response.status_code, response.json()


def get(client, query, **headers):
    return client.get("/graphql/", {"query": query}, HTTP_ACCEPT="application/json", **headers)


@pytest.fixture
def no_introspection(settings):
    settings.GRAPHQL_INTROSPECTION_ENABLED = False


class TestTypenameWithIntrospectionOff:
    def test_typename_is_answered(self, client, hub, no_introspection):
        status, body = post(client, HUBS)
        assert status == 200, body
        assert body["data"]["hubs"][0] == {"__typename": "GuideIndexPage", "title": hub.title}

    @pytest.mark.parametrize(
        "query", ["{ __schema { types { name } } }", '{ __type(name: "GuidePage") { name } }']
    )
    def test_schema_and_type_are_refused(self, client, db, no_introspection, query):
        status, body = post(client, query)
        assert status == 400
        assert "introspection is disabled" in body["errors"][0]["message"]
        assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"

    def test_introspection_inside_a_selection_is_refused(self, client, db, no_introspection):
        status, body = post(
            client, "{ hubs { title __type: __typename } __schema { queryType { name } } }"
        )
        assert status == 400

    def test_register_check_accepts_apollo_documents(self, db, no_introspection, tmp_path):
        (tmp_path / "hubs.graphql").write_text("query Hubs { hubs { __typename id title } }")
        out = StringIO()
        call_command("register_persisted_queries", "--check", str(tmp_path), stdout=out)
        assert "1 document valid" in out.getvalue()


class TestGetContentType:
    def test_a_get_with_a_json_content_type_is_answered(self, client, hub, settings):
        settings.GRAPHQL_RESPONSE_CACHE_ENABLED = False
        response = get(client, HUBS, CONTENT_TYPE="application/json")
        assert response.status_code == 200, response.content
        assert response.json()["data"]["hubs"][0]["title"] == hub.title

    def test_an_apollo_persisted_get_is_answered(self, client, hub, settings):
        settings.GRAPHQL_RESPONSE_CACHE_ENABLED = False
        extensions = json.dumps(
            {"persistedQuery": {"version": 1, "sha256Hash": document_hash(HUBS)}}
        )
        first = client.get("/graphql/", {"extensions": extensions}, CONTENT_TYPE="application/json")
        assert first.json()["errors"][0]["message"] == "PersistedQueryNotFound"
        client.post(
            "/graphql/",
            json.dumps({"query": HUBS, "extensions": json.loads(extensions)}),
            content_type="application/json",
        )
        again = client.get("/graphql/", {"extensions": extensions}, CONTENT_TYPE="application/json")
        assert again.status_code == 200 and again.json()["data"]["hubs"], again.content


class TestWeakETags:
    @pytest.mark.parametrize("weak", [True, False])
    def test_if_none_match_compares_weakly_in_the_view(self, client, hub, weak):
        etag = get(client, HUBS)["ETag"]
        header = f"W/{etag}" if weak else "*"
        with mock.patch("cms.graphql.view.CachedAnswerMiddleware.cached_answer", return_value=None):
            response = get(client, HUBS, HTTP_IF_NONE_MATCH=header)
        assert response.status_code == 304
        assert response["ETag"] == etag

    @pytest.mark.parametrize("weak", [True, False])
    def test_if_none_match_compares_weakly_in_the_middleware(self, client, hub, weak):
        etag = get(client, HUBS)["ETag"]
        header = f'"other", W/{etag}' if weak else "*"
        with mock.patch.object(GuidesGraphQLView, "get_response") as view:
            response = get(client, HUBS, HTTP_IF_NONE_MATCH=header)
        view.assert_not_called()
        assert response.status_code == 304

    def test_another_weak_etag_gets_the_answer(self, client, hub):
        get(client, HUBS)
        assert get(client, HUBS, HTTP_IF_NONE_MATCH='W/"other"').status_code == 200


def test_cors_preflight_allows_apollo_headers(client, db, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.org"]
    response = client.options(
        "/graphql/",
        HTTP_ORIGIN="https://app.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type,apollographql-client-name,apollographql-client-version",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://app.example.org"
    allowed = {h.strip() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {"content-type", "apollographql-client-name", "apollographql-client-version"} <= allowed
    other = client.options(
        "/graphql/", HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert "Access-Control-Allow-Origin" not in other


class TestIntrospectionEnabled:
    def test_graphiqls_introspection_query_is_not_limited(self, client, db, settings):
        settings.GRAPHQL_INTROSPECTION_ENABLED = True
        settings.GRAPHQL_MAX_DEPTH = 3
        status, body = post(client, get_introspection_query(descriptions=True))
        assert status == 200, body["errors"]
        assert body["data"]["__schema"]["queryType"]["name"] == "Query"

    def test_the_limits_still_count_everything_else(self, client, db, settings):
        settings.GRAPHQL_INTROSPECTION_ENABLED = True
        settings.GRAPHQL_MAX_DEPTH = 1
        status, body = post(
            client, "{ __schema { queryType { name } } hubs { guides { items { title } } } }"
        )
        assert status == 400
        assert "too deep" in body["errors"][0]["message"]


def test_graphiql_page_loads_nothing_from_another_origin(rf):
    html = render_to_string("graphene/graphiql.html", {}, request=rf.get("/graphiql/"))
    assert "cdn." not in html and "https://" not in html and "http://" not in html
    for name in ("graphiql.min.js", "react.production.min.js", "react-dom.production.min.js"):
        assert f"/static/graphiql/{name}" in html
    assert Path("clients/scripts/copy-graphiql.mjs").exists()


def test_a_full_body_with_apollos_typename_in_every_fragment_is_accepted(graphql):
    # Apollo Client adds `__typename` to each inline fragment: 14 in the body's selection.
    fragments = " ".join(
        f"... on {name} {{ __typename id }}" for name in PUBLIC["GuideBodyBlock"]["implementations"]
    )
    status, body = graphql.post(
        f'{{ guide(slug: "none") {{ __typename body {{ __typename {fragments} }} }} }}'
    )
    assert status == 200, body
    assert body["data"] == {"guide": None}
