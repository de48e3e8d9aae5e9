"""Every public query costs the same number of SQL queries however many
results it returns: each is measured with a few results and with many, and
the two counts must be equal. (The `guides` list is pinned in test_query_count.py.)"""

import datetime

import pytest
import wagtail_factories
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import Person
from faqs.models import FAQTopic
from guides.models import Audience, CancerType, GuideReference, Publisher
from tests.admin_workflow import publish_reviewed
from tests.test_graphql_guides import BODY_FIELDS, GUIDE_FIELDS

IMAGE_FIELDS = """id url width height fileSize alt focalPoint { x y } placeholder { blurhash dominantColor }
  rendition(width: 320) { url width } srcSet(sizes: [320, 640])
  sources(widths: [320], formats: [WEBP, ORIGINAL]) { url width height format }"""
FAQ_FIELDS = """
  id question answer topic { name slug }
  lastReviewed nextReviewDue reviewStatus reviewedBy { name credentials } author { name }
"""
HUB_FIELDS = """
  id title slug url eyebrow tagline intro
  closingCallToAction { heading buttonLabel url }
"""
# What a guide card shows, for guides listed inside another object.
CARD_FIELDS = f"""
  id title slug url summary publishedDate category {{ name slug }} publisher {{ name }}
  cancerTypes {{ name }} audiences {{ name }} heroImage {{ {IMAGE_FIELDS} }} hub {{ title url }}
  reviewStatus reviewedBy {{ name }} author {{ name }}
"""


@pytest.fixture(autouse=True)
def no_cost_limit(settings):
    # Every field of many results is far over the public cost limit; the SQL is what is pinned here.
    settings.GRAPHQL_MAX_COST = 10_000_000
    settings.GRAPHQL_MAX_DEPTH = 50
    # The first read of each query makes every rendition it shows at once.
    settings.GUIDES_API_MAX_NEW_RENDITIONS_PER_REQUEST = 10_000


@pytest.fixture(autouse=True)
def _answers_computed(settings):
    # These tests measure the SQL of answering, not of serving a cached answer.
    settings.GRAPHQL_RESPONSE_CACHE_ENABLED = False


def count_queries(graphql, query):
    graphql.data(query)  # the first read makes image renditions; measure the steady state
    with CaptureQueriesContext(connection) as queries:
        data = graphql.data(query)
    return len(queries), data


def assert_same_count(name, small, large):
    print(f"SQL queries for {name}: {small[0]} for {small[1]}, {large[0]} for {large[1]}")
    assert small[0] == large[0], f"{name}: {small} against {large}"


def pin_growth(graphql, name, query, results, few, many):
    """Count the SQL of `query` after adding a few results, then many: the counts must match.
    `results(data)` says how many results an answer holds."""
    few()
    count, data = count_queries(graphql, query)
    small = (count, results(data))
    many()
    count, data = count_queries(graphql, query)
    large = (count, results(data))
    assert large[1] > small[1], (small, large)
    assert_same_count(name, small, large)
    return small, large


@pytest.fixture
def people(db):
    return (
        Person.objects.create(name="Dr A. Reviewer", credentials="MBBS"),
        Person.objects.create(name="B. Writer"),
    )


@pytest.fixture
def images(db):
    return [wagtail_factories.ImageFactory(file__width=900, file__height=600) for _ in range(4)]


def linking_text(pages):
    links = " ".join(f'<a linktype="page" id="{page.pk}">{page.title}</a>' for page in pages)
    return f"<p>See {links}.</p>"


def missing_page_link(n):
    """A link to a page that is not there (deleted), different for each n."""
    return f'<p><a linktype="page" id="{900_000 + n}">Gone</a></p>'


def body_blocks(images, faqs, pages):
    """Images, rich text links, calls to action and FAQ blocks, one set per page given."""
    blocks = []
    for i, page in enumerate(pages):
        blocks += [
            {"type": "paragraph", "value": linking_text([page])},
            {
                "type": "image",
                "value": {"image": images[i % len(images)].pk, "alt_text": "A room", "caption": ""},
            },
            {
                "type": "callout",
                "value": {"variant": "info", "title": "", "body": linking_text([page])},
            },
            {
                "type": "call_to_action",
                "value": {
                    "heading": "Read more",
                    "text": "",
                    "button_label": "Read it",
                    "page": page.pk,
                    "external_url": "",
                },
            },
            {"type": "faqs", "value": {"title": "", "faqs": [faqs[i % len(faqs)].pk]}},
        ]
    return blocks


