"""Delta sync (`changes`), tested as an offline app uses it: a first sync into
a local copy, changes of every kind on the server, a second sync from the
token, and the local copy must equal what the API shows when read afresh."""

import datetime
import io
import json
from unittest import mock

import pytest
from django.core import signing
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms import sync
from cms.site_settings import SiteSettings
from guides.models import Audience, CancerType, GuideCategory, GuidePage
from tests.admin_workflow import publish_reviewed
from tests.test_graphql_guides import BODY_FIELDS

GUIDE = f"""
  id title slug urlPath summary lastPublishedAt standfirst keyHighlights
  quickAnswer quickAnswerTree category {{ id }} cancerTypes {{ id }} audiences {{ id }}
  faqs {{ id }} relatedGuides {{ id }} hub {{ id }} {BODY_FIELDS}
"""
HUB = "id title slug urlPath eyebrow tagline intro introTree"
FAQ = "id question answer answerTree updatedAt topic { id name slug }"
TERM = "id name slug"
SETTINGS = "defaultDisclaimer defaultDisclaimerTree contactCallToAction { heading url }"

CHANGES = f"""
query Changes($since: String, $locale: String, $perPage: Int) {{
  changes(since: $since, locale: $locale, perPage: $perPage) {{
    updated {{
      kind id
      guide {{ {GUIDE} }}
      hub {{ {HUB} }}
      faq {{ {FAQ} }}
      guideCategory {{ {TERM} }}
      cancerType {{ {TERM} }}
      audience {{ {TERM} }}
      siteSettings {{ {SETTINGS} }}
    }}
    removed {{ kind id }}
    nextToken
    hasMore
  }}
}}
"""
ITEM_FIELD = {
    "GUIDE": "guide",
    "HUB": "hub",
    "FAQ": "faq",
    "GUIDE_CATEGORY": "guideCategory",
    "CANCER_TYPE": "cancerType",
    "AUDIENCE": "audience",
    "SITE_SETTINGS": "siteSettings",
}
# The same objects read through the rest of the API, independently of `changes`.
FRESH = f"""
{{
  guides(perPage: 100) {{ items {{ {GUIDE} }} }}
  hubs {{ {HUB} }}
  faqs(perPage: 100) {{ items {{ {FAQ} }} }}
  siteSettings {{ {SETTINGS} }}
}}
"""


@pytest.fixture(autouse=True)
def _room_for_every_field(settings):
    settings.GRAPHQL_MAX_COST = 10**7
    settings.GRAPHQL_MAX_DEPTH = 50
    # Entries from just before a token are read again (a change may commit
    # after the token was made); in these tests everything is that recent.
    settings.SYNC_COMMIT_GRACE_SECONDS = 0


class App:
    """An offline app: a local copy keyed by (kind, id), and its last token."""

    def __init__(self, graphql, per_page=100):
        self.graphql, self.per_page = graphql, per_page
        self.store, self.token, self.requests = {}, None, 0

    def sync(self):
        while True:
            variables = {"since": self.token, "perPage": self.per_page}
            answer = self.graphql.data(CHANGES, variables)["changes"]
            self.requests += 1
            for item in answer["updated"]:
                self.store[(item["kind"], item["id"])] = item[ITEM_FIELD[item["kind"]]]
            for gone in answer["removed"]:
                self.store.pop((gone["kind"], gone["id"]), None)
            self.token = answer["nextToken"]
            if not answer["hasMore"]:
                return answer

    def of_kind(self, kind):
        return {pk: item for (k, pk), item in self.store.items() if k == kind}


def assert_matches_the_api(app, graphql):
    """The local copy is what a new app's first sync gets, and what the rest of the API shows."""
    fresh_app = App(graphql)
    fresh_app.sync()
    differing = {
        key: (app.store.get(key), fresh_app.store.get(key))
        for key in app.store.keys() | fresh_app.store.keys()
        if app.store.get(key) != fresh_app.store.get(key)
    }
    assert not differing, differing
    fresh = graphql.data(FRESH)
    assert app.of_kind("GUIDE") == {g["id"]: g for g in fresh["guides"]["items"]}
    assert app.of_kind("HUB") == {h["id"]: h for h in fresh["hubs"]}
    assert app.of_kind("FAQ") == {f["id"]: f for f in fresh["faqs"]["items"]}
    assert list(app.of_kind("SITE_SETTINGS").values()) == [fresh["siteSettings"]]
    for kind, model in (
        ("GUIDE_CATEGORY", GuideCategory),
        ("CANCER_TYPE", CancerType),
        ("AUDIENCE", Audience),
    ):
        terms = {
            str(t.pk): {"id": str(t.pk), "name": t.name, "slug": t.slug}
            for t in model.objects.all()
        }
        assert app.of_kind(kind) == terms


