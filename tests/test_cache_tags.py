"""A change retires exactly the cached answers that read what changed.

Answers record what they read as cache tags (cms/caching/cache_tags.py); a publish,
unpublish, move, restriction or edit retires only the answers tagged with it.
The first tests pin the promise an editor and a frontend rely on; the last
one hunts for stale answers everywhere: every query the leak hunt generates
(every root call, every path of the schema), cached, then a change of every
kind, after which every answer the cache serves must equal a fresh one.
"""

import json

import pytest
from django.test import RequestFactory
from wagtail.models import PageViewRestriction

from cms.caching import cache_tags, response_cache
from tests import test_leaks_everywhere as leak_hunt
from tests.admin_workflow import publish_reviewed
from tests.test_leaks_everywhere import _root_calls

world = leak_hunt.world  # the leak hunt's content: every hidden kind, linked from one guide


def get(client, query):
    return client.get("/graphql/", {"query": query}, HTTP_ACCEPT="application/json")


def fresh(client, query):
    """The answer computed now: the response cache never answers Authorization."""
    response = client.post(
        "/graphql/",
        json.dumps({"query": query}),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer fresh",
    )
    return response.json()


class TestPublishingOneGuide:
    @pytest.fixture
    def cached(self, client, make_guide, hub):
        a = make_guide("Guide A")
        b = make_guide("Guide B")
        queries = {
            "A": f"{{ guide(id: {a.pk}) {{ title summary }} }}",
            "B": f"{{ guide(id: {b.pk}) {{ title summary hub {{ title }} }} }}",
            "B by slug": f'{{ guide(slug: "{b.slug}") {{ title }} }}',
            "A's hub": f"{{ hub(id: {hub.pk}) {{ guides {{ items {{ title }} }} }} }}",
            "list": "{ guides { items { title } } }",
            "hubs": "{ hubs { title } }",
        }
        for query in queries.values():
            assert get(client, query).status_code == 200
        a.title = "Guide A, revised"
        publish_reviewed(a)
        return queries

    def test_an_unrelated_guide_is_still_served_from_the_cache_without_sql(
        self, client, cached, django_assert_num_queries
    ):
        for name in ("B", "B by slug", "hubs"):
            with django_assert_num_queries(0):
                response = get(client, cached[name])
            assert "Guide A" not in response.content.decode(), name

    def test_the_guide_its_hub_and_every_list_that_shows_it_are_fresh_at_once(self, client, cached):
        for name in ("A", "A's hub", "list"):
            assert "Guide A, revised" in get(client, cached[name]).content.decode(), name

    def test_a_new_guide_appears_in_lookups_that_found_nothing_before(self, client, make_guide):
        query = '{ guide(slug: "not-yet") { title } }'
        assert get(client, query).json() == {"data": {"guide": None}}
        make_guide("Arrived", slug="not-yet")
        assert get(client, query).json() == {"data": {"guide": {"title": "Arrived"}}}


class TestWhatAnAnswerRecords:
    def test_a_guide_names_itself_its_ancestors_and_what_it_shows(
        self, client, make_guide, make_faq, hub, category
    ):
        faq = make_faq()
        guide = make_guide(faqs=[faq])
        query = f"{{ guide(id: {guide.pk}) {{ title category {{ name }} faqs {{ question }} }} }}"
        assert get(client, query).status_code == 200
        entry = response_cache.lookup(RequestFactory().get("/graphql/"), query, None, None)
        tags = set(entry.tags)
        assert {f"page:{guide.pk}", f"faqs.faq:{faq.pk}", f"tree:{hub.path}"} <= tags
        assert f"guides.guidecategory:{category.pk}" in tags
        # One guide by id reads no collection: other guides' changes leave it.
        assert not {tag for tag in tags if tag.startswith("list:")}

    def test_a_lookup_that_finds_nothing_reads_the_whole_collection(self):
        with cache_tags.recording():
            from wagtail.models import Page

            assert cache_tags.keyed(lambda: None, Page) is None
            assert "list:wagtailcore.page" in cache_tags.current()

    def test_recording_is_off_outside_a_request(self, make_guide):
        guide = make_guide()
        cache_tags.record_object(guide)
        assert cache_tags.current() == frozenset()


class TestSingleFlight:
    def test_a_second_request_waits_for_the_first_to_store_its_answer(self, settings, hub):
        settings.GRAPHQL_RESPONSE_CACHE_WAIT = 0.5
        request = RequestFactory().get("/graphql/")
        first = response_cache.await_answer(
            response_cache.lookup(request, "{ hubs { title } }", None, None)
        )
        assert first.computing
        first.seconds_until_next_expiry()  # read here: the thread below has no database
        # The second finds the claim and waits: the first stores meanwhile.
        import threading

        def store_soon():
            response_cache.store(first, '{"data":{"hubs":[]}}', '"x"', tags=["list:x"])

        timer = threading.Timer(0.1, store_soon)
        timer.start()
        second = response_cache.await_answer(
            response_cache.lookup(request, "{ hubs { title } }", None, None)
        )
        timer.join()
        assert second.body == '{"data":{"hubs":[]}}' and not second.computing
        response_cache.release(first)

    def test_a_request_that_waits_too_long_computes_the_answer_itself(self, settings, hub):
        settings.GRAPHQL_RESPONSE_CACHE_WAIT = 0.05
        request = RequestFactory().get("/graphql/")
        first = response_cache.await_answer(
            response_cache.lookup(request, "{ hubs { title } }", None, None)
        )
        second = response_cache.await_answer(
            response_cache.lookup(request, "{ hubs { title } }", None, None)
        )
        assert first.computing and not second.computing and second.body is None
        response_cache.release(first)


