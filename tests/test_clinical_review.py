"""Clinical review fields on guides and FAQs: rules editors meet in the admin
and the review status frontends show."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text

from cms.models import Person, add_months
from faqs.models import FAQ, FAQTopic


@pytest.fixture
def people(db):
    return {
        "clinician": Person.objects.create(
            name="Dr Lena Hart", credentials="MD", role="Oncologist"
        ),
        "writer": Person.objects.create(name="Jo Park", role="Patient information editor"),
    }


def test_reviewer_must_not_be_the_author(make_guide, people):
    with pytest.raises(ValidationError) as raised:
        make_guide(author=people["writer"], reviewed_by=people["writer"])
    assert raised.value.message_dict["reviewed_by"] == [
        "The clinical reviewer must be someone other than the author."
    ]


def test_next_review_at_most_36_months_after_the_last(make_guide):
    guide = make_guide(
        last_reviewed=datetime.date(2026, 1, 31), next_review_due=datetime.date(2029, 1, 31)
    )
    guide.next_review_due = datetime.date(2029, 2, 1)
    with pytest.raises(ValidationError) as raised:
        guide.full_clean()
    assert raised.value.message_dict["next_review_due"] == [
        "The next review can be at most 36 months after the last review (31 January 2029)."
    ]
    guide.next_review_due = datetime.date(2029, 1, 31)
    guide.full_clean()


def test_next_review_must_follow_the_last_and_the_last_is_not_in_the_future(make_guide):
    today = timezone.localdate()
    guide = make_guide(last_reviewed=today, next_review_due=today + datetime.timedelta(days=30))
    guide.next_review_due = today
    with pytest.raises(ValidationError) as raised:
        guide.full_clean()
    assert raised.value.message_dict["next_review_due"] == [
        "The next review must come after the last review."
    ]
    guide.last_reviewed = today + datetime.timedelta(days=1)
    guide.next_review_due = today + datetime.timedelta(days=30)
    with pytest.raises(ValidationError) as raised:
        guide.full_clean()
    assert raised.value.message_dict["last_reviewed"] == [
        "The last review cannot be in the future."
    ]


@pytest.mark.parametrize(
    ("due", "status"),
    [
        (lambda today: today - datetime.timedelta(days=1), "OVERDUE"),
        (lambda today: today, "DUE_SOON"),
        (lambda today: add_months(today, 6), "DUE_SOON"),
        (lambda today: add_months(today, 6) + datetime.timedelta(days=1), "CURRENT"),
    ],
)
def test_review_status_boundaries(graphql, make_guide, due, status):
    make_guide(slug="cycle", next_review_due=due(timezone.localdate()))
    data = graphql.data('{ guide(slug: "cycle") { reviewStatus } }')
    assert data["guide"]["reviewStatus"] == status


def test_review_fields_through_the_api(graphql, make_guide, make_faq, people):
    faq = make_faq("Is it safe to travel?")
    faq.reviewed_by = people["clinician"]
    faq.last_reviewed = datetime.date(2026, 5, 1)
    faq.next_review_due = datetime.date(2028, 5, 1)
    faq.save()
    make_guide(
        slug="reviewed",
        author=people["writer"],
        reviewed_by=people["clinician"],
        last_reviewed=datetime.date(2026, 6, 1),
        next_review_due=datetime.date(2029, 6, 1),
        faqs=[faq],
    )
    fields = "lastReviewed nextReviewDue reviewStatus reviewedBy { name credentials role } author { name role }"
    guide = graphql.data(f'{{ guide(slug: "reviewed") {{ {fields} faqs {{ {fields} }} }} }}')[
        "guide"
    ]
    assert guide["lastReviewed"] == "2026-06-01"
    assert guide["nextReviewDue"] == "2029-06-01"
    assert guide["reviewStatus"] == "CURRENT"
    assert guide["reviewedBy"] == {
        "name": "Dr Lena Hart",
        "credentials": "MD",
        "role": "Oncologist",
    }
    assert guide["author"] == {"name": "Jo Park", "role": "Patient information editor"}
    assert guide["faqs"][0]["reviewedBy"]["name"] == "Dr Lena Hart"
    assert guide["faqs"][0]["lastReviewed"] == "2026-05-01"
    assert guide["faqs"][0]["author"] is None


def test_an_faq_form_post_cannot_set_the_review_fields(client, people):
    client.force_login(get_user_model().objects.create_superuser("editor", "e@example.org", "pw"))
    topic = FAQTopic.objects.create(name="Travel")
    response = client.post(
        "/admin/snippets/faqs/faq/add/",
        nested_form_data(
            {
                "question": "Can I fly after chemotherapy?",
                "answer": rich_text("<p>Ask your team.</p>"),
                "topic": topic.pk,
                "author": people["writer"].pk,
                "reviewed_by": people["clinician"].pk,
                "last_reviewed": "2026-05-01",
                "next_review_due": "2028-01-01",
                "change_type": "minor_edit",
                "change_summary": "",
            }
        ),
    )
    assert response.status_code == 302
    faq = FAQ.objects.get(question="Can I fly after chemotherapy?")
    assert faq.author == people["writer"]
    assert faq.reviewed_by is None
    assert faq.last_reviewed is None
