"""FAQs as frontends read them: by topic, one by one, and on the FAQ page."""

import pytest

from faqs.models import FAQIndexPage, FAQTopic
from tests.admin_workflow import publish_reviewed


@pytest.fixture
def topics(db):
    return {
        "travel": FAQTopic.objects.create(name="Travel", sort_order=2),
        "appointments": FAQTopic.objects.create(name="Appointments", sort_order=1),
    }


def test_faqs_filter_by_topic_and_paginate(graphql, make_faq, topics):
    make_faq("Can my carer travel?", topic=topics["travel"])
    make_faq("Do I need a visa?", topic=topics["travel"])
    make_faq("Can I record my appointment?", topic=topics["appointments"])

    everything = graphql.data(
        "{ faqs { items { question topic { slug } } pagination { total } } }"
    )["faqs"]
    assert [f["question"] for f in everything["items"]] == [
        "Can I record my appointment?",
        "Can my carer travel?",
        "Do I need a visa?",
    ]
    assert everything["pagination"]["total"] == 3

    travel = graphql.data(
        '{ faqs(topic: "travel", perPage: 1) { items { question } pagination { total nextPage } } }'
    )
    assert travel["faqs"] == {
        "items": [{"question": "Can my carer travel?"}],
        "pagination": {"total": 2, "nextPage": 2},
    }


def test_faq_by_id(graphql, make_faq):
    faq = make_faq("Will my insurance pay?", "<p>Often, with approval.</p>")
    data = graphql.data(f'{{ faq(id: "{faq.pk}") {{ id question answer topic {{ name }} }} }}')
    assert data["faq"]["question"] == "Will my insurance pay?"
    assert data["faq"]["answer"] == "<p>Often, with approval.</p>"
    status, body = graphql.post('{ faq(id: "abc") { question } }')
    assert body["errors"][0]["message"] == "id must be a number."


def test_faq_page_lists_published_faqs_by_topic(graphql, home, make_faq, topics):
    page = FAQIndexPage(title="Frequently asked questions", slug="faqs", intro="Short answers.")
    home.add_child(instance=page)
    page.save_revision().publish()
    make_faq("Can my carer travel?", topic=topics["travel"])
    make_faq("Can I record my appointment?", topic=topics["appointments"])
    make_faq("Draft question?", topic=topics["appointments"], publish=False)

    data = graphql.data(
        '{ page(urlPath: "/faqs/") { ... on FAQIndexPage { intro topics { name faqs { question } } } } }'
    )
    assert data["page"] == {
        "intro": "<p>Short answers.</p>",
        "topics": [
            {"name": "Appointments", "faqs": [{"question": "Can I record my appointment?"}]},
            {"name": "Travel", "faqs": [{"question": "Can my carer travel?"}]},
        ],
    }


def test_editing_a_shared_faq_changes_every_guide_that_uses_it(graphql, make_guide, make_faq):
    faq = make_faq("Will asking upset my doctor?", "<p>Rarely.</p>")
    make_guide(slug="one", faqs=[faq])
    make_guide(slug="two", faqs=[faq])
    faq.answer = "<p>Most doctors expect it.</p>"
    publish_reviewed(faq)
    data = graphql.data(
        '{ one: guide(slug: "one") { faqs { answer } } two: guide(slug: "two") { faqs { answer } } }'
    )
    assert (
        data["one"]["faqs"] == data["two"]["faqs"] == [{"answer": "<p>Most doctors expect it.</p>"}]
    )