class Content:
    """Builds guides, FAQs and hubs in steps, so a query can be measured on a
    few results and then on many."""

    def __init__(self, make_guide, make_faq, make_hub, hub, images, people):
        self.make_guide, self.make_faq, self.make_hub = make_guide, make_faq, make_hub
        self.hub, self.images, self.people = hub, images, people
        self.lymphoma = CancerType.objects.get_or_create(name="Lymphoma")[0]
        self.patients = Audience.objects.get_or_create(name="Patients")[0]
        self.publisher = Publisher.objects.get_or_create(name="Board")[0]
        self.guides, self.faqs, self.hubs = [], [], []
        self.topics = []
        # What the first guides link to, so every link points at a guide.
        self.anchor = make_guide("Anchor guide")

    def add_faqs(self, number):
        for _ in range(number):
            n = len(self.faqs)
            if n % 2 == 0:
                self.topics.append(FAQTopic.objects.create(name=f"Scans topic {n}", sort_order=n))
            target = self.guides[n % len(self.guides)] if self.guides else self.anchor
            faq = self.make_faq(
                f"Question {n} about scans?",
                linking_text([target]) + missing_page_link(n),
                topic=self.topics[-1],
            )
            faq.reviewed_by, faq.author = self.people
            faq.last_reviewed = datetime.date(2026, 1, 1)
            publish_reviewed(faq)
            self.faqs.append(faq)
        return self.faqs

    def add_guides(self, number, parent=None):
        if not self.faqs:
            self.add_faqs(2)
        for _ in range(number):
            n = len(self.guides)
            previous = self.guides[-3:] or [self.anchor]
            guide = self.make_guide(
                f"Guide {n} about scans",
                parent=parent,
                hero_image=self.images[n % len(self.images)],
                publisher=self.publisher,
                reviewed_by=self.people[0],
                author=self.people[1],
                last_reviewed=datetime.date(2026, 1, 1),
                quick_answer=linking_text(previous) + missing_page_link(1000 + n),
                disclaimer=linking_text(previous[:1]),
                body=body_blocks(self.images, self.faqs, previous),
                faqs=self.faqs[-2:],
                related=self.guides[-2:],
            )
            guide.cancer_types.set([self.lymphoma])
            guide.audiences.set([self.patients])
            guide.references.add(GuideReference(title="A trial", doi="10.1056/NEJM1", sort_order=0))
            publish_reviewed(guide)
            self.guides.append(guide)
        return self.guides

    def add_hubs(self, number):
        for _ in range(number):
            n = len(self.hubs)
            hub = self.make_hub(
                f"Hub {n} on scans",
                eyebrow="Cancer care",
                tagline="What to expect",
                intro=linking_text([self.anchor]) + missing_page_link(500 + n),
                cta_heading="Talk to us",
                cta_button_label="Contact",
                cta_page=self.hub,
            )
            self.hubs.append(hub)
            self.add_guides(1, parent=hub)
        return self.hubs


@pytest.fixture
def content(make_guide, make_faq, make_hub, hub, images, people):
    return Content(make_guide, make_faq, make_hub, hub, images, people)


