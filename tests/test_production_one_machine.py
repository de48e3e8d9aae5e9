"""Production on one machine (docs/operations.md): the addresses the API hands
out come from SITE_URL, the app can serve the image folders of MEDIA_ROOT and
nothing else there, and several workers without Redis are refused."""

import importlib.util
import os
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from wagtail.models import Site

from cms.http.media import media_urlpatterns
from cms.management.commands.set_site_url import site_address

ROOT = Path(__file__).resolve().parent.parent


# --- SITE_URL


@pytest.mark.parametrize(
    ("site_url", "admin", "api"),
    [
        ("https://cms.example.org", "https://cms.example.org", "https://cms.example.org"),
        ("http://127.0.0.1:8171/", "http://127.0.0.1:8171", "http://127.0.0.1:8171"),
    ],
)
def test_site_url_is_the_base_of_admin_and_api_addresses(monkeypatch, site_url, admin, api):
    for name in ("WAGTAILADMIN_BASE_URL", "WAGTAILAPI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SITE_URL", site_url)
    # A fresh copy of the base settings, read with this environment.
    spec = importlib.util.spec_from_file_location(
        "cms.settings.site_url_probe", ROOT / "cms" / "settings" / "base.py"
    )
    values = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(values)
    got = values.WAGTAILADMIN_BASE_URL, values.WAGTAILAPI_BASE_URL
    assert got == (admin, api)


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("https://cms.example.org", ("cms.example.org", 443)),
        ("https://cms.example.org:443/", ("cms.example.org", 443)),
        ("http://cms.example.org", ("cms.example.org", 80)),
        ("http://127.0.0.1:8000", ("127.0.0.1", 8000)),
    ],
)
def test_site_address_round_trips_through_wagtails_root_url(url, address):
    assert site_address(url) == address
    assert Site(hostname=address[0], port=address[1]).root_url == url.rstrip("/").replace(
        ":443", ""
    )


@pytest.mark.parametrize(
    "url", ["https://cms.example.org:8443", "http://cms.example.org:443", "cms.example.org", ""]
)
def test_site_addresses_wagtail_cannot_write_are_refused(url):
    with pytest.raises(CommandError):
        site_address(url)


def test_rest_addresses_are_on_site_url_after_set_site_url(settings, make_guide):
    guide = make_guide(slug="second-opinions-explained")
    settings.SITE_URL = settings.WAGTAILAPI_BASE_URL = "https://cms.example.org"
    rest = Client(HTTP_HOST="127.0.0.1")  # whatever address the proxy reached gunicorn on
    before = rest.get(f"/api/v2/pages/{guide.pk}/").json()["meta"]
    assert before["html_url"].startswith("http://localhost/")  # the migrations' Site

    call_command("set_site_url", stdout=StringIO())
    call_command("set_site_url", stdout=StringIO())  # idempotent

    assert Site.objects.get(is_default_site=True).root_url == "https://cms.example.org"
    meta = rest.get(f"/api/v2/pages/{guide.pk}/").json()["meta"]
    assert meta["detail_url"] == f"https://cms.example.org/api/v2/pages/{guide.pk}/"
    assert meta["html_url"] == f"https://cms.example.org{guide.url_path[len('/home') :]}"
    listed = rest.get("/api/v2/pages/?type=guides.GuidePage").json()["items"][0]["meta"]
    assert listed["detail_url"].startswith("https://cms.example.org/api/v2/pages/")


# --- Media


class MediaOnly:
    urlpatterns = None


@pytest.fixture
def media_client(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.SERVE_MEDIA = True
    for folder, name, content in [
        ("images", "scan.width-320.png", b"\x89PNG rendition"),
        ("original_images", "scan.png", b"\x89PNG original"),
        ("documents", "private-minutes.pdf", b"%PDF private"),
    ]:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_bytes(content)
    (tmp_path.parent / "outside.txt").write_text("not media")
    MediaOnly.urlpatterns = media_urlpatterns()
    settings.ROOT_URLCONF = MediaOnly
    return Client()


def test_the_image_folders_are_served_with_cache_headers(media_client, settings):
    for path, content in [
        ("/media/images/scan.width-320.png", b"\x89PNG rendition"),
        ("/media/original_images/scan.png", b"\x89PNG original"),
    ]:
        response = media_client.get(path)
        assert response.status_code == 200, path
        assert b"".join(response.streaming_content) == content
        assert response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == f"public, max-age={settings.SERVE_MEDIA_MAX_AGE}"
        assert media_client.head(path).status_code == 200
        assert media_client.post(path).status_code == 405
        not_modified = media_client.get(path, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert not_modified.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/media/documents/private-minutes.pdf",  # editors only, through /documents/<id>/
        "/media/images/../documents/private-minutes.pdf",
        "/media/images/%2e%2e/documents/private-minutes.pdf",
        "/media/images/../../outside.txt",
        "/media/images/missing.png",
        "/media//etc/passwd",
        "/media/images/..",
        "/media/images/",
    ],
)
def test_nothing_else_in_or_outside_media_root_is_served(media_client, path):
    assert media_client.get(path).status_code == 404


def test_no_media_route_unless_asked(settings):
    settings.SERVE_MEDIA = False
    assert media_urlpatterns() == []


# --- Several workers need Redis


def errors_with(monkeypatch, settings, workers, backend):
    if workers is None:
        monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    else:
        monkeypatch.setenv("WEB_CONCURRENCY", workers)
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "redis://127.0.0.1:1/0"}}
    return [message.id for message in run_checks() if message.id.startswith("cms.E1")]


LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
REDIS = "django_redis.cache.RedisCache"


@pytest.mark.parametrize(
    ("workers", "backend", "errors"),
    [
        ("4", LOCMEM, ["cms.E101"]),
        ("2", LOCMEM, ["cms.E101"]),
        ("1", LOCMEM, []),
        (None, LOCMEM, []),
        ("4", REDIS, []),
    ],
)
def test_several_workers_without_a_shared_cache_are_refused(
    monkeypatch, settings, workers, backend, errors
):
    assert errors_with(monkeypatch, settings, workers, backend) == errors


def test_the_production_script_stops_before_gunicorn_without_redis_for_several_workers(tmp_path):
    """deploy/run-production.sh runs the checks first: with WEB_CONCURRENCY=3 and no
    REDIS_URL it stops there with the reason, before migrating or serving."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "REDIS_", "WEB_CONCURRENCY"))
    }
    environment.update(
        SECRET_KEY="test-only",
        WEB_CONCURRENCY="3",
        DATABASE_URL=f"sqlite:///{tmp_path}/never-made.sqlite3",
        PORT="8179",
    )
    result = subprocess.run(
        [ROOT / "deploy" / "run-production.sh"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "cms.E101" in result.stderr + result.stdout
    assert not (tmp_path / "never-made.sqlite3").exists()


def test_the_production_script_asks_for_a_secret_key(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [ROOT / "deploy" / "run-production.sh"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "SECRET_KEY is not set" in result.stderr