def past(minutes=1):
    return timezone.now() - datetime.timedelta(minutes=minutes)


def hours_later(hours):
    return mock.patch(
        "django.utils.timezone.now",
        return_value=timezone.now() + datetime.timedelta(hours=hours),
    )


@pytest.fixture
def site(make_hub, make_guide, make_faq, hub, taxonomy):
    settings = SiteSettings.load()
    settings.default_disclaimer = "<p>General information only.</p>"
    settings.contact_heading = "Need to talk?"
    settings.save()
    faqs = [make_faq(f"Question {n}?", f"<p>Answer {n}.</p>") for n in range(4)]
    draft_hub = make_hub("Draft hub", publish=False)
    other_hub = make_hub("Other hub")
    guides = [make_guide(f"Guide {n}", faqs=faqs[:2]) for n in range(8)]
    guides[0].cancer_types.add(taxonomy["lymphoma"])
    in_other = [make_guide(f"Other {n}", parent=other_hub) for n in range(2)]
    expiring_hub = make_hub("Expiring hub", expire_at=timezone.now() + datetime.timedelta(hours=1))
    in_expiring = make_guide("Under the expiring hub", parent=expiring_hub)
    return {
        "faqs": faqs,
        "guides": guides,
        "draft_hub": draft_hub,
        "other_hub": other_hub,
        "in_other": in_other,
        "expiring_hub": expiring_hub,
        "in_expiring": in_expiring,
        "taxonomy": taxonomy,
        "settings": settings,
    }


def publish_edit(page_or_faq, **fields):
    for name, value in fields.items():
        setattr(page_or_faq, name, value)
    publish_reviewed(page_or_faq)


def test_a_second_sync_brings_the_local_copy_up_to_date_with_every_kind_of_change(
    graphql, site, make_guide, make_faq
):
    app = App(graphql)
    app.sync()
    assert_matches_the_api(app, graphql)
    guides, faqs = site["guides"], site["faqs"]
    assert len(app.of_kind("GUIDE")) == 11 and len(app.of_kind("FAQ")) == 4

    publish_edit(guides[0], title="Guide 0, revised")  # edit
    new = make_guide("A new guide")  # publish new
    guides[1].unpublish()  # unpublish
    guides[2].delete()  # delete
    guides[3].expire_at = past()  # expire, without publish_scheduled
    guides[3].save()
    guides[4].move(site["draft_hub"], pos="last-child")  # move under a draft
    PageViewRestriction.objects.create(page=guides[5], restriction_type="login")  # restrict
    site["other_hub"].unpublish()  # a hub unpublished takes its guides with it
    publish_edit(faqs[0], question="Question 0, revised?")  # FAQ edit
    faqs[1].unpublish()  # FAQ unpublish
    faqs[2].delete()  # FAQ delete
    lymphoma = site["taxonomy"]["lymphoma"]
    lymphoma.name = "Hodgkin lymphoma"  # taxonomy rename
    lymphoma.save()
    site["taxonomy"]["caregivers"].delete()  # taxonomy delete
    new_term = Audience.objects.create(name="Young adults")
    settings = site["settings"]
    settings.contact_heading = "Talk to a nurse"  # settings edit
    settings.save()
    draft_revision_only = site["in_expiring"]  # shows nothing that changes here
    draft_revision_only.title = "An unpublished draft title"
    draft_revision_only.save_revision()  # not published: readers see no change

    answer = app.sync()
    assert_matches_the_api(app, graphql)
    store = app.store
    assert store[("GUIDE", str(guides[0].pk))]["title"] == "Guide 0, revised"
    assert ("GUIDE", str(new.pk)) in store
    gone = [guides[1], guides[2], guides[3], guides[4], guides[5], *site["in_other"]]
    assert not [g.title for g in gone if ("GUIDE", str(g.pk)) in store]
    assert ("HUB", str(site["other_hub"].pk)) not in store
    assert store[("FAQ", str(faqs[0].pk))]["question"] == "Question 0, revised?"
    assert ("FAQ", str(faqs[1].pk)) not in store and ("FAQ", str(faqs[2].pk)) not in store
    assert store[("CANCER_TYPE", str(lymphoma.pk))]["name"] == "Hodgkin lymphoma"
    assert ("AUDIENCE", str(new_term.pk)) in store
    assert ("AUDIENCE", str(site["taxonomy"]["caregivers"].pk)) not in store
    assert store[("SITE_SETTINGS", str(settings.pk))]["contactCallToAction"]["heading"] == (
        "Talk to a nurse"
    )
    # Only what changed came down, not the whole site again.
    sent = {(i["kind"], i["id"]) for i in answer["updated"]}
    assert ("GUIDE", str(draft_revision_only.pk)) not in sent

    # Nothing changed: an empty answer.
    again = app.sync()
    assert again["updated"] == [] and again["removed"] == []


