"""The endpoint is bounded and its errors are JSON with a code, never a traceback."""

import json

import pytest


def nested(levels):
    """A guide with `levels` fields nested below it (its hub, the hub's guides,
    their items, their hub...), then `__typename`."""
    chain = ["hub", "guides(perPage: 1)", "items"]
    inner = "__typename"
    for level in reversed(range(levels)):
        inner = f"{chain[level % 3]} {{ {inner} }}"
    return f'{{ guide(slug: "x") {{ {inner} }} }}'


def post_raw(client, body, content_type="application/json"):
    response = client.post("/graphql/", data=body, content_type=content_type)
    return response.status_code, response.json()


def code(body):
    return body["errors"][0]["extensions"]["code"]


@pytest.mark.django_db
def test_depth_over_ten_is_refused(client):
    # Depth counts from the root field: guide, ten nested fields and a leaf is 11 deep.
    status, body = post_raw(client, json.dumps({"query": nested(10)}))
    assert status == 400
    assert body["errors"][0]["message"] == "Query is too deep: 11 levels, the most is 10."
    assert code(body) == "QUERY_TOO_COMPLEX"


@pytest.mark.django_db
def test_depth_of_ten_is_allowed(graphql):
    assert graphql.data(nested(9)) == {"guide": None}


@pytest.mark.django_db
def test_more_than_fifteen_aliases_are_refused(client):
    aliases = " ".join(f"a{i}: hubs {{ title }}" for i in range(16))
    status, body = post_raw(client, json.dumps({"query": f"{{ {aliases} }}"}))
    assert status == 400
    assert body["errors"][0]["message"] == "Too many aliases: the most is 15."
    assert code(body) == "QUERY_TOO_COMPLEX"
    fifteen = " ".join(f"a{i}: hubs {{ title }}" for i in range(15))
    assert post_raw(client, json.dumps({"query": f"{{ {fifteen} }}"}))[0] == 200


@pytest.mark.django_db
def test_costly_queries_are_refused_with_their_cost(client):
    query = "{ guides(perPage: 100) { items { title body { __typename ... on ParagraphBlock { id kind value } } relatedGuides { title summary body { ... on HeadingBlock { id kind } } } } } }"
    status, body = post_raw(client, json.dumps({"query": query}))
    assert status == 400
    assert code(body) == "QUERY_TOO_COMPLEX"
    assert body["errors"][0]["extensions"]["cost"] > 25_000
    cheap = "{ guides(perPage: 100) { items { title summary category { name } } } }"
    assert post_raw(client, json.dumps({"query": cheap}))[0] == 200


@pytest.mark.django_db
def test_a_variable_page_size_is_costed_at_the_maximum(client):
    query = "query ($n: Int) { guides(perPage: $n) { items { title body { __typename ... on ParagraphBlock { id kind value } } relatedGuides { title summary body { ... on HeadingBlock { id kind } } } } } }"
    status, body = post_raw(client, json.dumps({"query": query, "variables": {"n": 5}}))
    assert code(body) == "QUERY_TOO_COMPLEX"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "query { home { ...F } } fragment F on HomePage { title ...F }",
        "query { home { ...A } } fragment A on HomePage { ...B } fragment B on HomePage { ...A }",
        "{ home { ...Missing } }",
    ],
)
def test_cyclic_and_unknown_fragments_are_validation_errors(client, query):
    status, body = post_raw(client, json.dumps({"query": query}))
    assert status == 400
    assert code(body) == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"query": 5}, "query must be a string."),
        ({"query": ["{ hubs { title } }"]}, "query must be a string."),
        ({"query": "{ hubs { title } }", "variables": [1]}, "variables must be a JSON object."),
        ([1, 2], "The received data is not a valid JSON query."),
    ],
)
def test_malformed_parameters_are_bad_requests(client, payload, message):
    status, body = post_raw(client, json.dumps(payload))
    assert status == 400
    assert body["errors"][0] == {"message": message, "extensions": {"code": "BAD_REQUEST"}}


