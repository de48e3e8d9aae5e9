"""One visibility rule for every output: REST, rich text, `changes`, the
change log and search answer what GraphQL's gate answers (cms/visibility/).

Each test is a way hidden content once reached an answer: an image or
document in a private collection, a javascript: address in rich text, an id
of a hidden FAQ or page in a REST block value, a tombstone or a change-log
entry for something never public, a search hit for content hidden without a
save.
"""

import datetime
import json

import pytest
import wagtail_factories
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Locale, PageViewRestriction

from cms import sync
from faqs.models import FAQ
from guides.models import GuideChange, GuidePage
from tests.admin_workflow import publish_reviewed

CHANGE_LOG = "query ($id: ID!) { guide(id: $id) { changeLog { summary } } }"
SEARCH = """query ($q: String!) {
  search(query: $q, perPage: 50) { total items { kind title excerpt } }
  searchSuggestions(prefix: $q) { text }
}"""
CHANGES = """query ($since: String) {
  changes(since: $since, perPage: 100) { removed { kind id } updated { kind id } }
}"""


def _past():
    return timezone.now() - datetime.timedelta(minutes=5)


@pytest.fixture
def private_collection(db):
    private = Collection.get_first_root_node().add_child(name="Staff only")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
    )
    return private


@pytest.fixture
def private_image(private_collection):
    return wagtail_factories.ImageFactory(
        title="Private scan", collection=private_collection, file__filename="zqprivatescan.jpg"
    )


@pytest.fixture
def private_document(private_collection):
    return get_document_model().objects.create(
        title="Staff rota", file="documents/zqprivaterota.pdf", collection=private_collection
    )


def _rest(client, page):
    response = client.get(f"/api/v2/pages/{page.pk}/?fields=*")
    assert response.status_code == 200
    return response.json()


# Change log.


def test_deleting_an_faq_readers_never_saw_writes_nothing_in_a_guide_change_log(
    graphql, make_guide, make_faq
):
    never = make_faq("Question zqneverpublished?", publish=False)
    expired = make_faq("Question zqexpiredoutofband?")
    shown = make_faq("A question readers saw?")
    guide = make_guide("Carrier", faqs=[never, expired, shown])
    # Expired without a save: the instance deleted below still says live.
    FAQ.objects.filter(pk=expired.pk).update(expire_at=_past())
    before = GuideChange.objects.filter(guide=guide).count()

    never.delete()
    expired.delete()
    assert GuideChange.objects.filter(guide=guide).count() == before
    shown.delete()  # readers saw it: they are told it went
    log = graphql.data(CHANGE_LOG, {"id": guide.pk})["guide"]["changeLog"]
    summaries = [entry["summary"] for entry in log]
    assert "Removed the question “A question readers saw?”." in summaries
    assert not [s for s in summaries if "zq" in s]


def test_publishing_an_faq_already_expired_writes_nothing_in_a_guide_change_log(
    make_guide, make_faq
):
    faq = make_faq("Question?")
    guide = make_guide("Carrier", faqs=[faq])
    before = GuideChange.objects.filter(guide=guide).count()
    faq.expire_at = _past()
    faq.change_summary = "zqexpiredsummary"
    publish_reviewed(faq)
    assert not GuideChange.objects.filter(guide=guide, summary__contains="zq").exists()
    assert GuideChange.objects.filter(guide=guide).count() == before


# Private collections: REST hero image, rich-text embeds and document links.


def test_rest_hero_image_in_a_private_collection_is_null_and_never_rendered(
    client, graphql, make_guide, private_image
):
    guide = make_guide("Carrier", hero_image=private_image)
    data = _rest(client, guide)
    assert data["hero_image"] is None
    assert "zqprivatescan" not in json.dumps(data)
    assert not private_image.renditions.exists()  # no file written for it
    assert graphql.data(f'{{ guide(id: "{guide.pk}") {{ heroImage {{ id }} }} }}') == {
        "guide": {"heroImage": None}
    }


