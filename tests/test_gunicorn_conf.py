"""gunicorn.conf.py's worker settings and its warm-up hooks (cms/http/warmup.py)."""

import gc
import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import OperationalError, connections

from cms.http import warmup

CONF = str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py")
SETTINGS = ("GUNICORN_WORKER_CLASS", "GUNICORN_THREADS", "GUNICORN_KEEPALIVE")
RECYCLING = ("GUNICORN_MAX_REQUESTS", "GUNICORN_MAX_REQUESTS_JITTER", "GUNICORN_WARMUP")


def load_conf(monkeypatch, **env):
    for name in (*SETTINGS, *RECYCLING, "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(CONF)


def test_defaults_are_the_measured_choice(monkeypatch):
    conf = load_conf(monkeypatch)
    # Threads, so a slow client holds a thread, not a worker; more of them per
    # worker than the dozen trickling connections .ci/slow_clients.py opens.
    assert conf["worker_class"] == "gthread"
    assert conf["threads"] > 12
    assert conf["preload_app"] is True
    # Recycling is rare and jittered (docs/benchmarks.md, "Server settings").
    assert conf["max_requests"] >= 10000
    assert conf["max_requests_jitter"] >= conf["max_requests"] // 20
    assert conf["WARMUP"] is True


def test_every_setting_can_be_overridden_from_the_environment(monkeypatch):
    conf = load_conf(
        monkeypatch,
        GUNICORN_WORKER_CLASS="gthread",
        GUNICORN_THREADS="4",
        GUNICORN_KEEPALIVE="5",
        GUNICORN_MAX_REQUESTS="0",
        GUNICORN_MAX_REQUESTS_JITTER="0",
        GUNICORN_WARMUP="0",
        WEB_CONCURRENCY="3",
    )
    assert (conf["worker_class"], conf["threads"], conf["keepalive"]) == ("gthread", 4, 5)
    assert (conf["max_requests"], conf["max_requests_jitter"], conf["workers"]) == (0, 0, 3)
    assert conf["WARMUP"] is False


@pytest.fixture
def calls(monkeypatch):
    made = []
    monkeypatch.setattr(warmup, "warm_master", lambda: made.append("master"))
    monkeypatch.setattr(warmup, "warm_worker", lambda **kw: made.append(("worker", kw)))
    return made


def fake_worker(preload, name="SyncWorker"):
    return type(name, (), {"cfg": SimpleNamespace(preload_app=preload)})()


def test_hooks_warm_the_master_once_and_each_worker(monkeypatch, calls):
    conf = load_conf(monkeypatch)
    conf["when_ready"](SimpleNamespace(cfg=SimpleNamespace(preload_app=True)))
    conf["post_worker_init"](fake_worker(preload=True))
    conf["post_worker_init"](fake_worker(preload=True, name="ThreadWorker"))
    assert calls == [
        "master",
        ("worker", {"connections": True}),
        ("worker", {"connections": False}),
    ]


def test_without_preload_the_worker_does_the_masters_warm_up(monkeypatch, calls):
    conf = load_conf(monkeypatch)
    conf["when_ready"](SimpleNamespace(cfg=SimpleNamespace(preload_app=False)))
    conf["post_worker_init"](fake_worker(preload=False))
    assert calls == ["master", ("worker", {"connections": True})]


def test_warm_up_can_be_turned_off(monkeypatch, calls):
    conf = load_conf(monkeypatch, GUNICORN_WARMUP="0")
    conf["when_ready"](SimpleNamespace(cfg=SimpleNamespace(preload_app=True)))
    conf["post_worker_init"](fake_worker(preload=True))
    assert calls == []


@pytest.fixture
def unfreeze():
    yield
    gc.unfreeze()


def test_master_warm_up_builds_the_urlconf_without_opening_a_connection(monkeypatch, unfreeze):
    from django.urls import get_resolver

    opened = []
    monkeypatch.setattr(type(connections["default"]), "connect", lambda self: opened.append(self))
    warmup.warm_master()
    assert get_resolver()._populated
    # A connection opened in the master would be shared by every worker.
    assert opened == []
    assert gc.get_freeze_count() > 0


def test_a_failing_master_warm_up_does_not_stop_the_server(monkeypatch, caplog, unfreeze):
    def broken():
        raise RuntimeError("broken URLconf")

    monkeypatch.setattr("django.urls.get_resolver", broken)
    with caplog.at_level(logging.WARNING, logger="cms.http.warmup"):
        warmup.warm_master()
    assert "workers start cold" in caplog.text


def test_worker_warm_up_opens_the_database_connection(monkeypatch):
    opened = []
    monkeypatch.setattr(
        type(connections["default"]), "ensure_connection", lambda self: opened.append(self)
    )
    warmup.warm_worker()
    assert opened == [connections["default"]]


def test_a_threaded_worker_opens_no_connection_in_the_hooks_thread(monkeypatch):
    opened = []
    monkeypatch.setattr(
        type(connections["default"]), "ensure_connection", lambda self: opened.append(self)
    )
    warmup.warm_worker(connections=False)
    assert opened == []


def test_a_failing_worker_warm_up_lets_the_worker_start(monkeypatch, caplog):
    def down(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(type(connections["default"]), "ensure_connection", down)
    with caplog.at_level(logging.WARNING, logger="cms.http.warmup"):
        warmup.warm_worker()  # does not raise
    assert "connection refused" in caplog.text