def test_guide_detail(graphql, content):
    """One guide with many FAQs, related guides, references and body blocks."""

    def query_for(slug):
        return f'{{ guide(slug: "{slug}") {{ {GUIDE_FIELDS} {BODY_FIELDS} relatedGuides {{ {CARD_FIELDS} }} }} }}'

    def build(size):
        content.add_guides(size)
        content.add_faqs(size)
        others = content.guides[-size:]
        guide = content.make_guide(
            f"Detail {size}",
            slug=f"detail-{size}",
            hero_image=content.images[0],
            reviewed_by=content.people[0],
            author=content.people[1],
            quick_answer=linking_text(others),
            # The body places the same FAQs as the FAQ section: the guide's `faqs` lists each once.
            body=body_blocks(content.images, content.faqs[-size:], others),
            faqs=content.faqs[-size:],
            related=others,
        )
        for i in range(size):
            guide.references.add(
                GuideReference(title=f"Trial {i}", pmid=str(1000 + i), sort_order=i)
            )
        publish_reviewed(guide)
        count, data = count_queries(graphql, query_for(guide.slug))
        assert len(data["guide"]["relatedGuides"]) == size
        assert len(data["guide"]["faqs"]) == size
        assert len(data["guide"]["references"]) == size
        assert len(data["guide"]["body"]) == 5 * size
        return count, size

    assert_same_count("guide", build(2), build(9))


def test_hub_with_its_guides(graphql, content, make_hub):
    hub = make_hub("Listing", cta_heading="Ask", cta_button_label="Ask", cta_page=content.hub)
    query = f'{{ hub(id: "{hub.pk}") {{ {HUB_FIELDS} guides(perPage: 100) {{ pagination {{ total }} items {{ {GUIDE_FIELDS} {BODY_FIELDS} }} }} }} }}'

    def results(data):
        assert len(data["hub"]["guides"]["items"]) == data["hub"]["guides"]["pagination"]["total"]
        return len(data["hub"]["guides"]["items"])

    pin_growth(
        graphql,
        "hub",
        query,
        results,
        few=lambda: content.add_guides(3, parent=hub),
        many=lambda: content.add_guides(8, parent=hub),
    )


def test_hubs(graphql, content):
    pin_growth(
        graphql,
        "hubs",
        f"{{ hubs {{ {HUB_FIELDS} guides(perPage: 5) {{ items {{ {CARD_FIELDS} }} }} }} }}",
        lambda data: len(data["hubs"]),
        few=lambda: content.add_hubs(2),
        many=lambda: content.add_hubs(6),
    )


FAQ_QUERIES = {
    "faqs": (
        f"{{ faqs(perPage: 100) {{ items {{ {FAQ_FIELDS} topic {{ faqs {{ question answer }} }} }} }} }}",
        lambda data: len(data["faqs"]["items"]),
    ),
    "faqTopics": (
        f"{{ faqTopics {{ name slug faqs {{ {FAQ_FIELDS} }} }} }}",
        lambda data: sum(len(topic["faqs"]) for topic in data["faqTopics"]),
    ),
}


@pytest.mark.parametrize("name", FAQ_QUERIES)
def test_faqs(graphql, content, name):
    query, results = FAQ_QUERIES[name]
    pin_growth(
        graphql,
        name,
        query,
        results,
        few=lambda: (content.add_guides(2), content.add_faqs(2)),
        many=lambda: content.add_faqs(12),
    )


def test_search(graphql, content):
    query = f"""{{ search(query: "scans", perPage: 50) {{ total items {{
        kind title url excerpt score promoted
        guide {{ {GUIDE_FIELDS} {BODY_FIELDS} }}
        faq {{ {FAQ_FIELDS} }}
        hub {{ {HUB_FIELDS} guides(perPage: 3) {{ items {{ {CARD_FIELDS} }} }} }}
    }} }} }}"""

    def results(data):
        items = data["search"]["items"]
        assert all(item[item["kind"].lower()] for item in items), items
        return len(items)

    def few():
        content.add_guides(2)
        content.add_hubs(1)
        content.add_faqs(2)  # FAQs placed in no guide: their links are not loaded with the guides

    def many():
        content.add_guides(10)
        content.add_faqs(10)
        content.add_hubs(6)

    small, large = pin_growth(graphql, "search", query, results, few, many)
    assert large[1] > 3 * small[1]


def test_search_suggestions(graphql, content):
    query = '{ searchSuggestions(prefix: "guide", limit: 20) { text kind url } }'
    content.add_guides(2)
    small = count_queries(graphql, query)
    content.add_guides(18)
    large = count_queries(graphql, query)
    print(f"SQL queries for searchSuggestions: {small[0]} and {large[0]}")
    assert len(large[1]["searchSuggestions"]) == 20
    # At most two lookups (titles that start with the prefix, then other matches) and the
    # restricted pages; fewer when the first lookup fills the list.
    assert small[0] <= 3 and large[0] <= 3, (small[0], large[0])


