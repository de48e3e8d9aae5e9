"""A retirement the shared cache missed (Redis stopped or frozen when the
change committed) is never lost: it is written down with the change, and the
cache catches up from it before serving another answer (cms/caching/pending_retirements.py).

The cache down is a cache that, like django-redis with IGNORE_EXCEPTIONS,
answers every call with nothing and raises nothing. The real Redis stopped and
frozen under gunicorn is .ci/faults.py."""

import datetime
import json

import pytest
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.caching import pending_retirements, response_cache
from cms.models import PendingRetirement
from tests.admin_workflow import publish_reviewed


def get(client, query):
    return client.get("/graphql/", {"query": query}, HTTP_ACCEPT="application/json")


def body(client, query):
    response = get(client, query)
    assert response.status_code == 200, response.content
    return response.json()


class CacheDown:
    """A shared cache that does not answer: every read is a miss, every write
    is lost, nothing raises (django-redis with IGNORE_EXCEPTIONS)."""

    def get(self, *args, **kwargs):
        return None

    def get_many(self, *args, **kwargs):
        return {}

    def incr(self, *args, **kwargs):
        return None

    def add(self, *args, **kwargs):
        return None

    def set(self, *args, **kwargs):
        return None

    set_many = delete = delete_many = set


@pytest.fixture
def cache_down(monkeypatch):
    """`with cache_down():` the shared cache does not answer."""
    from contextlib import contextmanager

    @contextmanager
    def down():
        with monkeypatch.context() as patch:
            patch.setattr(response_cache, "_cache", CacheDown)
            yield
        pending_retirements.note_cache_down()  # as the failed calls would have

    return down


@pytest.fixture(autouse=True)
def catching_up(settings):
    settings.GRAPHQL_RESPONSE_CACHE_CATCH_UP_SECONDS = 1.0
    pending_retirements.forget()
    yield
    pending_retirements.forget()


def another_process():
    """What this process knows of the cache's state, forgotten: as a process
    that saw no failure (a look at the database is due)."""
    pending_retirements.forget()


# Each change: (what to read, how to change it while the cache is down, what
# the answer must no longer contain). Every one must reach readers once the
# cache is back, whichever process answers.
def unpublish_guide(objects):
    objects["guide"].unpublish()


def expire_faq(objects):
    faq = objects["faq"]
    faq.expire_at = timezone.now() - datetime.timedelta(seconds=1)
    faq.save()


def restrict_hub(objects):
    PageViewRestriction.objects.create(page=objects["hub"], restriction_type="login")


def edit_guide(objects):
    guide = objects["guide"]
    guide.title = "Edited while the cache was down"
    publish_reviewed(guide)


def delete_guide(objects):
    objects["guide"].delete()


def rename_hub(objects):
    hub = objects["hub"]
    hub.title = "Renamed while the cache was down"
    hub.save_revision().publish()


CHANGES = [unpublish_guide, expire_faq, restrict_hub, edit_guide, delete_guide, rename_hub]


@pytest.fixture
def objects(make_guide, make_faq, hub):
    faq = make_faq(question="Can I bring someone?")
    guide = make_guide(title="Scans explained", faqs=[faq])
    queries = {
        "guide": f'{{ guide(slug: "{guide.slug}") {{ title faqs {{ question }} }} }}',
        "faq": f'{{ faq(id: "{faq.pk}") {{ question }} }}',
        "hubs": "{ hubs { title guides { items { title } } } }",
        "guides": "{ guides { items { title } } }",
    }
    return {"guide": guide, "faq": faq, "hub": hub, "queries": queries}


def answers(client, objects):
    return {name: body(client, query) for name, query in objects["queries"].items()}


def fresh_answers(client, objects):
    """The answers from the database alone."""
    response_cache.invalidate()
    return answers(client, objects)


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
@pytest.mark.parametrize("who", ["another process", "the process that made the change"])
def test_a_change_made_while_the_cache_was_down_reaches_readers_when_it_is_back(
    client, objects, cache_down, change, who
):
    before = answers(client, objects)  # cached
    assert answers(client, objects) == before
    with cache_down():
        change(objects)
    assert PendingRetirement.objects.filter(failed=True).exists()  # written down
    if who == "another process":
        another_process()
    after = answers(client, objects)
    # Nothing of the old answers is served, by this process or any other.
    assert after == fresh_answers(client, objects)
    assert after != before
    assert not PendingRetirement.objects.exists()  # applied: the cache has them


def test_after_the_commit_too(client, objects, cache_down, django_capture_on_commit_callbacks):
    """The change's own retirement runs after its commit: it fails there, and
    the row written in its transaction is what another process applies."""
    answers(client, objects)
    with cache_down(), django_capture_on_commit_callbacks(execute=True):
        objects["guide"].unpublish()
    another_process()
    assert body(client, objects["queries"]["guide"]) == {"data": {"guide": None}}


