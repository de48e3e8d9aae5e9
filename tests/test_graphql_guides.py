"""Guides, hubs and pages as frontends read them through /graphql/."""

import datetime

import pytest
from django.utils import timezone

from cms.models import SiteSettings
from guides.models import GuideFAQ, GuidePage, RelatedGuide
from tests.admin_workflow import publish_reviewed

GUIDE_FIELDS = """
  id title slug url standfirst summary publishedDate
  category { name slug } publisher { name url }
  cancerTypes { name slug } audiences { name slug }
  keyHighlights importantFacts quickAnswer disclaimer
  heroImage { id url width height rendition(width: 640) { url width } srcSet(sizes: [320, 640]) }
  faqs { id question answer topic { name slug } }
  relatedGuides { title url }
  hub { title }
  lastReviewed nextReviewDue reviewStatus reviewedBy { name credentials } author { name }
  readability { grade readingEase wordCount } references { number title doi } jsonLd
"""

BODY_FIELDS = """
  body {
    __typename kind id
    ... on HeadingBlock { text level anchor }
    ... on ParagraphBlock { value }
    ... on CalloutBlock { variant title body }
    ... on QuoteBlock { text attribution }
    ... on ScriptBlock { situation words note }
    ... on ChecklistBlock { title items }
    ... on StepsBlock { title steps { number title text } }
    ... on QuestionListBlock { title questions }
    ... on ComparisonBlock { title columns { title points } }
    ... on CallToActionBlock { heading text buttonLabel url }
    ... on ImageBlock { altText caption image { id rendition(width: 320) { width } } }
    ... on TableBlock { caption hasHeaderRow hasHeaderColumn rows }
    ... on FAQsBlock { title faqs { question } }
  }
"""


def every_block(image, faq, linked_page):
    """One block of every type the guide body offers, as stored raw JSON."""
    return [
        {"type": "heading", "value": {"text": "Before you ask", "level": "3", "anchor": ""}},
        {"type": "paragraph", "value": "<p>Plan what you want to <b>say</b>.</p>"},
        {
            "type": "callout",
            "value": {
                "variant": "important",
                "title": "Important",
                "body": "<p>Keep taking your medicines.</p>",
            },
        },
        {"type": "quote", "value": {"text": "Write questions down.", "attribution": "A nurse"}},
        {
            "type": "script",
            "value": {
                "situation": "Asking for time",
                "words": "Could we talk next week?",
                "note": "Be direct.",
            },
        },
        {"type": "checklist", "value": {"title": "Bring", "items": ["Letters", "Medicines list"]}},
        {
            "type": "steps",
            "value": {
                "title": "How it works",
                "steps": [
                    {"title": "Ask", "text": "Ask your team."},
                    {"title": "Send", "text": "Send your records."},
                ],
            },
        },
        {"type": "question_list", "value": {"title": "Ask", "questions": ["What are my options?"]}},
        {
            "type": "comparison",
            "value": {
                "title": "Outcomes",
                "columns": [
                    {"title": "When opinions match", "points": ["Start treatment"]},
                    {"title": "When opinions differ", "points": ["Ask why", "Take time"]},
                ],
            },
        },
        {
            "type": "call_to_action",
            "value": {
                "heading": "Read more",
                "text": "Our other guide.",
                "button_label": "Read it",
                "page": linked_page.pk,
                "external_url": "",
            },
        },
        {
            "type": "image",
            "value": {"image": image.pk, "alt_text": "A waiting room", "caption": "Clinic"},
        },
        {
            "type": "table",
            "value": {
                "table": {
                    "table_caption": "Plans",
                    "first_row_is_table_header": True,
                    "first_col_is_header": True,
                    "data": [["Plan", "Visits"], ["A", None]],
                },
            },
        },
        {"type": "faqs", "value": {"title": "Questions", "faqs": [faq.pk]}},
    ]


