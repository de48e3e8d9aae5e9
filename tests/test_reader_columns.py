"""A query loads only the columns its fields read (cms/graphql/reader_columns.py), and
no field reads one it left out: every field of a guide, asked for alone (the
fewest columns loaded), gives the same answer as asked for with every other
field, in a guide, in a list of guides and in a guide's related guides. The
GraphQL client (tests/conftest.py) fails any read of a deferred column."""

import pytest
import wagtail_factories
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql import (
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
    is_required_argument,
)
from wagtail.images import get_image_model

from cms.graphql.reader_columns import UNREAD, unread_columns
from cms.graphql.schema import schema
from cms.models import Person
from faqs.models import FAQ
from guides.models import GuidePage
from tests.test_query_counts_everywhere import Content

SCHEMA = schema.graphql_schema
GUIDE_TYPE = SCHEMA.get_type("GuidePage")
# Arguments for fields below a guide's: a size every image offers.
ARGUMENTS = {"rendition": "(width: 320)"}


@pytest.fixture(autouse=True)
def _answers_computed(settings):
    settings.GRAPHQL_RESPONSE_CACHE_ENABLED = False
    # Every field of a guide is over the public cost limit; the columns are what is pinned here.
    settings.GRAPHQL_MAX_COST = 10_000_000
    settings.GRAPHQL_MAX_DEPTH = 50
    settings.GUIDES_API_MAX_NEW_RENDITIONS_PER_REQUEST = 10_000


def selection_of(type_, depth=2):
    """Every field of `type_` without arguments (but ARGUMENTS), to `depth` levels: the
    leaves of object types, an abstract type's own fields and __typename."""
    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    fields = []
    if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        for name, field in named.fields.items():
            if field.args and name not in ARGUMENTS:
                continue
            asked = name + ARGUMENTS.get(name, "")
            below = get_named_type(field.type)
            if is_leaf_type(below):
                fields.append(asked)
            elif depth > 1:
                fields.append(f"{asked} {{ {selection_of(below, depth - 1)} }}")
    if isinstance(named, GraphQLInterfaceType | GraphQLUnionType) or not fields:
        fields.append("__typename")
    return " ".join(fields)


def field_selection(name):
    field = GUIDE_TYPE.fields[name]
    below = selection_of(field.type)
    return f"{name} {{ {below} }}" if below else name


GUIDE_FIELDS = [
    name
    for name, field in GUIDE_TYPE.fields.items()
    if not any(is_required_argument(argument) for argument in field.args.values())
]


def test_the_guide_type_has_fields_to_ask_for():
    assert {"body", "faqs", "readability", "jsonLd", "relatedGuides", "heroImage"} <= set(
        GUIDE_FIELDS
    )


@pytest.fixture
def guides(make_guide, make_faq, make_hub, hub):
    """Guides with every field filled in: body blocks of each kind, FAQs,
    related guides, references, people, a hero image."""
    images = [wagtail_factories.ImageFactory(file__width=900, file__height=600) for _ in range(2)]
    people = (Person.objects.create(name="Dr A. Reviewer"), Person.objects.create(name="B. Writer"))
    content = Content(make_guide, make_faq, make_hub, hub, images, people)
    content.add_guides(4)
    return content.guides


# Where a guide's fields are asked for: (query around the fields, path to the guides' answers).
PLACES = {
    "a guide": ('{{ guide(id: "{id}") {{ {fields} }} }}', lambda data: [data["guide"]]),
    "a list": (
        "{{ guides(perPage: 5) {{ items {{ id {fields} }} }} }}",
        lambda data: data["guides"]["items"],
    ),
    "related guides": (
        '{{ guide(id: "{id}") {{ id relatedGuides {{ {fields} }} }} }}',
        lambda data: data["guide"]["relatedGuides"],
    ),
}


@pytest.mark.parametrize("place", PLACES)
def test_each_guide_field_alone_reads_what_it_shows(graphql, guides, place):
    """Every field, asked for alone (the fewest columns loaded), answers what
    it answers beside every other field; the one content is built once."""
    template, answers = PLACES[place]
    guide_id = guides[-1].pk
    everything = " ".join(field_selection(field) for field in GUIDE_FIELDS)
    whole = answers(graphql.data(template.format(id=guide_id, fields=everything)))
    assert whole and all(whole), whole
    differ = []
    for name in GUIDE_FIELDS:
        alone = answers(graphql.data(template.format(id=guide_id, fields=field_selection(name))))
        if [item[name] for item in alone] != [item[name] for item in whole]:
            differ.append(name)
    assert not differ, f"in {place}, asked for alone these answer otherwise: {differ}"


def test_a_card_leaves_the_guides_text_unread(graphql, guides):
    """A list of cards does not fetch the bodies, rich text or bookkeeping of its guides."""
    with CaptureQueriesContext(connection) as queries:
        graphql.data("{ guides(perPage: 5) { items { id title summary } } }")
    [selected] = [
        sql.split(" FROM ")[0]
        for sql in (query["sql"] for query in queries)
        if '"guides_guidepage"."summary"' in sql.split(" FROM ")[0]
    ]
    for column in ("body", "key_highlights", "quick_answer", "draft_title", "locked"):
        assert f'."{column}"' not in selected, column
    assert '."summary"' in selected


def test_bookkeeping_columns_are_ones_the_models_have():
    # A typo in UNREAD would leave a column loaded, silently.
    names = {
        field.name
        for model in (GuidePage, FAQ, get_image_model())
        for field in model._meta.concrete_fields
    }
    assert names >= UNREAD, UNREAD - names
    assert "live" not in UNREAD and "expire_at" not in UNREAD  # what visibility reads
    assert "guide__draft_title" in unread_columns(GuidePage, "guide__")