def test_images_across_many_guides(graphql, content, images):
    """Hero images and image blocks, with renditions and srcSet, many distinct images."""
    query = f"""{{ guides(perPage: 100) {{ items {{
        heroImage {{ {IMAGE_FIELDS} }}
        body {{ ... on ImageBlock {{ image {{ {IMAGE_FIELDS} }} }} }}
        relatedGuides {{ heroImage {{ {IMAGE_FIELDS} }} }}
    }} }} }}"""

    def many():
        images.extend(
            wagtail_factories.ImageFactory(file__width=800, file__height=500) for _ in range(6)
        )
        content.add_guides(9)

    pin_growth(
        graphql,
        "images",
        query,
        lambda data: len(data["guides"]["items"]),
        few=lambda: content.add_guides(3),
        many=many,
    )


def test_hubs_list_the_same_pages_of_guides_as_each_hub_alone(graphql, make_hub, make_guide):
    """The guides of listed hubs are loaded together; each hub still gets its own page."""
    hubs = [make_hub(f"Hub {n}") for n in range(3)]
    for n, hub in enumerate(hubs):
        for day in range(n + 2):
            make_guide(
                f"{hub.title} guide {day}",
                parent=hub,
                published_date=datetime.date(2026, 1, day + 1),
            )
    make_guide("Draft", parent=hubs[1], publish=False)
    fields = "guides(page: 2, perPage: 2) { items { title } pagination { total count currentPage prevPage nextPage totalPages } }"
    listed = graphql.data(f"{{ hubs {{ title {fields} }} }}")["hubs"]
    listed = {hub["title"]: hub["guides"] for hub in listed}
    for hub in hubs:
        alone = graphql.data(f'{{ hub(id: "{hub.pk}") {{ {fields} }} }}')["hub"]["guides"]
        assert listed[hub.title] == alone
    assert listed["Hub 2"] == {
        "items": [{"title": "Hub 2 guide 1"}, {"title": "Hub 2 guide 0"}],
        "pagination": {
            "total": 4,
            "count": 2,
            "currentPage": 2,
            "prevPage": 1,
            "nextPage": None,
            "totalPages": 2,
        },
    }
    assert listed["Hub 0"]["items"] == [] and listed["Hub 0"]["pagination"]["total"] == 2


def test_related_guides_asked_for_through_fragments(graphql, content):
    """Related guides with their own body, FAQs and references, selected through a
    named fragment inside an inline one: still a fixed number of queries."""

    def query_for(slug):
        return f"""
        fragment RelatedGuide on GuidePage {{
          {CARD_FIELDS} {BODY_FIELDS} faqs {{ question answer }} references {{ title }}
          changeLog {{ type }} quickAnswer disclaimer jsonLd
        }}
        {{ guide(slug: "{slug}") {{ title ... on GuidePage {{ relatedGuides {{ ...RelatedGuide }} }} }} }}
        """

    def build(size):
        content.add_guides(size)
        guide = content.make_guide(
            f"Fragments {size}", slug=f"fragments-{size}", related=content.guides[-size:]
        )
        count, data = count_queries(graphql, query_for(guide.slug))
        related = data["guide"]["relatedGuides"]
        assert len(related) == size
        assert all(r["faqs"] and r["references"] and r["body"] and r["hub"] for r in related)
        return count, size

    assert_same_count("related guides through fragments", build(2), build(9))


def test_a_guide_costs_only_what_the_query_selects(graphql, content):
    """Fields a query does not select are not loaded: a guide's title alone costs
    two queries (the guide and the view restrictions), every field many more."""
    content.add_guides(4)
    slug = content.guides[-1].slug
    title_only, data = count_queries(graphql, f'{{ guide(slug: "{slug}") {{ title }} }}')
    assert data["guide"]["title"] == content.guides[-1].title
    assert title_only == 2
    everything, data = count_queries(
        graphql,
        f'{{ guide(slug: "{slug}") {{ {GUIDE_FIELDS} {BODY_FIELDS} relatedGuides {{ {CARD_FIELDS} }} }} }}',
    )
    assert len(data["guide"]["relatedGuides"]) == 2
    assert everything > title_only + 10, everything