def test_scheduled_expiry_and_go_live_show_up_with_or_without_the_scheduler(
    graphql, site, make_guide, settings
):
    # The clock is moved for Django only; cached answers live by the real one.
    settings.GRAPHQL_RESPONSE_CACHE_ENABLED = False
    scheduled = make_guide("Goes live later", publish=False)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(hours=2)
    publish_reviewed(scheduled)  # schedules it
    app = App(graphql)
    app.sync()
    hub_key = ("HUB", str(site["expiring_hub"].pk))
    child_key = ("GUIDE", str(site["in_expiring"].pk))
    assert hub_key in app.store and child_key in app.store
    assert ("GUIDE", str(scheduled.pk)) not in app.store

    with hours_later(1.5):  # the hub has expired; the scheduler has not run
        app.sync()
        assert hub_key not in app.store and child_key not in app.store
        assert_matches_the_api(app, graphql)
    with hours_later(3):
        call_command("publish_scheduled")  # the hub is unpublished, the guide goes live
        app.sync()
        assert ("GUIDE", str(scheduled.pk)) in app.store
        assert hub_key not in app.store
        assert_matches_the_api(app, graphql)


def test_a_first_sync_larger_than_a_page_comes_in_pages(graphql, site):
    app = App(graphql, per_page=5)
    app.sync()
    everything = len(App(graphql).sync()["updated"])
    assert everything > 20
    assert app.requests == everything // 5 + 1
    assert len(app.store) == everything
    assert_matches_the_api(app, graphql)


def test_changes_during_a_paginated_first_sync_are_in_the_next_one(graphql, site):
    app, edited = App(graphql, per_page=3), None
    while True:
        answer = graphql.data(CHANGES, {"since": app.token, "perPage": 3})["changes"]
        for item in answer["updated"]:
            app.store[(item["kind"], item["id"])] = item[ITEM_FIELD[item["kind"]]]
        app.token = answer["nextToken"]
        guides = [i for i in answer["updated"] if i["kind"] == "GUIDE"]
        if edited is None and guides and answer["hasMore"]:
            edited = GuidePage.objects.get(pk=guides[0]["id"])
            publish_edit(edited, title="Changed while syncing")  # sent already
        if not answer["hasMore"]:
            break
    assert edited is not None
    assert app.store[("GUIDE", str(edited.pk))]["title"] != "Changed while syncing"
    app.sync()  # the changes made meanwhile
    assert app.store[("GUIDE", str(edited.pk))]["title"] == "Changed while syncing"
    assert_matches_the_api(app, graphql)


def errors_of(graphql, variables):
    status, body = graphql.post(CHANGES, variables)
    assert body["data"] == {"changes": None} or body.get("data") is None, body
    return [(e["extensions"]["code"], e["message"]) for e in body["errors"]]


def test_a_tampered_token_is_bad_input(graphql, site):
    token = graphql.data(CHANGES)["changes"]["nextToken"]
    state = signing.loads(token, salt=sync.TOKEN_SALT)
    forged = signing.dumps({**state, "p": 0}, salt="another salt", compress=True)
    for bad in (token[:-3] + "abc", forged, "not a token", ""):
        [(code, message)] = errors_of(graphql, {"since": bad})
        assert code == "BAD_USER_INPUT", (bad, message)
        assert "no token" in message


