"""Every hostile request of benchmarks/hostile_documents.py is refused with a
4xx JSON error carrying a code (how fast: benchmarks/hostile_documents_benchmark.py),
and the new limits say which setting they apply."""

import json

import pytest

from benchmarks.hostile_documents import (
    SRC_SET_VARIABLE,
    fragment_bomb,
    hostile_requests,
    many_variables,
    repeated_fields,
    search_kinds,
    src_set,
)

HOSTILE = list(hostile_requests())


def post(client, body):
    response = client.generic("POST", "/graphql/", body, content_type="application/json")
    return response.status_code, response.json()


def error(body):
    return body["errors"][0]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "body"), HOSTILE, ids=[name for name, _ in HOSTILE])
def test_each_hostile_request_is_refused_with_a_json_error(client, name, body):
    status, answer = post(client, body)
    assert 400 <= status < 500, (name, status, answer)
    assert "data" not in answer or answer["data"] is None
    assert error(answer)["extensions"]["code"]


@pytest.mark.django_db
def test_a_fragment_bomb_is_refused_for_its_expanded_fields(client):
    status, answer = post(client, json.dumps({"query": fragment_bomb(40)}).encode())
    assert status == 400
    limits = {e["extensions"]["limit"]: e["extensions"] for e in answer["errors"]}
    # Measured once per fragment: 2**40 title fields plus the guide, never walked one by one.
    assert limits["GRAPHQL_MAX_FIELDS"] == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "GRAPHQL_MAX_FIELDS",
        "fields": 2**40 + 1,
    }


@pytest.mark.django_db
def test_fields_are_counted_after_expansion_and_allowed_up_to_the_limit(client, settings):
    settings.GRAPHQL_MAX_FIELDS = 20
    settings.GRAPHQL_MAX_REPEATED_FIELDS = 100
    allowed = json.dumps({"query": repeated_fields(19)}).encode()  # hubs + 19 titles
    assert post(client, allowed)[0] == 200
    status, answer = post(client, json.dumps({"query": repeated_fields(20)}).encode())
    assert status == 400
    assert (
        error(answer)["message"] == "Too many fields: 21 with fragments expanded, the most is 20."
    )


@pytest.mark.django_db
def test_the_token_limit_applies_while_parsing(client, settings):
    settings.GRAPHQL_MAX_TOKENS = 50
    status, answer = post(client, json.dumps({"query": repeated_fields(60)}).encode())
    assert status == 400
    assert error(answer)["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "GRAPHQL_MAX_TOKENS",
    }
    assert "more than 50 tokens" in error(answer)["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "argument"),
    [(src_set(11), "sizes"), (search_kinds(11), "kinds")],
)
def test_list_arguments_are_bounded_by_name(client, query, argument):
    status, answer = post(client, json.dumps({"query": query}).encode())
    assert status == 400
    assert error(answer)["message"] == (
        f"The list given to `{argument}` has 11 items: the most is 10 (GRAPHQL_MAX_LIST_ITEMS)."
    )
    assert error(answer)["extensions"]["limit"] == "GRAPHQL_MAX_LIST_ITEMS"


@pytest.mark.django_db
def test_lists_in_variables_are_bounded_too(client):
    ok = json.dumps({"query": SRC_SET_VARIABLE, "variables": {"sizes": [320, 640]}}).encode()
    assert post(client, ok)[0] == 200
    long = json.dumps({"query": SRC_SET_VARIABLE, "variables": {"sizes": [320] * 11}}).encode()
    status, answer = post(client, long)
    assert status == 400
    assert error(answer)["extensions"]["limit"] == "GRAPHQL_MAX_LIST_ITEMS"


@pytest.mark.django_db
def test_a_variable_list_argument_is_costed_at_the_most_items(client, settings):
    # 100 guides x a srcSet of up to 10 sizes: over a cost limit of 500.
    settings.GRAPHQL_MAX_COST = 500
    status, answer = post(client, json.dumps({"query": SRC_SET_VARIABLE}).encode())
    assert status == 400
    assert error(answer)["extensions"]["limit"] == "GRAPHQL_MAX_COST"


@pytest.mark.django_db
def test_declared_variables_are_bounded(client):
    status, answer = post(client, json.dumps({"query": many_variables(51)}).encode())
    assert status == 400
    assert error(answer)["extensions"]["limit"] == "GRAPHQL_MAX_VARIABLES"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "setting"),
    [("variables", "GRAPHQL_MAX_VARIABLES_BYTES"), ("extensions", "GRAPHQL_MAX_EXTENSIONS_BYTES")],
)
def test_large_variables_and_extensions_are_refused(client, field, setting):
    body = json.dumps({"query": "{ hubs { title } }", field: {"junk": "x" * 3000}}).encode()
    status, answer = post(client, body)
    assert status == 400
    assert error(answer)["extensions"] == {"code": "BAD_REQUEST", "limit": setting}


@pytest.mark.django_db
def test_large_variables_over_get_are_refused(client):
    response = client.get(
        "/graphql/",
        {"query": "{ hubs { title } }", "variables": json.dumps({"junk": "x" * 3000})},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["limit"] == "GRAPHQL_MAX_VARIABLES_BYTES"


@pytest.mark.django_db
def test_a_body_over_djangos_upload_limit_is_a_413_json_error(client):
    # Past DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) Django itself would answer 400 HTML.
    body = json.dumps({"query": "{ hubs { title } }" + " " * 2_700_000}).encode()
    response = client.generic("POST", "/graphql/", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"


@pytest.mark.django_db
def test_one_name_repeated_in_a_selection_is_bounded(client, settings):
    most = settings.GRAPHQL_MAX_REPEATED_FIELDS
    allowed = json.dumps({"query": repeated_fields(most)}).encode()
    assert post(client, allowed)[0] == 200
    status, answer = post(client, json.dumps({"query": repeated_fields(most + 1)}).encode())
    assert status == 400
    assert (
        error(answer)["message"]
        == f"`title` is asked for {most + 1} times in one selection: the most is {most}."
    )
    assert error(answer)["extensions"]["limit"] == "GRAPHQL_MAX_REPEATED_FIELDS"


@pytest.mark.django_db
def test_fragments_per_document_are_bounded(client):
    def fragments(count):
        spreads = " ".join(f"...F{i}" for i in range(count))
        defined = " ".join(f"fragment F{i} on HomePage {{ title }}" for i in range(count))
        return json.dumps({"query": f"{{ home {{ {spreads} }} }} {defined}"}).encode()

    assert post(client, fragments(10))[0] == 200
    status, answer = post(client, fragments(31))
    assert status == 400
    assert error(answer)["extensions"]["limit"] == "GRAPHQL_MAX_FRAGMENTS"


@pytest.mark.django_db
def test_long_strings_are_refused_before_anything_runs(client):
    query = "query ($q: String!) { search(query: $q) { total } }"
    body = json.dumps({"query": query, "variables": {"q": "x" * 1_001}}).encode()
    status, answer = post(client, body)
    assert status == 400
    assert error(answer)["extensions"]["limit"] == "GRAPHQL_MAX_STRING_LENGTH"


@pytest.mark.django_db
def test_a_fragment_spreading_itself_below_a_field_is_a_validation_error(client):
    query = '{ guide(slug: "x") { ...F } } fragment F on GuidePage { parent { ...F } }'
    status, answer = post(client, json.dumps({"query": query}).encode())
    assert status == 400
    assert error(answer)["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
