"""A database error inside a GraphQL resolver: a 503 when the connection is
gone, the usual error in a 200 when it was only the statement that failed.
(The real outage, with PostgreSQL stopped and unreachable under gunicorn, is
.ci/database_outage.py.)"""

import pytest
from django.db import OperationalError, connection

from cms.http import database_unavailable as middleware
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


def test_a_silent_database_server_is_given_up_on_before_psycopgs_two_seconds(
    settings, django_db_blocker
):
    """A server that accepts connections and never answers: psycopg would wait
    at least 2 s; cms.postgresql stops waiting after DATABASE_CONNECT_TIMEOUT."""
    import socket
    import time

    from django.db import OperationalError as DjangoOperationalError

    from cms.postgresql.base import DatabaseWrapper

    settings.DATABASE_CONNECT_TIMEOUT = 0.3
    with socket.create_server(("127.0.0.1", 0), backlog=4) as silent:
        database = DatabaseWrapper(
            {
                **connection.settings_dict,
                "ENGINE": "cms.postgresql",
                "NAME": "guides",
                "USER": "postgres",
                "PASSWORD": "",
                "HOST": "127.0.0.1",
                "PORT": str(silent.getsockname()[1]),
                "OPTIONS": {"connect_timeout": 2},
            }
        )
        started = time.monotonic()
        with (
            django_db_blocker.unblock(),
            pytest.raises(DjangoOperationalError, match="no answer from the database in 0.3 s"),
        ):
            database.ensure_connection()
        elapsed = time.monotonic() - started
    # Well under psycopg's floor of 2 s, however slow the machine.
    assert elapsed < 1.5, elapsed
