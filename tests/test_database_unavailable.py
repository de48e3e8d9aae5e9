"""A database error inside a GraphQL resolver: a 503 when the connection is
gone, the usual error in a 200 when it was only the statement that failed.
(The real outage, with PostgreSQL stopped and unreachable under gunicorn, is
.ci/database_outage.py.)"""

import pytest
from django.db import OperationalError, connection

from cms import middleware
from search import engine


@pytest.fixture(autouse=True)
def fresh_outage_state(monkeypatch):
    monkeypatch.setattr(middleware, "_unavailable_until", 0.0)


@pytest.fixture
def search_fails(monkeypatch):
    def fail(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(engine, "search", fail)


QUERY = '{ search(query: "scan") { total } }'


def test_connection_lost_in_a_resolver_is_a_503(graphql, search_fails, monkeypatch):
    monkeypatch.setattr(connection, "is_usable", lambda: False)
    status, body = graphql.post(QUERY)
    assert status == 503
    assert body == {
        "errors": [
            {
                "message": "The service is briefly unavailable. Please try again shortly.",
                "extensions": {"code": "SERVICE_UNAVAILABLE"},
            }
        ]
    }
    # Within Retry-After, the next request is answered at once without a connection attempt.
    with monkeypatch.context() as patched:
        patched.setattr(connection, "ensure_connection", lambda: pytest.fail("tried to connect"))
        response = graphql.client.get("/health/")
    assert response.status_code == 503 and response["Retry-After"] == "2"


def test_a_failed_statement_on_a_live_connection_is_not_an_outage(graphql, search_fails):
    status, body = graphql.post(QUERY)
    assert status == 200
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert graphql.data("{ hubs { title } }") == {"hubs": []}
