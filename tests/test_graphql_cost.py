"""Work is priced by what it costs: a resolver that runs its own queries
declares the price of a call (`@costs`), a root field that declares nothing
costs GRAPHQL_ROOT_FIELD_COST, and identical root calls run once."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql import GraphQLNonNull, get_named_type, parse

from cms.graphql.limits import declared_cost, measure
from cms.graphql.schema import schema

WORDS = [
    "chemo",
    "cancer",
    "hair",
    "pain",
    "myeloma",
    "nausea",
    "fatigue",
    "diet",
    "travel",
    "sleep",
    "surgery",
    "radiotherapy",
    "blood",
    "test",
    "care",
]
RESULTS = "{ total items { title url excerpt score } }"


def searches(words):
    return (
        "{ "
        + " ".join(
            f'a{i}: search(query: "{w}", perPage: 50) {RESULTS}' for i, w in enumerate(words)
        )
        + " }"
    )


def post(client, query):
    response = client.post(
        "/graphql/", json.dumps({"query": query}), content_type="application/json"
    )
    return response.status_code, response.json()


def cost_of(query):
    """The cost the limits see, read from the refusal at a budget of 0."""
    errors = measure(schema.graphql_schema, parse(query))
    costly = [e for e in errors if e.extensions.get("limit") == "GRAPHQL_MAX_COST"]
    return costly[0].extensions["cost"] if costly else 0


@pytest.fixture
def no_budget(settings):
    settings.GRAPHQL_MAX_COST = 0


@pytest.mark.django_db
def test_fifteen_aliased_searches_are_refused_naming_the_budget(client, make_guide):
    make_guide("Hair loss and chemotherapy")
    status, body = post(client, searches(WORDS))
    assert status == 400
    error = body["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["limit"] == "GRAPHQL_MAX_COST"
    assert error["extensions"]["cost"] >= 15 * declared_cost(
        schema.graphql_schema.query_type.fields["search"]
    )
    assert "fewer searches" in error["message"]
    # A page with a few searches is within the budget.
    status, body = post(client, searches(WORDS[:4]))
    assert status == 200 and "errors" not in body, body


@pytest.mark.django_db
def test_identical_aliased_searches_run_once_and_all_answer(graphql, make_guide):
    make_guide("Hair loss and chemotherapy")
    graphql.data(searches(["hair"]))  # site facts read and kept: measure the steady state
    with CaptureQueriesContext(connection) as one:
        single = graphql.data(searches(["hair"]))
    with CaptureQueriesContext(connection) as fifteen:
        data = graphql.data(searches(["hair"] * 15))
    assert len(fifteen) == len(one)
    assert data == {f"a{i}": single["a0"] for i in range(15)}
    assert single["a0"]["total"] == 1


def _value(argument_type):
    """A valid literal for a required argument of a named scalar or enum type."""
    named = get_named_type(argument_type)
    if getattr(named, "values", None):
        return next(iter(named.values))
    return {"Int": "1", "PositiveInt": "1", "Float": "1.0", "Boolean": "true"}.get(
        named.name, '"x"'
    )


def _root_calls():
    """One call of every root field, with its required arguments and `__typename`."""
    for name, field in schema.graphql_schema.query_type.fields.items():
        arguments = ", ".join(
            f"{arg}: {_value(definition.type)}"
            for arg, definition in field.args.items()
            if isinstance(definition.type, GraphQLNonNull)
        )
        call = f"{name}({arguments})" if arguments else name
        leaf = not hasattr(get_named_type(field.type), "fields")
        yield name, call if leaf else f"{call} {{ __typename }}"


ROOT_CALLS = dict(_root_calls())


def test_every_root_field_is_listed():
    assert {"guides", "guide", "hubs", "search", "searchSuggestions"} <= set(ROOT_CALLS)


@pytest.mark.parametrize("name", sorted(ROOT_CALLS))
def test_every_root_field_costs_its_declared_price_or_the_root_default(name, settings, no_budget):
    field = schema.graphql_schema.query_type.fields[name]
    price = declared_cost(field) or settings.GRAPHQL_ROOT_FIELD_COST
    once = cost_of(f"{{ {ROOT_CALLS[name]} }}")
    assert once >= price
    # Under other aliases, the same call is priced once (the fields below it, each time).
    below = cost_of(f"{{ {ROOT_CALLS[name].replace('__typename', '__typename a: __typename')} }}")
    twice = below - once if "__typename" in ROOT_CALLS[name] else 0
    assert cost_of(f"{{ a: {ROOT_CALLS[name]} b: {ROOT_CALLS[name]} }}") == once + twice
    inline = f"{{ a: {ROOT_CALLS[name]} ... on Query {{ b: {ROOT_CALLS[name]} }} }}"
    assert cost_of(inline) == once + twice


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROOT_CALLS))
def test_every_root_field_runs_once_under_many_aliases(graphql, name, settings):
    settings.GRAPHQL_MAX_COST = 10_000_000
    settings.GRAPHQL_RESPONSE_CACHE_ENABLED = False  # the SQL of answering is measured
    call = ROOT_CALLS[name]
    status, single = graphql.post(f"{{ a0: {call} }}")
    with CaptureQueriesContext(connection) as one:
        graphql.post(f"{{ a0: {call} }}")
    with CaptureQueriesContext(connection) as many:
        status, body = graphql.post("{ " + " ".join(f"a{i}: {call}" for i in range(5)) + " }")
    assert len(many) == len(one), name
    assert body.get("data") == (
        {f"a{i}": single["data"]["a0"] for i in range(5)} if single.get("data") else None
    ) or body.get("errors")


def test_distinct_searches_each_cost_a_search(no_budget):
    one = cost_of(searches(["hair"]))
    assert cost_of(searches(["hair", "pain", "care"])) == 3 * one