def test_changes(graphql, content):
    """A first sync of every kind, each with every field: guides with their
    body, FAQs, related guides and images; hubs; FAQs; terms; the settings."""
    query = f"""{{ changes(perPage: 100) {{ hasMore nextToken removed {{ kind id }} updated {{
        kind id
        guide {{ {GUIDE_FIELDS} {BODY_FIELDS} relatedGuides {{ {CARD_FIELDS} }} }}
        hub {{ {HUB_FIELDS} }}
        faq {{ {FAQ_FIELDS} }}
        guideCategory {{ id name slug }} cancerType {{ id name slug }} audience {{ id name slug }}
        siteSettings {{ defaultDisclaimer contactCallToAction {{ heading url }} }}
    }} }} }}"""

    def results(data):
        assert not data["changes"]["hasMore"]
        return len(data["changes"]["updated"])

    pin_growth(
        graphql,
        "changes",
        query,
        results,
        few=lambda: (content.add_hubs(1), content.add_guides(2), content.add_faqs(2)),
        many=lambda: (content.add_hubs(3), content.add_guides(9), content.add_faqs(8)),
    )


def test_guide_body_faqs_with_their_people(graphql, content):
    """FAQs chosen in body blocks, with their reviewer and author: the people
    are loaded for all of them together, only when asked for."""

    def query_for(slug, people):
        return f"""{{ guide(slug: "{slug}") {{
          body {{ ... on FAQsBlock {{ faqs {{ question {people} }} }} }}
        }} }}"""

    def build(size):
        content.add_guides(size)
        content.add_faqs(size)
        guide = content.make_guide(
            f"Body FAQs {size}",
            slug=f"body-faqs-{size}",
            body=body_blocks(content.images, content.faqs[-size:], content.guides[-size:]),
        )
        publish_reviewed(guide)
        bare, _ = count_queries(graphql, query_for(guide.slug, ""))
        people = "reviewedBy { name credentials } author { name }"
        count, data = count_queries(graphql, query_for(guide.slug, people))
        faqs = [faq for block in data["guide"]["body"] if block for faq in block["faqs"]]
        assert len(faqs) == size
        assert all(
            faq["reviewedBy"] == {"name": "Dr A. Reviewer", "credentials": "MBBS"}
            and faq["author"] == {"name": "B. Writer"}
            for faq in faqs
        ), faqs
        assert count == bare + 2, (bare, count)  # one query for reviewers, one for authors
        return count, size

    assert_same_count("guide body FAQs with people", build(2), build(9))


def test_body_faqs_the_faq_section_lists_are_loaded_once(graphql, content):
    """The FAQs a body places are mostly the ones its FAQ section lists: those
    come from the section's query, and only the others are loaded for the body."""
    faqs = content.add_faqs(3)
    query = """query($id: ID!) { guide(id: $id) {
        body { ... on FAQsBlock { faqs { id question topic { name } } } }
        faqs { id question } } }"""

    def faq_queries(body_faqs):
        guide = content.make_guide(
            body=[{"type": "faqs", "value": {"title": "", "faqs": [f.pk for f in body_faqs]}}],
            faqs=faqs[:2],
        )
        graphql.data(query, {"id": str(guide.pk)})
        with CaptureQueriesContext(connection) as queries:
            data = graphql.data(query, {"id": str(guide.pk)})
        [block] = data["guide"]["body"]
        assert [faq["id"] for faq in block["faqs"]] == [str(f.pk) for f in body_faqs]
        assert all(faq["topic"]["name"] for faq in block["faqs"])
        return sum(1 for q in queries if q["sql"].startswith('SELECT "faqs_faq"'))

    assert faq_queries(faqs[:2]) == 0  # the section's query brought them
    assert faq_queries([faqs[1], faqs[2]]) == 1  # one more, for the one it lacks
