"""A CDN in front: public answers name their cache tags as surrogate keys, and
a change purges exactly the keys it retires, through the CDN's own API.
(The real Varnish is exercised by .ci/varnish_check.py.)"""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from cms.caching import cdn
from tests.admin_workflow import publish_reviewed


class Recorder(BaseHTTPRequestHandler):
    received = []

    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        Recorder.received.append(
            (self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        )
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_PURGE = do_POST = _record

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_server():
    Recorder.received = []
    server = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", Recorder.received
    server.shutdown()


@pytest.fixture
def varnish(settings, purge_server):
    location, received = purge_server
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "cms.caching.cdn.VarnishXkeyBackend", "LOCATION": location}
    }
    settings.CDN_REPURGE_DELAY = 0
    return received


def purged_keys(received):
    return {
        key
        for method, _path, headers, _body in received
        if method == "PURGE"
        for key in headers.get("xkey-purge", "").split()
    }


def test_public_answers_name_their_tags_and_may_be_kept_until_purged(client, make_guide, varnish):
    guide = make_guide()
    graphql = client.get(
        "/graphql/",
        {"query": f"{{ guide(id: {guide.pk}) {{ title }} }}"},
        HTTP_ACCEPT="application/json",
    )
    rest = client.get(f"/api/v2/pages/{guide.pk}/")
    for response in (graphql, rest):
        assert f"page:{guide.pk}" in response["xkey"].split()
        assert "s-maxage=86400" in response["Cache-Control"]
        assert response["Cache-Control"].startswith("public")


def test_private_answers_carry_no_keys(client, make_guide, varnish):
    guide = make_guide()
    response = client.get(
        "/graphql/",
        {"query": f"{{ guide(id: {guide.pk}) {{ title }} }}"},
        HTTP_ACCEPT="application/json",
        HTTP_AUTHORIZATION="Bearer x",
    )
    assert response["Cache-Control"] == "private, no-store"
    assert "xkey" not in response


def test_a_publish_purges_exactly_what_it_retires_after_the_commit(
    make_guide, varnish, django_capture_on_commit_callbacks
):
    guide = make_guide()
    varnish.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        guide.title = "Revised"
        publish_reviewed(guide)
        assert varnish == []  # nothing before the commit
    for callback in callbacks:
        callback()
    keys = purged_keys(varnish)
    assert f"page:{guide.pk}" in keys and "list:guides.guidepage" in keys
    assert not any(key.startswith("tree:") for key in keys)  # a guide has no subtree
    assert "all" not in keys
    assert len([r for r in varnish if r[0] == "PURGE"]) == 1  # one purge for the whole publish


def test_the_second_purge_comes_after_the_delay(settings, varnish):
    settings.CDN_REPURGE_DELAY = 0.01
    cdn.purge(["page:1"])
    assert [headers["xkey-purge"] for _m, _p, headers, _b in varnish] == ["page:1", "page:1"]


def test_a_cdn_that_does_not_answer_does_not_fail_the_publish(settings, make_guide):
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "cms.caching.cdn.VarnishXkeyBackend",
            "LOCATION": "http://127.0.0.1:9",
        }
    }
    settings.CDN_REPURGE_DELAY = 0
    guide = make_guide()
    guide.title = "Still published"
    publish_reviewed(guide)  # the purge fails and is logged
    guide.refresh_from_db()
    assert guide.title == "Still published"


def test_fastly_is_purged_by_surrogate_key(settings, purge_server):
    location, received = purge_server
    settings.WAGTAILFRONTENDCACHE = {
        "fastly": {
            "BACKEND": "cms.caching.cdn.FastlySurrogateKeyBackend",
            "SERVICE_ID": "svc",
            "API_TOKEN": "secret",
            "API_URL": location,
        }
    }
    settings.CDN_REPURGE_DELAY = 0
    assert cdn.tag_header() == ("Surrogate-Key", " ")
    cdn.purge(["page:1", "faqs.faq:2"])
    [(method, path, headers, body)] = received
    assert (method, path) == ("POST", "/service/svc/purge")
    assert headers["fastly-key"] == "secret"
    assert json.loads(body) == {"surrogate_keys": ["faqs.faq:2", "page:1"]}


def test_a_long_tag_list_names_collections_instead(settings):
    settings.CDN_TAG_HEADER_MAX_BYTES = 60
    tags = ["all", *[f"page:{n}" for n in range(50)], "faqs.faq:3", "tree:00010001"]
    assert cdn.header_value(tags, " ").split() == ["all", "list:faqs.faq", "list:wagtailcore.page"]