@pytest.fixture
def full_guide(make_guide, make_faq, image, publisher, taxonomy):
    faq = make_faq("Will my doctor mind?", "<p>Most expect it.</p>")
    other = make_guide("Preparing your records", published_date=datetime.date(2025, 5, 1))
    guide = make_guide(
        "Asking for a second opinion",
        slug="asking",
        standfirst="Words to start the conversation.",
        summary="How to ask, and what to request.",
        published_date=datetime.date(2026, 3, 14),
        publisher=publisher,
        quick_answer="<p>Ask plainly and request your records.</p>",
        hero_image=image,
        key_highlights='[{"type": "highlight", "value": "It is normal to ask."}]',
        important_facts='[{"type": "fact", "value": "You may have a copy of your records."}]',
        body=every_block(image, faq, other),
        faqs=[faq],
        related=[other],
    )
    guide.cancer_types.set([taxonomy["lymphoma"]])
    guide.audiences.set([taxonomy["patients"], taxonomy["caregivers"]])
    publish_reviewed(guide)
    return guide


def test_guide_by_slug_returns_every_field(graphql, full_guide, image):
    SiteSettings.objects.create(default_disclaimer="<p>General information only.</p>")
    data = graphql.data(f'{{ guide(slug: "asking") {{ {GUIDE_FIELDS} }} }}')
    guide = data["guide"]

    assert guide["title"] == "Asking for a second opinion"
    assert guide["url"] == full_guide.url and guide["url"].endswith("/asking/")
    assert guide["standfirst"] == "Words to start the conversation."
    assert guide["publishedDate"] == "2026-03-14"
    assert guide["category"] == {"name": "Decision Guide", "slug": "decision-guide"}
    assert guide["publisher"] == {
        "name": "Oncology Editorial Board",
        "url": "https://example.org/board",
    }
    assert guide["cancerTypes"] == [{"name": "Lymphoma", "slug": "lymphoma"}]
    assert {a["slug"] for a in guide["audiences"]} == {"patients", "caregivers"}
    assert guide["keyHighlights"] == ["It is normal to ask."]
    assert guide["importantFacts"] == ["You may have a copy of your records."]
    assert guide["quickAnswer"] == "<p>Ask plainly and request your records.</p>"
    assert guide["disclaimer"] == "<p>General information only.</p>"
    assert guide["heroImage"]["id"] == str(image.pk)
    assert guide["heroImage"]["rendition"]["width"] == 640
    assert guide["heroImage"]["srcSet"].count("w,") == 1 and guide["heroImage"]["srcSet"].endswith(
        "640w"
    )
    assert guide["faqs"][0]["question"] == "Will my doctor mind?"
    assert guide["faqs"][0]["answer"] == "<p>Most expect it.</p>"
    other = GuidePage.objects.get(title="Preparing your records")
    assert guide["relatedGuides"] == [{"title": "Preparing your records", "url": other.url}]
    assert guide["hub"] == {"title": "Second opinions"}


def test_related_guides_keep_their_order_without_hidden_ones(graphql, make_guide):
    """The link query no longer filters out links to hidden guides: the
    guides loaded for them are visible ones only, and a link whose guide is
    not among them is left out, in a single guide and in a list alike."""
    first, second = make_guide("First"), make_guide("Second")
    draft = make_guide("Draft", publish=False)
    expired = make_guide("Expired", expire_at=timezone.now() - datetime.timedelta(days=1))
    make_guide("Linking", slug="linking", related=[second, draft, expired, first])
    one = graphql.data('{ guide(slug: "linking") { relatedGuides { title } } }')["guide"]
    assert one["relatedGuides"] == [{"title": "Second"}, {"title": "First"}]
    items = graphql.data("{ guides(perPage: 20) { items { slug relatedGuides { title } } } }")[
        "guides"
    ]["items"]
    linking = next(item for item in items if item["slug"] == "linking")
    assert linking["relatedGuides"] == [{"title": "Second"}, {"title": "First"}]


