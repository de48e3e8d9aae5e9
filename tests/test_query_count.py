"""The list of guides costs the same number of SQL queries for 10 guides as for
100, with every field, body block and image requested."""

import wagtail_factories
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guides.models import Audience, CancerType
from tests.admin_workflow import publish_reviewed
from tests.test_graphql_guides import BODY_FIELDS, GUIDE_FIELDS, every_block

QUERY = f"{{ guides(perPage: 100) {{ pagination {{ total }} items {{ {GUIDE_FIELDS} {BODY_FIELDS} }} }} }}"


def add_guides(make_guide, make_faq, images, number, start):
    lymphoma = CancerType.objects.get_or_create(name="Lymphoma")[0]
    patients = Audience.objects.get_or_create(name="Patients")[0]
    faq = make_faq(f"Question {start}?")
    previous = image_page_link(make_guide, start)
    for i in range(start, start + number):
        image = images[i % len(images)]
        # Each guide's rich text links to a different page: the lookups must be batched.
        link = f'<p>See <a linktype="page" id="{previous.pk}">the last guide</a>.</p>'
        guide = make_guide(
            f"Guide {i}",
            hero_image=image,
            key_highlights='[{"type": "highlight", "value": "A point."}]',
            important_facts='[{"type": "fact", "value": "A fact."}]',
            quick_answer=link,
            body=[
                *every_block(image, faq, linked_page=image_page_link(make_guide, i)),
                {"type": "paragraph", "value": link},
            ],
            faqs=[faq],
        )
        previous = guide
        guide.cancer_types.set([lymphoma])
        guide.audiences.set([patients])
        publish_reviewed(guide)


_link_targets = {}


def image_page_link(make_guide, i):
    # A handful of link targets shared by all guides, as in real content.
    key = i % 3
    if key not in _link_targets:
        _link_targets[key] = make_guide(f"Link target {key}")
    return _link_targets[key]


def count_queries(graphql):
    graphql.data(QUERY)  # first read makes renditions; measure the steady state
    with CaptureQueriesContext(connection) as queries:
        data = graphql.data(QUERY)
    return len(queries), data["guides"]["pagination"]["total"]


def test_guides_query_count_does_not_grow_with_the_number_of_guides(
    graphql, make_guide, make_faq, settings
):
    # Every field of 100 guides is far over the public cost limit; the SQL is what is pinned here.
    settings.GRAPHQL_MAX_COST = 1_000_000
    settings.GRAPHQL_RESPONSE_CACHE_ENABLED = False  # the SQL of answering, not of the cache
    settings.GUIDES_API_MAX_NEW_RENDITIONS_PER_REQUEST = 1_000  # the first read makes them all
    _link_targets.clear()
    images = [wagtail_factories.ImageFactory(file__width=1000, file__height=600) for _ in range(3)]
    add_guides(make_guide, make_faq, images, 10, start=0)
    for_ten, total = count_queries(graphql)
    assert total == 13  # ten guides and three link targets

    add_guides(make_guide, make_faq, images, 87, start=10)
    for_a_hundred, total = count_queries(graphql)
    assert total == 100

    assert for_ten == for_a_hundred, (for_ten, for_a_hundred)
    print(f"SQL queries for guides: {for_ten} for 13 guides, {for_a_hundred} for 100")
    assert for_a_hundred <= 25, for_a_hundred
