"""Refresh-ahead (cms/caching/refresh_ahead.py): a publish recomputes the hot
answers it retires before it returns, readers are served the previous answer
meanwhile instead of computing or waiting, and after the publish every reader
sees the change without anyone computing it."""

import json

from django.conf import settings as django_settings
from django.core.cache import caches

from cms.caching import refresh_ahead
from tests.admin_workflow import publish_reviewed

GUIDE = "query Guide($slug: String) { guide(slug: $slug) { title } }"


def read(client, slug):
    response = client.get(
        "/graphql/",
        {"query": GUIDE, "variables": json.dumps({"slug": slug})},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200, response.content
    return response


def title(response):
    return response.json()["data"]["guide"]["title"]


def make_hot(client, *guides, reads=3):
    """Readers ask for these guides (each answer cached, then hit), and the
    counts reach the shared index."""
    for guide in guides:
        for _ in range(reads):
            read(client, guide.slug)
    refresh_ahead.flush_now(caches[django_settings.GRAPHQL_CACHE_ALIAS])


def publish(guide, title, capture):
    with capture(execute=True):
        guide.title = title
        publish_reviewed(guide)


def test_a_publish_recomputes_the_hot_answers_it_retires_before_it_returns(
    client, make_guide, django_capture_on_commit_callbacks, django_assert_num_queries
):
    changed, other = make_guide(title="Before"), make_guide(title="Other")
    make_hot(client, changed, other)

    publish(changed, "After", django_capture_on_commit_callbacks)

    with django_assert_num_queries(0):  # nobody computes it after the publish
        assert title(read(client, changed.slug)) == "After"
        assert title(read(client, other.slug)) == "Other"


def test_answers_nobody_reads_are_retired_and_computed_by_their_next_reader(
    client, make_guide, django_capture_on_commit_callbacks
):
    cold = make_guide(title="Before")
    read(client, cold.slug)  # cached, but not yet counted in the shared index

    publish(cold, "After", django_capture_on_commit_callbacks)

    response = read(client, cold.slug)
    assert title(response) == "After"
    assert response["Cache-Control"].startswith("public")


def test_while_a_publish_refreshes_an_answer_readers_get_the_previous_one_unshared(
    client, make_guide, django_assert_num_queries
):
    guide = make_guide(title="Before")
    make_hot(client, guide)
    cache = caches[django_settings.GRAPHQL_CACHE_ALIAS]

    chosen = refresh_ahead.prepare(cache, {f"page:{guide.pk}"})
    assert len(chosen) == 1
    guide.title = "After"
    publish_reviewed(guide)  # in the test's transaction: tags retired at once

    with django_assert_num_queries(0):  # neither computed nor waited for
        response = read(client, guide.slug)
        posted = client.post(
            "/graphql/",
            json.dumps({"query": GUIDE, "variables": {"slug": guide.slug}}),
            content_type="application/json",
        )
    for answer in (response, posted):
        assert title(answer) == "Before"
        assert answer["Cache-Control"] == "no-cache"  # no CDN or browser keeps it
        assert "xkey" not in answer and "Surrogate-Key" not in answer

    refresh_ahead.refresh(cache, chosen)
    with django_assert_num_queries(0):
        response = read(client, guide.slug)
    assert title(response) == "After"
    assert response["Cache-Control"].startswith("public")


def test_a_retired_answer_nobody_refreshes_is_never_served(client, make_guide):
    guide = make_guide(title="Before")
    make_hot(client, guide)
    guide.title = "After"
    publish_reviewed(guide)  # retired, and not marked as refreshing
    assert title(read(client, guide.slug)) == "After"


def test_the_hottest_answers_are_refreshed_first_and_no_more_than_the_limit(
    client, make_guide, settings
):
    settings.GRAPHQL_REFRESH_AHEAD_MAX = 1
    hot, warm = make_guide(title="Hot"), make_guide(title="Warm")
    make_hot(client, hot, reads=5)
    make_hot(client, warm, reads=2)
    cache = caches[django_settings.GRAPHQL_CACHE_ALIAS]

    chosen = refresh_ahead.prepare(cache, {f"page:{hot.pk}", f"page:{warm.pk}"})

    assert [variables for _key, (_query, variables, *_rest) in chosen] == [{"slug": hot.slug}]


def test_a_refresh_stays_within_its_time_budget(client, make_guide, settings):
    settings.GRAPHQL_REFRESH_AHEAD_SECONDS = 0
    guide = make_guide(title="Before")
    make_hot(client, guide)
    cache = caches[django_settings.GRAPHQL_CACHE_ALIAS]
    chosen = refresh_ahead.prepare(cache, {f"page:{guide.pk}"})
    guide.title = "After"
    publish_reviewed(guide)

    refresh_ahead.refresh(cache, chosen)  # no time: nothing asked again, marks gone

    assert not any(cache.get(refresh_ahead.REFRESHING_KEY + key) for key, _how in chosen)
    assert title(read(client, guide.slug)) == "After"  # its next reader computes it


def test_refresh_ahead_can_be_turned_off(client, make_guide, settings):
    settings.GRAPHQL_REFRESH_AHEAD_MAX = 0
    guide = make_guide(title="Before")
    make_hot(client, guide)
    assert refresh_ahead.prepare(caches[django_settings.GRAPHQL_CACHE_ALIAS], {"all"}) == []


def test_the_refreshed_answer_is_the_one_a_reader_would_have_computed(
    client, make_guide, django_capture_on_commit_callbacks
):
    guide = make_guide(title="Before")
    make_hot(client, guide)
    publish(guide, "After", django_capture_on_commit_callbacks)
    refreshed = read(client, guide.slug)

    caches[django_settings.GRAPHQL_CACHE_ALIAS].clear()
    computed = read(client, guide.slug)

    assert refreshed.content == computed.content
    assert refreshed["ETag"] == computed["ETag"]