def test_guide_own_disclaimer_wins_over_site_default(graphql, make_guide):
    SiteSettings.objects.create(default_disclaimer="<p>Default.</p>")
    make_guide(slug="own", disclaimer="<p>Specific to this guide.</p>")
    data = graphql.data('{ guide(slug: "own") { disclaimer } }')
    assert data["guide"]["disclaimer"] == "<p>Specific to this guide.</p>"


def test_guide_lookup_by_id_and_url_path(graphql, full_guide):
    by_id = graphql.data(f'{{ guide(id: "{full_guide.pk}") {{ slug }} }}')
    by_path = graphql.data(f'{{ guide(urlPath: "{full_guide.url}") {{ slug }} }}')
    assert by_id["guide"]["slug"] == by_path["guide"]["slug"] == "asking"


def test_guide_lookup_needs_exactly_one_key(graphql, full_guide):
    status, body = graphql.post('{ guide(slug: "asking", id: "1") { slug } }')
    assert status == 400
    assert body["errors"][0]["message"] == "Give exactly one of id, slug or urlPath."


def test_body_blocks_have_typed_fields(graphql, full_guide, image):
    body = graphql.data(f'{{ guide(slug: "asking") {{ {BODY_FIELDS} }} }}')["guide"]["body"]
    by_field = {block["kind"].lower(): block for block in body}

    assert [block["kind"] for block in body] == [
        "HEADING",
        "PARAGRAPH",
        "CALLOUT",
        "QUOTE",
        "SCRIPT",
        "CHECKLIST",
        "STEPS",
        "QUESTION_LIST",
        "COMPARISON",
        "CALL_TO_ACTION",
        "IMAGE",
        "TABLE",
        "FAQS",
    ]
    assert all(block["id"] for block in body)
    assert by_field["heading"] | {"id": None} == {
        "__typename": "HeadingBlock",
        "kind": "HEADING",
        "id": None,
        "text": "Before you ask",
        "level": 3,
        "anchor": "before-you-ask",
    }
    assert by_field["paragraph"]["value"] == "<p>Plan what you want to <b>say</b>.</p>"
    assert by_field["callout"]["variant"] == "IMPORTANT"
    assert by_field["callout"]["body"] == "<p>Keep taking your medicines.</p>"
    assert by_field["quote"]["attribution"] == "A nurse"
    assert by_field["script"]["words"] == "Could we talk next week?"
    assert by_field["checklist"]["items"] == ["Letters", "Medicines list"]
    assert by_field["steps"]["steps"] == [
        {"number": 1, "title": "Ask", "text": "Ask your team."},
        {"number": 2, "title": "Send", "text": "Send your records."},
    ]
    assert by_field["question_list"]["questions"] == ["What are my options?"]
    assert by_field["comparison"]["columns"][1] == {
        "title": "When opinions differ",
        "points": ["Ask why", "Take time"],
    }
    assert by_field["call_to_action"]["url"].endswith("/")
    assert by_field["image"]["image"]["id"] == str(image.pk)
    assert by_field["image"]["image"]["rendition"]["width"] == 320
    assert by_field["image"]["altText"] == "A waiting room"
    assert by_field["table"]["rows"] == [["Plan", "Visits"], ["A", ""]]
    assert by_field["table"]["hasHeaderRow"] is True
    assert by_field["table"]["hasHeaderColumn"] is True
    assert by_field["table"]["caption"] == "Plans"
    assert by_field["faqs"]["faqs"] == [{"question": "Will my doctor mind?"}]


def test_call_to_action_with_external_address(graphql, make_guide):
    make_guide(
        slug="cta",
        body=[
            {
                "type": "call_to_action",
                "value": {
                    "heading": "Talk to us",
                    "text": "",
                    "button_label": "Contact",
                    "page": None,
                    "external_url": "https://example.org/contact",
                },
            }
        ],
    )
    body = graphql.data('{ guide(slug: "cta") { body { ... on CallToActionBlock { url } } } }')
    assert body["guide"]["body"] == [{"url": "https://example.org/contact"}]