def test_rich_text_embeds_and_links_nothing_from_a_private_collection(
    client, graphql, make_guide, make_faq, private_image, private_document
):
    text = (
        f'<p>See <a linktype="document" id="{private_document.pk}">the rota</a>.</p>'
        f'<embed embedtype="image" id="{private_image.pk}" format="fullwidth" alt="zqprivatealt"/>'
    )
    faq = make_faq("Question?", text)
    guide = make_guide(
        "Carrier",
        quick_answer=text,
        faqs=[faq],
        body=[
            {"type": "paragraph", "value": text},
            {"type": "callout", "value": {"variant": "info", "title": "Note", "body": text}},
        ],
    )
    answers = [
        json.dumps(_rest(client, guide)),
        json.dumps(
            graphql.data(
                f"""{{ guide(id: "{guide.pk}") {{
                    quickAnswer quickAnswerTree faqs {{ answer answerTree }}
                    body {{ ... on ParagraphBlock {{ value valueTree }}
                            ... on CalloutBlock {{ body }} }} }} }}"""
            )
        ),
    ]
    for answer in answers:
        assert "the rota" in answer  # the words stay
        assert "zqprivate" not in answer
        assert "documents/" not in answer and "/images/" not in answer
    assert not private_image.renditions.exists()


def test_a_public_image_and_document_keep_their_addresses(client, make_guide, image):
    leaflet = get_document_model().objects.create(title="Leaflet", file="documents/leaflet.pdf")
    text = (
        f'<p><a linktype="document" id="{leaflet.pk}">Leaflet</a></p>'
        f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="Room"/>'
    )
    guide = make_guide("Carrier", quick_answer=text)
    quick_answer = _rest(client, guide)["quick_answer"]
    assert leaflet.url in quick_answer and "<img" in quick_answer and "src=" in quick_answer


# Sanitised HTML.


HOSTILE = (
    '<p><a href="javascript:alert(1)">one</a> <a href="JavaScript:alert(2)">two</a> '
    '<a href="data:text/html;base64,PHNjcmlwdD4=">three</a> '
    '<a href="https://example.org/" onclick="alert(3)">four</a></p>'
    '<p><img src="data:image/png;base64,AAAA" onerror="alert(4)"></p>'
    "<script>alert(5)</script><style>p{}</style>"
    '<iframe src="javascript:alert(6)"></iframe>'
)


def test_rich_text_html_drops_script_addresses_and_handlers_in_every_output(
    client, graphql, make_guide, make_faq
):
    faq = make_faq("Question?", HOSTILE)
    guide = make_guide(
        "Carrier",
        quick_answer=HOSTILE,
        disclaimer=HOSTILE,
        faqs=[faq],
        body=[{"type": "paragraph", "value": HOSTILE}],
    )
    answers = [
        json.dumps(_rest(client, guide)),
        json.dumps(
            graphql.data(
                f"""{{ guide(id: "{guide.pk}") {{ quickAnswer disclaimer faqs {{ answer }}
                    body {{ ... on ParagraphBlock {{ value }} }} }}
                    faq(id: "{faq.pk}") {{ answer }} }}"""
            )
        ),
    ]
    for answer in answers:
        lowered = answer.lower()
        for bad in ("javascript:", "data:", "onclick", "onerror", "<script", "<style", "alert("):
            assert bad not in lowered, bad
        assert 'href=\\"https://example.org/\\"' in answer  # safe links stay


# REST block values: no id of a hidden FAQ or page.


def test_rest_block_values_name_no_hidden_faq_or_page(client, make_guide, make_faq, make_hub):
    hidden_faq = make_faq("Hidden?", publish=False)
    shown_faq = make_faq("Shown?")
    draft = make_guide("Draft", publish=False)
    restricted = make_guide("Restricted")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    shown = make_guide("Shown")
    cta = {"heading": "Next", "text": "", "button_label": "Go", "external_url": ""}
    guide = make_guide(
        "Carrier",
        body=[
            {"type": "faqs", "value": {"title": "Q", "faqs": [hidden_faq.pk, shown_faq.pk]}},
            {"type": "call_to_action", "value": {**cta, "page": draft.pk}},
            {"type": "call_to_action", "value": {**cta, "page": restricted.pk}},
            {"type": "call_to_action", "value": {**cta, "page": shown.pk}},
        ],
    )
    body = _rest(client, guide)["body"]
    assert body[0]["value"]["faqs"] == [shown_faq.pk]
    assert [block["value"]["page"] for block in body[1:]] == [None, None, shown.pk]


# Sync: no tombstone for what was never public.