def test_the_process_that_saw_the_failure_serves_nothing_cached_until_applied(
    client, objects, monkeypatch, settings, django_assert_num_queries
):
    settings.GRAPHQL_RESPONSE_CACHE_CATCH_UP_SECONDS = 3600  # no look due for an hour
    query = objects["queries"]["guide"]
    body(client, query)
    body(client, query)  # the look happens here, on a hit
    with monkeypatch.context() as patch:
        patch.setattr(response_cache, "_cache", CacheDown)
        objects["guide"].unpublish()
    # The cache answers again, with the retired answer in it; this process
    # knows its retirement failed, and serves nothing cached without a look.
    for _ in range(3):
        assert body(client, query) == {"data": {"guide": None}}
    assert PendingRetirement.objects.filter(failed=True).exists()  # no look yet
    pending_retirements._next_look = 0.0  # due
    assert body(client, query) == {"data": {"guide": None}}
    assert not PendingRetirement.objects.exists()
    body(client, query)  # stored again
    with django_assert_num_queries(0):
        assert body(client, query) == {"data": {"guide": None}}


def test_a_look_is_due_at_once_when_the_cache_is_back(client, objects, cache_down, settings):
    settings.GRAPHQL_RESPONSE_CACHE_CATCH_UP_SECONDS = 3600
    query = objects["queries"]["guide"]
    body(client, query)  # looked: nothing pending; next look in an hour
    with cache_down():
        objects["guide"].unpublish()
    # Another process, whose last look was just now, saw the cache fail too.
    pending_retirements.forget()
    pending_retirements._next_look = float("inf")
    pending_retirements.note_cache_down()
    assert body(client, query) == {"data": {"guide": None}}


def test_a_hit_costs_no_query_and_the_look_one_query_a_second(client, hub, settings, monkeypatch):
    query = "{ hubs { title } }"
    now = [1000.0]
    monkeypatch.setattr(pending_retirements.time, "monotonic", lambda: now[0])
    body(client, query)  # a miss: no look (it reads the database anyway)
    body(client, query)  # a hit, and the first look
    with CaptureQueriesContext(client_connection()) as queries:
        for _ in range(50):  # 50 hits in 0.98 s
            now[0] += 0.0196
            body(client, query)
    assert len(queries) == 0
    now[0] += 0.05  # a second after the last look
    with CaptureQueriesContext(client_connection()) as queries:
        for _ in range(10):
            body(client, query)
    assert len(queries) == 1 and "cms_pendingretirement" in queries[0]["sql"]


def client_connection():
    from django.db import connection

    return connection


def test_a_row_is_left_to_the_process_committing_it_then_to_anyone(client, objects, settings):
    """A row not marked failed may be one whose change is being retired right
    now, after its commit; after GRACE_SECONDS its process is taken to be gone."""
    query = objects["queries"]["guide"]
    body(client, query)
    # The change committed; its process died before retiring it (no signals
    # ran here: the row alone says what changed).
    type(objects["guide"]).objects.filter(pk=objects["guide"].pk).update(title="Changed")
    row = PendingRetirement.objects.create(tags=[f"page:{objects['guide'].pk}"])
    another_process()
    assert body(client, query)["data"]["guide"]["title"] == "Scans explained"
    PendingRetirement.objects.filter(pk=row.pk).update(
        created_at=timezone.now()
        - datetime.timedelta(seconds=pending_retirements.GRACE_SECONDS + 1)
    )
    another_process()
    assert body(client, query)["data"]["guide"]["title"] == "Changed"
    assert not PendingRetirement.objects.exists()


def test_a_retirement_the_cache_keeps_leaves_no_row(objects):
    objects["guide"].unpublish()
    assert not PendingRetirement.objects.exists()


def test_the_look_is_skipped_while_the_database_is_down(client, hub, monkeypatch):
    """Cached answers are served without the database (.ci/faults.py): a
    look that fails keeps what the process knew, and waits before trying again."""
    from django.db import OperationalError

    query = "{ hubs { title } }"
    body(client, query)
    calls = []

    def refuse(*args, **kwargs):
        calls.append(1)
        raise OperationalError("connection refused")

    monkeypatch.setattr(PendingRetirement.objects, "filter", refuse)
    another_process()
    assert body(client, query) == {"data": {"hubs": [{"title": "Second opinions"}]}}
    assert body(client, query) == {"data": {"hubs": [{"title": "Second opinions"}]}}
    assert len(calls) == 1  # not again at once
    assert json.loads(get(client, query).content)["data"]["hubs"]