def test_guides_are_newest_first_with_total_count(graphql, make_guide):
    for day in (3, 1, 2):
        make_guide(f"Day {day}", published_date=datetime.date(2026, 5, day))
    data = graphql.data(
        "{ guides(perPage: 2) { items { title } pagination { total count totalPages nextPage } } }"
    )
    assert [g["title"] for g in data["guides"]["items"]] == ["Day 3", "Day 2"]
    assert data["guides"]["pagination"] == {"total": 3, "count": 2, "totalPages": 2, "nextPage": 2}

    page_two = graphql.data(
        "{ guides(perPage: 2, page: 2) { items { title } pagination { count nextPage prevPage } } }"
    )
    assert [g["title"] for g in page_two["guides"]["items"]] == ["Day 1"]
    assert page_two["guides"]["pagination"] == {"count": 1, "nextPage": None, "prevPage": 1}


def test_page_past_the_end_is_empty(graphql, make_guide):
    make_guide()
    data = graphql.data("{ guides(page: 5) { items { title } pagination { total count } } }")
    assert data["guides"] == {"items": [], "pagination": {"total": 1, "count": 0}}


@pytest.mark.parametrize("per_page", [0, 101, -1])
def test_page_size_is_bounded(graphql, per_page):
    status, body = graphql.post(f"{{ guides(perPage: {per_page}) {{ items {{ title }} }} }}")
    assert body["errors"][0]["message"] == "perPage must be between 1 and 100."
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_guides_filter_by_category_cancer_type_audience_and_hub(
    graphql, make_guide, make_hub, taxonomy
):
    from guides.models import GuideCategory

    caregiver = GuideCategory.objects.create(name="Caregiver Guide")
    other_hub = make_hub("Living with treatment")
    lymphoma = make_guide("Lymphoma decision")
    lymphoma.cancer_types.set([taxonomy["lymphoma"]])
    lymphoma.audiences.set([taxonomy["patients"]])
    publish_reviewed(lymphoma)
    carers = make_guide("For carers", category=caregiver, parent=other_hub)
    carers.audiences.set([taxonomy["caregivers"], taxonomy["patients"]])
    publish_reviewed(carers)

    def titles(arguments):
        data = graphql.data(
            f"{{ guides({arguments}) {{ items {{ title }} pagination {{ total }} }} }}"
        )
        return sorted(g["title"] for g in data["guides"]["items"])

    assert titles('category: "caregiver-guide"') == ["For carers"]
    assert titles('cancerType: "lymphoma"') == ["Lymphoma decision"]
    assert titles('audience: "patients"') == ["For carers", "Lymphoma decision"]
    assert titles('audience: "patients", category: "decision-guide"') == ["Lymphoma decision"]
    assert titles(f'hub: "{other_hub.pk}"') == ["For carers"]
    assert titles('cancerType: "no-such-type"') == []


def test_hub_lists_its_guides_with_call_to_action(graphql, make_hub, make_guide):
    hub = make_hub(
        "Second opinions",
        slug="second-opinion",
        eyebrow="Cancer care",
        tagline="Another view.",
        intro="<p>Guides about reviews.</p>",
        cta_heading="Talk to us",
        cta_text="We can help.",
        cta_button_label="Contact",
        cta_url="https://example.org/contact",
    )
    make_guide("Older", parent=hub, published_date=datetime.date(2025, 1, 1))
    make_guide("Newer", parent=hub, published_date=datetime.date(2026, 1, 1))
    data = graphql.data("""{ hub(slug: "second-opinion") {
        title eyebrow tagline intro
        closingCallToAction { heading text buttonLabel url }
        guides(perPage: 1) { items { title } pagination { total } } } }""")["hub"]
    assert data["eyebrow"] == "Cancer care" and data["tagline"] == "Another view."
    assert data["intro"] == "<p>Guides about reviews.</p>"
    assert data["closingCallToAction"] == {
        "heading": "Talk to us",
        "text": "We can help.",
        "buttonLabel": "Contact",
        "url": "https://example.org/contact",
    }
    assert data["guides"] == {"items": [{"title": "Newer"}], "pagination": {"total": 2}}