def test_changes_send_no_tombstone_for_what_was_never_public(
    graphql, make_guide, make_faq, make_hub
):
    token = sync.make_token(
        {"v": 1, "l": Locale.get_default().pk, "m": "at", "p": 0, "t": _past().timestamp()}
    )
    restricted_hub = make_hub("Restricted hub")
    PageViewRestriction.objects.create(page=restricted_hub, restriction_type="login")
    draft_hub = make_hub("Draft hub", publish=False)
    never = [
        make_guide("Draft", publish=False),
        make_guide("Under a restricted hub", parent=restricted_hub),
        make_guide("Under a draft hub", parent=draft_hub),
        draft_hub,
    ]
    never_faqs = [make_faq("Never published?", publish=False)]
    deleted_draft_faq = make_faq("Deleted draft?", publish=False)
    # Guides that place the hidden FAQs change when those do: they are visible.
    make_guide("Carrier", faqs=[*never_faqs, deleted_draft_faq])
    deleted_draft_faq_id = deleted_draft_faq.pk
    deleted_draft_faq.delete()
    never_faqs[0].question = "Edited, still a draft?"
    never_faqs[0].save()
    # Expired without ever being public, and a go-live that passed unpublished.
    scheduled = make_faq("Scheduled?", publish=False)
    FAQ.objects.filter(pk=scheduled.pk).update(go_live_at=_past(), expire_at=timezone.now())
    once = make_guide("Once public")
    once.unpublish()

    answer = graphql.data(CHANGES, {"since": token})["changes"]
    removed = {(item["kind"], item["id"]) for item in answer["removed"]}
    hidden_ids = {
        *(("GUIDE", str(p.pk)) for p in never if isinstance(p.specific, GuidePage)),
        *(("HUB", str(p.pk)) for p in never if not isinstance(p.specific, GuidePage)),
        *(("FAQ", str(f.pk)) for f in [*never_faqs, scheduled]),
        ("FAQ", str(deleted_draft_faq_id)),
    }
    assert not removed & hidden_ids
    assert ("GUIDE", str(once.pk)) in removed  # readers saw it: apps drop it


# Search: each hit re-checked against the object it names.


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"expire_at": "past"}, id="expired"),
        pytest.param({"live": False}, id="unpublished"),
    ],
)
def test_search_hides_content_hidden_without_a_save(graphql, make_guide, make_faq, change):
    guide = make_guide("Zqoutofband guide", summary="Zqoutofband summary.")
    faq = make_faq("Zqoutofband question?", "<p>Zqoutofband answer.</p>")
    assert graphql.data(SEARCH, {"q": "zqoutofband"})["search"]["total"] == 2
    values = {name: _past() if value == "past" else value for name, value in change.items()}
    GuidePage.objects.filter(pk=guide.pk).update(**values)
    FAQ.objects.filter(pk=faq.pk).update(**values)

    answer = graphql.data(SEARCH, {"q": "zqoutofband"})
    assert answer["search"] == {"total": 0, "items": []}
    assert answer["searchSuggestions"] == []


def test_search_hides_a_guide_restricted_or_moved_under_a_hidden_hub_without_a_save(
    graphql, make_guide, make_hub
):
    guide = make_guide("Zqrestricted guide")
    other = make_guide("Zqrestricted other")
    draft_hub = make_hub("Draft hub", publish=False)
    # Rows written as a restore or a migration would: no signal, no save.
    PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=guide, restriction_type="login")]
    )
    assert graphql.data(SEARCH, {"q": "zqrestricted"})["search"]["total"] == 1
    other.move(draft_hub, pos="last-child")
    assert graphql.data(SEARCH, {"q": "zqrestricted"})["search"]["total"] == 0


def test_search_reads_each_hit_in_bulk_not_one_query_per_hit(graphql, make_guide, make_faq):
    def queries():
        graphql.data(SEARCH, {"q": "zqbulk"})  # the site facts read once
        with CaptureQueriesContext(connection) as captured:
            answer = graphql.data(SEARCH, {"q": "zqbulk"})
        return len(captured), answer["search"]["total"]

    make_guide("Zqbulk guide")
    make_faq("Zqbulk question?")
    few = queries()
    for number in range(8):
        make_guide(f"Zqbulk guide {number}")
        make_faq(f"Zqbulk question {number}?")
    many = queries()
    assert many[1] == 18 and many[0] <= few[0]
