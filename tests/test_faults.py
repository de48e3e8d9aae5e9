"""A misbehaving dependency costs a bounded time, never a hang or a 500.

In-process checks; the real faults (PostgreSQL and Redis stopped and frozen
under gunicorn) are .ci/faults.py.
"""

import json
import os
import socket
import subprocess
import sys
import time

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection, connections
from django.test import Client

from cms.caching import redis_cache
from cms.http import database_unavailable as middleware
from cms.postgresql import serving

ON_POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch):
    monkeypatch.setattr(middleware, "_unavailable_until", 0.0)
    redis_cache.reset()
    yield
    redis_cache.reset()


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """Every cache on a Redis URL where nothing listens, with the production options."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": settings.REDIS_SOCKET_CONNECT_TIMEOUT,
                "SOCKET_TIMEOUT": settings.REDIS_SOCKET_TIMEOUT,
                "IGNORE_EXCEPTIONS": True,
                "CONNECTION_POOL_KWARGS": {
                    "connection_class": redis_cache.CircuitBreakerConnection,
                },
            },
        }
    }
    return settings


# /api/ping/


def test_ping_touches_no_database(client, django_assert_num_queries, db):
    with django_assert_num_queries(0):
        response = client.get("/api/ping/")
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    # Nor the session: SessionMiddleware would vary on Cookie had it been read.
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_ping_answers_while_the_database_is_down(monkeypatch, redis_down):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    monkeypatch.setattr(connection, "close_if_health_check_failed", refuse)
    response = Client().get("/api/ping/")
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    # ... whereas what needs the database is a 503.
    assert Client().get("/health/").status_code == 503


def test_ping_answers_during_the_retry_after_window(monkeypatch, db):
    monkeypatch.setattr(middleware, "_unavailable_until", time.monotonic() + 60)
    assert Client().get("/api/ping/").status_code == 200
    assert Client().get("/api/v2/pages/").status_code == 503


# Redis down


def test_graphql_urls_and_rest_answer_from_the_database_when_redis_is_down(
    redis_down, graphql, make_guide
):
    guide = make_guide(title="Scans explained")
    started = time.monotonic()
    data = graphql.data("{ guides { items { title url } } }")
    assert data["guides"]["items"] == [{"title": "Scans explained", "url": guide.url}]
    assert guide.url  # Wagtail's site root paths, computed without the cache
    client = Client()
    listing = client.get("/api/v2/pages/?type=guides.GuidePage")
    assert listing.status_code == 200
    assert [item["title"] for item in listing.json()["items"]] == ["Scans explained"]
    detail = client.get(f"/api/v2/pages/{guide.id}/")
    assert detail.status_code == 200
    assert detail.json()["meta"]["html_url"]
    assert time.monotonic() - started < 2


def test_after_a_redis_failure_the_cache_is_skipped_then_tried_again(redis_down, settings):
    assert cache.get("anything") is None  # refused: a miss, not an error
    assert redis_cache.circuit_open()
    connects = []
    original = redis_cache.Connection.connect

    def counting(self, *args, **kwargs):
        connects.append(1)
        return original(self, *args, **kwargs)

    redis_cache.Connection.connect = counting
    try:
        for _ in range(20):
            assert cache.get("anything") is None
            cache.set("anything", 1)
        assert connects == []  # the open circuit never reached redis-py
        redis_cache.reset()  # the breaker's time is up
        assert cache.get("anything") is None
        assert connects  # tried again (and failed again: the circuit reopens)
        assert redis_cache.circuit_open()
    finally:
        redis_cache.Connection.connect = original


# Settings


def test_timeouts_are_named_settings(settings):
    assert settings.REDIS_SOCKET_CONNECT_TIMEOUT == 0.25
    assert settings.REDIS_SOCKET_TIMEOUT == 0.25
    assert settings.REDIS_CIRCUIT_BREAKER_SECONDS > 0
    assert 0 < settings.DATABASE_CLIENT_TIMEOUT < 2
    assert settings.DATABASE_CONNECT_TIMEOUT < 2
    assert "/api/ping/" in settings.DATABASE_FREE_PATHS


def test_production_settings_bound_every_dependency():
    script = (
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.DATABASES['default'], settings.CACHES['default']], default=str))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "a",
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/guides",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }

    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    database, redis = json.loads(out)
    assert database["ENGINE"] == "cms.postgresql"
    options = database["OPTIONS"]
    assert options["options"].split(" -c ") == ["-c statement_timeout=1000", "jit=off"]
    assert options["keepalives"] == 1
    assert {"keepalives_idle", "keepalives_interval", "keepalives_count"} <= set(options)
    assert options["tcp_user_timeout"] == 1500
    assert redis["OPTIONS"]["SOCKET_TIMEOUT"] == 0.25
    assert redis["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] == 0.25
    assert redis["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert (
        "CircuitBreakerConnection" in redis["OPTIONS"]["CONNECTION_POOL_KWARGS"]["connection_class"]
    )


# PostgreSQL: the server's and the client's own bounds


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL only")
def test_the_server_cancels_long_statements(db, settings):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        value = cursor.fetchone()[0]
    assert value == f"{round(settings.DATABASE_STATEMENT_TIMEOUT * 1000)}ms".replace("000ms", "s")


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL only")
def test_a_database_that_does_not_answer_is_given_up_by_the_client(db, settings):
    """pg_sleep stands in for a frozen server: the watchdog closes the socket."""
    settings.DATABASE_CLIENT_TIMEOUT = 0.3
    other = connections.create_connection("default")
    token = serving.set(True)  # as in a request
    try:
        started = time.monotonic()
        with (
            pytest.raises(OperationalError, match="no answer from the database"),
            other.cursor() as cursor,
        ):
            cursor.execute("SELECT pg_sleep(0.9)")
        assert time.monotonic() - started < 0.8
        assert not other.is_usable()
    finally:
        serving.reset(token)
        other.close()
