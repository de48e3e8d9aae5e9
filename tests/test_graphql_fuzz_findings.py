"""Server errors the GraphQL fuzzing (.ci/graphql_fuzz.py) found, answered now
as the client's mistake (BAD_USER_INPUT) instead of INTERNAL_SERVER_ERROR."""

import pytest


def error_codes(graphql, query, variables=None):
    status, body = graphql.post(query, variables)
    assert status == 400, body  # nothing answered, only bad input
    return [error["extensions"]["code"] for error in body.get("errors", [])]


@pytest.mark.parametrize(
    "query",
    [
        '{ search(query: "scans", cancerType: "a\\u0000b") { total } }',
        '{ search(query: "sc\\u0000ans") { total } }',
        '{ guide(slug: "asking\\u0000") { title } }',
        '{ searchSuggestions(prefix: "gu\\u0000") { text } }',
    ],
)
def test_text_with_a_nul_character_is_refused(graphql, query):
    # PostgreSQL cannot hold NUL in text: the query used to fail in the database.
    assert error_codes(graphql, query) == ["BAD_USER_INPUT"]


def test_nul_in_a_variable_is_refused(graphql):
    query = "query ($slug: String) { guide(slug: $slug) { title } }"
    assert error_codes(graphql, query, {"slug": "a\x00"}) == ["BAD_USER_INPUT"]