def test_home_page_and_site_settings(graphql, home, hub, make_guide):
    from home.models import FeaturedGuide, FeaturedHub

    guide = make_guide("Featured guide")
    home.hero_text = "Clear guides."
    home.featured_hub_links = [FeaturedHub(hub=hub)]
    home.featured_guide_links = [FeaturedGuide(guide=guide)]
    home.save_revision().publish()
    SiteSettings.objects.create(
        default_disclaimer="<p>Not medical advice.</p>",
        contact_heading="Need help?",
        contact_button_label="Call us",
        contact_url="https://example.org/call",
    )
    data = graphql.data("""{
        home { heroTitle heroText featuredHubs { title } featuredGuides { title category { name } } }
        siteSettings { defaultDisclaimer contactCallToAction { heading buttonLabel url } } }""")
    assert data["home"] == {
        "heroTitle": home.title,
        "heroText": "Clear guides.",
        "featuredHubs": [{"title": "Second opinions"}],
        "featuredGuides": [{"title": "Featured guide", "category": {"name": "Decision Guide"}}],
    }
    assert data["siteSettings"] == {
        "defaultDisclaimer": "<p>Not medical advice.</p>",
        "contactCallToAction": {
            "heading": "Need help?",
            "buttonLabel": "Call us",
            "url": "https://example.org/call",
        },
    }


def test_page_by_url_path_resolves_to_its_type(graphql, hub, make_guide):
    guide = make_guide("Routed guide")
    data = graphql.data(
        f'{{ page(urlPath: "{guide.url}") {{ __typename title ... on GuidePage {{ summary }} }} }}'
    )
    assert data["page"] == {
        "__typename": "GuidePage",
        "title": "Routed guide",
        "summary": guide.summary,
    }