# The stale-answer hunt.


@pytest.fixture
def generous_limits(settings):
    for name in ("COST", "ALIASES", "FIELDS", "TOKENS", "REPEATED_FIELDS", "FRAGMENTS"):
        setattr(settings, f"GRAPHQL_MAX_{name}", 10**9)
    settings.GRAPHQL_RESPONSE_CACHE_MAX_ANSWER_BYTES = 10**7
    return settings


def generated_documents(client, world, max_depth):
    """The leak hunt's walk (cached answers aside): every root call, then every
    path to objects the answers hold. Search is never cached: left out."""
    documents = []

    def run(document):
        documents.append(document)
        return fresh(client, document).get("data") or {}

    calls = [call for call in _root_calls(world) if not call.startswith("search(")]
    leak_hunt.walk(calls, max_depth, run)
    return documents


def changes(world, hub, category):
    """A change of every kind, each retiring different tags, applied in turn."""
    carrier = world["carrier"]
    pages = {page.slug: page for page in world["pages"]}

    def publish(slug, **fields):
        page = pages[slug].specific_class.objects.get(pk=pages[slug].pk)
        for name, value in fields.items():
            setattr(page, name, value)
        publish_reviewed(page)

    def edit_faq():
        faq = world["faqs"][-1]  # the one anyone may read
        faq.question = "A question, reworded?"
        publish_reviewed(faq)

    def reveal_expired_faq():
        faq = world["faqs"][1]
        faq.expire_at = None
        faq.save()

    def move_pending_guide_under_the_draft_hub():
        pending = pages["pending-guide"]
        pending.refresh_from_db()
        pending.move(pages["hub-zqdrafthubmarker"], pos="last-child")

    def rename_category():
        category.name = "Renamed category"
        category.save()

    return [
        ("an edit of the carrier guide", lambda: publish(carrier.slug, title="Carrier, revised")),
        ("publishing the draft guide it links to", lambda: publish("guide-zqdraftmarker")),
        ("an edit of the FAQ anyone may read", edit_faq),
        ("the expired FAQ given no expiry", reveal_expired_faq),
        (
            "lifting the restricted hub's restriction",
            lambda: PageViewRestriction.objects.filter(
                page=pages["hub-zqrestrictedhubmarker"]
            ).delete(),
        ),
        ("moving a guide under the draft hub", move_pending_guide_under_the_draft_hub),
        ("publishing the draft hub", lambda: publish("hub-zqdrafthubmarker")),
        ("renaming the category", rename_category),
        ("unpublishing the hub everything is under", lambda: hub.unpublish()),
    ]


def without_sync_tokens(answer):
    """An answer with its sync tokens left out: a token carries the time it was
    made, so no two computations give the same one, and a cached answer's older
    token is as good (a sync from it asks for a little more than it needs)."""
    if isinstance(answer, dict):
        return {
            k: "token" if k == "nextToken" else without_sync_tokens(v) for k, v in answer.items()
        }
    if isinstance(answer, list):
        return [without_sync_tokens(item) for item in answer]
    return answer


def test_no_change_leaves_a_stale_answer_in_the_cache(
    client, world, generous_limits, hub, category
):
    documents = generated_documents(client, world, generous_limits.GRAPHQL_MAX_DEPTH)
    assert len(documents) > 100
    for document in documents:
        assert get(client, document).status_code == 200
    stale = []
    kinds = changes(world, hub, category)
    for what, change in kinds:
        change()
        for document in documents:
            if without_sync_tokens(get(client, document).json()) != without_sync_tokens(
                fresh(client, document)
            ):
                stale.append((what, document[:100]))
    print(f"\n{len(documents)} documents x {len(kinds)} changes, {len(stale)} stale answers")
    roots = sorted({(what, document.split("{")[1].strip()[:60]) for what, document in stale})
    assert not stale, "\n".join(f"after {what}: {root}" for what, root in roots)


def test_a_request_stops_waiting_when_the_first_gives_up_without_storing(settings, hub):
    settings.GRAPHQL_RESPONSE_CACHE_WAIT = 5
    request = RequestFactory().get("/graphql/")
    first = response_cache.await_answer(
        response_cache.lookup(request, "{ hubs { title } }", None, None)
    )
    import threading
    import time

    threading.Timer(0.1, response_cache.release, (first,)).start()  # e.g. its answer had errors
    started = time.monotonic()
    second = response_cache.await_answer(
        response_cache.lookup(request, "{ hubs { title } }", None, None)
    )
    assert second.body is None and not second.computing
    assert time.monotonic() - started < 2
