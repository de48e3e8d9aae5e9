"""The shared cache on a real Redis: what one app server caches or
invalidates, another sees. CI starts a Redis server and sets
REQUIRE_REDIS_TESTS, so these tests fail there rather than skip."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.core.cache import caches

from cms.caching import response_cache

REDIS_URL = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL")
KEY_PREFIX = "guides-test"
HUBS = "{ hubs { title } }"
SERVER_B = """
import json, sys
import django
django.setup()
from django.test import Client
response = Client().get("/graphql/", {"query": sys.argv[1]}, HTTP_ACCEPT="application/json")
print(json.dumps({"status": response.status_code, "body": response.content.decode()}))
"""


def redis_cache():
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": KEY_PREFIX,
    }


@pytest.fixture
def servers(settings):
    """Two cache clients on one Redis, as two app servers have."""
    if not REDIS_URL:
        message = "needs a Redis server: set TEST_REDIS_URL, e.g. redis://127.0.0.1:6379/15 (CI starts one)"
        if os.environ.get("REQUIRE_REDIS_TESTS"):
            pytest.fail(f"REQUIRE_REDIS_TESTS is set but this test {message}")
        pytest.skip(message)
    settings.CACHES = {**settings.CACHES, "server_a": redis_cache(), "server_b": redis_cache()}
    caches["server_a"].clear()
    assert caches["server_a"] is not caches["server_b"]
    return settings


def as_server(settings, name):
    settings.GRAPHQL_CACHE_ALIAS = name


def get(client, query, **params):
    return client.get("/graphql/", {"query": query, **params}, HTTP_ACCEPT="application/json")


def test_an_answer_cached_by_one_server_is_served_by_the_other(
    servers, client, hub, django_assert_num_queries
):
    as_server(servers, "server_a")
    first = get(client, HUBS)
    as_server(servers, "server_b")
    with django_assert_num_queries(0):
        second = get(client, HUBS)
    assert second.content == first.content and second["ETag"] == first["ETag"]


def test_a_publish_on_one_server_retires_answers_on_the_other(servers, client, hub):
    as_server(servers, "server_a")
    assert get(client, HUBS).json() == {"data": {"hubs": [{"title": "Second opinions"}]}}
    as_server(servers, "server_b")
    hub.title = "Getting a second opinion"
    hub.save_revision().publish()  # server B's signal handlers bump the shared generation
    as_server(servers, "server_a")
    assert get(client, HUBS).json() == {"data": {"hubs": [{"title": "Getting a second opinion"}]}}


def test_the_retirement_numbers_live_in_redis(servers, hub):
    as_server(servers, "server_a")
    raw = redis.Redis.from_url(REDIS_URL)
    sequence = caches["server_a"].make_key(response_cache.SEQUENCE_KEY)
    hub_tag = caches["server_a"].make_key(response_cache.TAG_KEY + f"page:{hub.pk}")
    response_cache.invalidate()
    before = int(raw.get(sequence))
    as_server(servers, "server_b")
    hub.save_revision().publish()
    assert int(raw.get(sequence)) > before
    assert int(raw.get(hub_tag)) > before  # the hub's own tag took the new number
    # If Redis loses the sequence (eviction, restart), the next reader starts a new number.
    raw.delete(sequence)
    from django.test import RequestFactory

    entry = response_cache.lookup(RequestFactory().get("/graphql/"), HUBS, None, None)
    assert entry.started == int(raw.get(sequence)) and entry.started > before


def test_persisted_queries_registered_through_one_server_run_on_the_other(servers, client, hub):
    import hashlib

    digest = hashlib.sha256(HUBS.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    as_server(servers, "server_a")
    client.post(
        "/graphql/",
        json.dumps({"query": HUBS, "extensions": extensions}),
        content_type="application/json",
    )
    as_server(servers, "server_b")
    servers.GRAPHQL_RESPONSE_CACHE_ENABLED = False  # run it, not just replay an answer
    response = client.get(
        "/graphql/", {"extensions": json.dumps(extensions)}, HTTP_ACCEPT="application/json"
    )
    assert response.json() == {"data": {"hubs": [{"title": "Second opinions"}]}}


def test_another_process_serves_the_cached_answer_and_sees_the_invalidation(
    servers, client, hub, tmp_path
):
    """Server B is a separate Python process with no usable database: it can
    only answer from Redis."""

    def ask_server_b():
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "REDIS_URL": REDIS_URL,
            "CACHE_KEY_PREFIX": KEY_PREFIX,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}",
        }
        done = subprocess.run(
            [sys.executable, "-c", SERVER_B, HUBS],
            env=env,
            cwd=Path(__file__).resolve().parent.parent,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    as_server(servers, "server_a")
    cached = get(client, HUBS)
    answer = ask_server_b()
    assert answer == {"status": 200, "body": cached.content.decode()}

    hub.title = "Getting a second opinion"
    hub.save_revision().publish()
    answer = ask_server_b()
    assert "Second opinions" not in answer["body"]  # not the retired answer


def test_a_retirement_a_dead_redis_missed_is_applied_once_it_is_back(
    servers, client, hub, settings
):
    """django-redis ignores a dead Redis's errors: the retirement is read back,
    found missing, left written down, and applied by the next look."""
    import socket

    from cms.caching import pending_retirements
    from cms.caching import redis_cache as breaker
    from cms.models import PendingRetirement

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    servers.CACHES = {
        **servers.CACHES,
        "dead": {
            **redis_cache(),
            "LOCATION": f"redis://127.0.0.1:{closed}/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25},
        },
    }
    settings.GRAPHQL_RESPONSE_CACHE_CATCH_UP_SECONDS = 1.0
    pending_retirements.forget()
    try:
        as_server(servers, "server_a")
        assert get(client, HUBS).json() == {"data": {"hubs": [{"title": "Second opinions"}]}}
        as_server(servers, "dead")  # the server publishing finds Redis gone
        hub.title = "Getting a second opinion"
        hub.save_revision().publish()
        assert PendingRetirement.objects.filter(failed=True).exists()
        as_server(servers, "server_a")  # another server, Redis answering
        pending_retirements.forget()
        answer = get(client, HUBS).json()
        assert answer == {"data": {"hubs": [{"title": "Getting a second opinion"}]}}
        assert not PendingRetirement.objects.exists()
    finally:
        pending_retirements.forget()
        breaker.reset()