def test_image_renditions_are_limited_to_the_allow_list(graphql, make_guide, image):
    make_guide(slug="pictured", hero_image=image)
    query = '{ guide(slug: "pictured") { heroImage { rendition(width: %d) { width url } } } }'
    allowed = graphql.data(query % 320)
    assert allowed["guide"]["heroImage"]["rendition"]["width"] == 320
    status, body = graphql.post(query % 333)
    assert body["errors"][0]["message"].startswith(
        "That rendition is not offered. Allowed filters: original, width-320"
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert image.renditions.filter(filter_spec="width-333").count() == 0


@pytest.mark.parametrize("field", ["field", "rawValue", "blockType", "blocks"])
def test_body_blocks_offer_only_their_typed_fields(graphql, make_guide, field):
    make_guide(slug="raw", body=[{"type": "quote", "value": {"text": "Ask.", "attribution": ""}}])
    status, body = graphql.post(f'{{ guide(slug: "raw") {{ body {{ {field} }} }} }}')
    assert status == 400
    assert f"Cannot query field '{field}'" in body["errors"][0]["message"]


def test_endpoint_answers_without_the_trailing_slash(client, db):
    response = client.post(
        "/graphql", {"query": "{ hubs { title } }"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"hubs": []}}


def test_page_zero_is_refused(graphql):
    status, body = graphql.post("{ guides(page: 0) { items { title } } }")
    assert body["errors"][0]["message"] == "page must be 1 or more."


def test_hub_filter_needs_a_page_id(graphql):
    status, body = graphql.post('{ guides(hub: "abc") { items { title } } }')
    assert body["errors"][0]["message"] == "hub must be a hub's page id (a number)."


def test_page_lookup_names_its_own_arguments(graphql):
    status, body = graphql.post("{ page { title } }")
    assert body["errors"][0]["message"] == "Give exactly one of id or urlPath."


def test_references_are_numbered_in_order(graphql, make_guide):
    import datetime as dt

    from guides.models import GuideReference

    guide = make_guide(
        slug="cited", body=[{"type": "paragraph", "value": "<p>Reviews help [1], [2].</p>"}]
    )
    guide.references = [
        GuideReference(
            title="Guideline on reviews", source="NICE", year=2023, url="https://example.org/ng1"
        ),
        GuideReference(
            title="A cohort study",
            doi="10.1000/xyz123",
            pmid="12345678",
            accessed=dt.date(2026, 9, 1),
        ),
    ]
    publish_reviewed(guide)
    refs = graphql.data(
        '{ guide(slug: "cited") { references { number title source year url doi pmid accessed } } }'
    )
    assert refs["guide"]["references"] == [
        {
            "number": 1,
            "title": "Guideline on reviews",
            "source": "NICE",
            "year": 2023,
            "url": "https://example.org/ng1",
            "doi": None,
            "pmid": None,
            "accessed": None,
        },
        {
            "number": 2,
            "title": "A cohort study",
            "source": None,
            "year": None,
            "url": None,
            "doi": "10.1000/xyz123",
            "pmid": "12345678",
            "accessed": "2026-09-01",
        },
    ]


def test_a_reference_needs_a_way_to_find_it(db):
    from django.core.exceptions import ValidationError

    from guides.models import GuideReference

    with pytest.raises(ValidationError) as raised:
        GuideReference(title="Untraceable").clean()
    assert raised.value.message_dict["url"] == [
        "Give a web address, a DOI or a PubMed ID so readers can find the source."
    ]


def test_rich_text_is_served_as_wagtail_renders_it(graphql, make_guide):
    """Fields and rich-text blocks come out exactly as Wagtail's RichText
    renders them (its template), links expanded, though no template is rendered."""
    from wagtail.rich_text import RichText

    target = make_guide("Linked guide", slug="linked")
    text = f'<p>Read <a linktype="page" id="{target.pk}">this</a> &amp; <b>that</b>.</p>'
    make_guide(slug="rich", quick_answer=text, body=[{"type": "paragraph", "value": text}])
    data = graphql.data(
        '{ guide(slug: "rich") { quickAnswer body { ... on ParagraphBlock { value } } } }'
    )
    expected = RichText(text).__html__()
    assert f'href="{target.url}"' in expected
    assert data["guide"]["quickAnswer"] == expected
    assert data["guide"]["body"] == [{"value": expected}]


def test_related_guides_and_faqs_follow_the_editors_order(graphql, make_guide, make_faq):
    """Links and FAQ placements come in the order editors gave them, not in
    the order their rows were made (they are sorted after they are read)."""
    first, second, third = make_guide("First"), make_guide("Second"), make_guide("Third")
    faqs = [make_faq(f"Question {n}?", "<p>Answer.</p>") for n in range(3)]
    guide = make_guide("Reordered", slug="reordered", related=[first, second, third], faqs=faqs)
    # The live rows themselves, reordered as editors would, after they were made.
    for model, positions in ((RelatedGuide, (2, 0, 1)), (GuideFAQ, (1, 2, 0))):
        rows = model.objects.filter(page=guide).order_by("pk")
        for row, position in zip(rows, positions, strict=True):
            model.objects.filter(pk=row.pk).update(sort_order=position)
    query = "{ relatedGuides { title } faqs { question } }"
    one = graphql.data(f'{{ guide(slug: "reordered") {query} }}')["guide"]
    listed = graphql.data(f"{{ guides(perPage: 20) {{ items {{ slug {query[1:-1]} }} }} }}")
    items = [item for item in listed["guides"]["items"] if item["slug"] == "reordered"]
    for answer in (one, items[0]):
        assert answer["relatedGuides"] == [{"title": t} for t in ("Second", "Third", "First")]
        assert answer["faqs"] == [{"question": f"Question {n}?"} for n in (2, 0, 1)]