def test_a_token_older_than_the_history_kept_says_to_sync_from_scratch(graphql, site, settings):
    token = graphql.data(CHANGES)["changes"]["nextToken"]
    with hours_later(24 * settings.SYNC_HISTORY_DAYS + 1):
        [(code, message)] = errors_of(graphql, {"since": token})
    assert code == "SYNC_TOKEN_EXPIRED"
    assert "from scratch, with no token" in message
    # Within the history, the same token works.
    with hours_later(24 * settings.SYNC_HISTORY_DAYS - 1):
        graphql.data(CHANGES, {"since": token})


def test_the_journal_keeps_only_the_history(graphql, site, settings):
    from cms.models import SyncEntry

    assert SyncEntry.objects.exists()
    with hours_later(24 * settings.SYNC_HISTORY_DAYS + 1):
        publish_edit(site["guides"][0], title="Much later")
    assert set(SyncEntry.objects.values_list("object_id", flat=True)) == {site["guides"][0].pk}


def test_locales_sync_on_their_own(graphql, site):
    [(code, message)] = errors_of(graphql, {"locale": "xx"})
    assert code == "BAD_USER_INPUT" and "Unknown locale 'xx'" in message and "en" in message
    from wagtail.models import Locale

    default = Locale.get_default().language_code
    token = graphql.data(CHANGES, {"locale": default})["changes"]["nextToken"]
    other = Locale.objects.create(language_code="fr")
    assert graphql.data(CHANGES, {"locale": "fr"})["changes"]["updated"] == [
        item
        for item in graphql.data(CHANGES, {"locale": "fr"})["changes"]["updated"]
        if item["kind"] not in ("GUIDE", "HUB")
    ]
    [(code, message)] = errors_of(graphql, {"since": token, "locale": other.language_code})
    assert code == "BAD_USER_INPUT" and "another locale" in message


def test_a_page_of_changes_costs_the_same_queries_however_many_items(
    graphql, site, make_guide, settings
):
    settings.GRAPHQL_RESPONSE_CACHE_ENABLED = False

    def count(variables):
        graphql.data(CHANGES, variables)
        with CaptureQueriesContext(connection) as queries:
            answer = graphql.data(CHANGES, variables)["changes"]
        return len(queries), len(answer["updated"]) + len(answer["removed"])

    token = App(graphql).sync()["nextToken"]
    # The same kinds both times (each kind present costs its own query), more of each.
    publish_edit(site["guides"][0], title="One change")
    publish_edit(site["faqs"][3], question="One FAQ change?")  # placed in no guide
    few = count({"since": token})
    for guide in site["guides"][1:]:
        publish_edit(guide, title=guide.title + " changed")
    site["faqs"][0].unpublish()
    many = count({"since": token})
    print(f"SQL queries for changes: {few[0]} for {few[1]}, {many[0]} for {many[1]}")
    assert many[1] > few[1] + 5 and many[0] == few[0]


def test_a_cached_answer_is_retired_by_the_next_change(graphql, site, settings):
    settings.GRAPHQL_RESPONSE_CACHE_ENABLED = True
    token = App(graphql).sync()["nextToken"]
    assert graphql.data(CHANGES, {"since": token})["changes"]["updated"] == []
    with CaptureQueriesContext(connection) as queries:
        graphql.data(CHANGES, {"since": token})
    assert len(queries) == 0  # served from the cache
    publish_edit(site["guides"][0], title="Edited after the cached answer")
    answer = graphql.data(CHANGES, {"since": token})["changes"]
    assert [i["guide"]["title"] for i in answer["updated"]] == ["Edited after the cached answer"]


def test_first_sync_size_of_the_demo_content(graphql, settings, capsys):
    """Bytes of a first sync of the demo content, every page of it (for docs/benchmarks.md)."""
    import gzip

    call_command("load_demo_content", stdout=io.StringIO())
    app = App(graphql)
    bodies = []
    while True:
        status, body = graphql.post(CHANGES, {"since": app.token, "perPage": 100})
        bodies.append(json.dumps(body, separators=(",", ":")).encode())
        app.token = body["data"]["changes"]["nextToken"]
        if not body["data"]["changes"]["hasMore"]:
            break
    raw = sum(len(b) for b in bodies)
    zipped = sum(len(gzip.compress(b, compresslevel=9)) for b in bodies)
    items = sum(len(json.loads(b)["data"]["changes"]["updated"]) for b in bodies)
    with capsys.disabled():
        print(
            f"\nfirst sync of the demo content: {len(bodies)} answers, {items} items, {raw} bytes, {zipped} bytes gzip -9"
        )
    assert items > 0 and zipped < raw
