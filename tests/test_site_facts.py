"""Hidden subtrees, restricted collections and the site settings are read
once and kept between requests, until a change retires them or the clock
hides a subtree: an uncached answer does not read them again every time."""

import datetime
import json
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

SITE_FACT_TABLES = ("pageviewrestriction", "collectionviewrestriction", "sitesettings")


def guide_query(guide):
    return f"{{ guide(id: {guide.pk}) {{ title disclaimer heroImage {{ id }} }} }}"


def uncached(query):
    """Answered afresh: a request with credentials never comes from the response cache."""
    response = Client().post(
        "/graphql/",
        json.dumps({"query": query}),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer reader",
    )
    assert response.status_code == 200, response.content
    return response.json()["data"]


def site_fact_reads(query):
    with CaptureQueriesContext(connection) as queries:
        data = uncached(query)
    reads = [q["sql"] for q in queries if any(t in q["sql"] for t in SITE_FACT_TABLES)]
    return data, reads


def test_a_second_answer_reads_no_site_fact_from_the_database(make_guide):
    from cms.site_settings import SiteSettings

    SiteSettings.load()  # its row, as every site has (the first load creates it)
    guide = make_guide()
    _data, first = site_fact_reads(guide_query(guide))
    assert first  # the first request reads them
    data, second = site_fact_reads(guide_query(guide))
    assert second == []
    assert data["guide"]["title"] == guide.title


def test_unpublishing_a_hub_hides_its_guides_from_the_next_answer(hub, make_guide):
    guide = make_guide()
    assert uncached(guide_query(guide))["guide"] is not None
    hub.unpublish()
    assert uncached(guide_query(guide))["guide"] is None
    hub.save_revision().publish()
    assert uncached(guide_query(guide))["guide"] is not None


def test_restricting_a_hub_hides_its_guides_from_the_next_answer(hub, make_guide):
    guide = make_guide()
    assert uncached(guide_query(guide))["guide"] is not None
    restriction = PageViewRestriction.objects.create(page=hub, restriction_type="login")
    assert uncached(guide_query(guide))["guide"] is None
    restriction.delete()
    assert uncached(guide_query(guide))["guide"] is not None


def test_a_hub_that_expires_hides_its_guides_when_it_does_without_any_change(hub, make_guide):
    guide = make_guide()
    hub.expire_at = timezone.now() + datetime.timedelta(seconds=1.5)
    hub.save_revision().publish()
    assert uncached(guide_query(guide))["guide"] is not None
    time.sleep(1.6)  # no signal: only the kept fact's end time says it changed
    assert uncached(guide_query(guide))["guide"] is None


def test_saving_the_site_settings_changes_the_next_answer(make_guide):
    from cms.site_settings import SiteSettings

    guide = make_guide()
    settings = SiteSettings.load()
    settings.default_disclaimer = "<p>First</p>"
    settings.save()
    assert "First" in uncached(guide_query(guide))["guide"]["disclaimer"]
    settings.default_disclaimer = "<p>Second</p>"
    settings.save()
    assert "Second" in uncached(guide_query(guide))["guide"]["disclaimer"]


def test_with_the_response_cache_off_every_request_reads_them(settings, make_guide):
    # Without the cache's shared numbers a change on another server would go unseen.
    settings.GRAPHQL_RESPONSE_CACHE_ENABLED = False
    guide = make_guide()
    site_fact_reads(guide_query(guide))
    _data, second = site_fact_reads(guide_query(guide))
    assert second