def test_one_bad_argument_leaves_the_rest_of_the_answer(graphql):
    status, body = graphql.post(
        '{ hubs { title } search(query: "") { total } guides(perPage: 500) { items { title } } }'
    )
    assert status == 200
    assert body["data"] == {"hubs": [], "search": None, "guides": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT", "BAD_USER_INPUT"]


@pytest.mark.django_db
def test_request_body_over_16_kb_is_refused(client):
    padding = " " * (16 * 1024)
    status, body = post_raw(client, json.dumps({"query": "{ hubs { title } }" + padding}))
    assert status == 413
    assert code(body) == "REQUEST_TOO_LARGE"


@pytest.mark.django_db
def test_standard_validation_still_applies(client):
    status, body = post_raw(client, json.dumps({"query": "{ hubs { nosuchfield } }"}))
    assert status == 400
    assert "Cannot query field 'nosuchfield'" in body["errors"][0]["message"]
    assert code(body) == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "content_type", "expected_status", "expected_code"),
    [
        ("{not json", "application/json", 400, "BAD_REQUEST"),
        (json.dumps({"variables": {}}), "application/json", 400, "BAD_REQUEST"),
        (json.dumps({"query": "{ hubs { title "}), "application/json", 400, "GRAPHQL_PARSE_FAILED"),
        (
            json.dumps(
                {
                    "query": "query ($n: Int) { guides(perPage: $n) { items { title } } }",
                    "variables": {"n": "ten"},
                }
            ),
            "application/json",
            400,
            "BAD_USER_INPUT",
        ),
    ],
)
def test_bad_requests_get_json_errors_with_codes(
    client, body, content_type, expected_status, expected_code
):
    status, payload = post_raw(client, body, content_type)
    assert status == expected_status, payload
    assert code(payload) == expected_code
    assert "Traceback" not in json.dumps(payload)


@pytest.mark.django_db
def test_wrong_method_is_405_with_a_json_error(client):
    response = client.put("/graphql/", data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


@pytest.mark.django_db
def test_introspection_is_off_when_disabled(client, settings):
    settings.GRAPHQL_INTROSPECTION_ENABLED = False
    status, body = post_raw(client, json.dumps({"query": "{ __schema { types { name } } }"}))
    assert status == 400
    assert "introspection is disabled" in body["errors"][0]["message"].lower()
    assert post_raw(client, json.dumps({"query": "{ hubs { title } }"}))[0] == 200


def test_resolver_failures_do_not_leak_internals(graphql, make_guide, monkeypatch):
    from guides.models import GuidePage

    make_guide(slug="broken")

    def explode(self, info, **kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(GuidePage, "api_key_highlights", explode)
    status, body = graphql.post('{ guide(slug: "broken") { title keyHighlights } }')
    assert body["errors"][0]["message"] == "Something went wrong while answering this query."
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "hunter2" not in json.dumps(body)


@pytest.mark.django_db
def test_limits_changed_after_a_document_was_checked_still_apply(client, settings):
    # Documents are parsed and validated once per process; the limits are part of that memory.
    settings.GRAPHQL_RESPONSE_CACHE_ENABLED = False
    body = json.dumps({"query": nested(6)})
    assert post_raw(client, body)[0] == 200
    settings.GRAPHQL_MAX_DEPTH = 5
    status, answer = post_raw(client, body)
    assert status == 400
    assert answer["errors"][0]["message"] == "Query is too deep: 7 levels, the most is 5."


@pytest.mark.django_db
def test_answers_set_no_cookies(client):
    # A Set-Cookie header would stop CDNs from caching public answers.
    response = client.post(
        "/graphql/", json.dumps({"query": "{ hubs { title } }"}), content_type="application/json"
    )
    assert response.status_code == 200
    assert not response.cookies
