"""FAQs under the Clinical review workflow, as guides are: an approval is the
only thing that records a review, nobody approves what they wrote or submitted,
and every live guide an FAQ change touches shows it first and logs it after."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Workflow
from wagtail.test.utils.form_data import nested_form_data, rich_text

from cms.models import ChangeType, Person
from faqs.models import FAQ, FAQTopic
from guides.models import GuideChange
from tests.admin_workflow import action_url, signed_in, submit
from tests.admin_workflow import approve as approve_in_admin

User = get_user_model()


def faq_form(topic, **overrides):
    data = {
        "question": "Can I fly after chemotherapy?",
        "answer": rich_text("<p>Ask your team first.</p>"),
        "topic": topic.pk,
        "author": "",
        "next_review_due": "2027-06-01",
        "change_type": ChangeType.MINOR_EDIT,
        "change_summary": "",
    }
    data.update(overrides)
    return nested_form_data(data)


FAQ_ADMIN = "/admin/snippets/faqs/faq"


def submit_new_faq(client, **overrides):
    data = faq_form(FAQTopic.objects.create(name="Travel"), **overrides)
    submit(client, f"{FAQ_ADMIN}/add/", data)
    return FAQ.objects.get(question=data["question"])


def approve(client, faq):
    return approve_in_admin(client, FAQ_ADMIN, faq)


def test_faqs_go_through_the_clinical_review_workflow(db):
    assert FAQ().get_workflow() == Workflow.objects.get(name="Clinical review")


def test_a_reviewer_approves_an_faq_and_the_api_names_them(editor, reviewer, graphql):
    faq = submit_new_faq(signed_in(editor))
    assert not faq.live
    assert faq.current_workflow_state.status == "in_progress"

    response = approve(signed_in(reviewer), faq)

    assert response.status_code == 302
    faq.refresh_from_db()
    assert faq.live
    assert faq.reviewed_by == reviewer.person
    assert faq.last_reviewed == timezone.localdate()
    data = graphql.data("{ faqTopics { faqs { question reviewedBy { name } lastReviewed } } }")
    assert data["faqTopics"] == [
        {
            "faqs": [
                {
                    "question": "Can I fly after chemotherapy?",
                    "reviewedBy": {"name": "Dr Lena Hart"},
                    "lastReviewed": timezone.localdate().isoformat(),
                }
            ]
        }
    ]


def test_whoever_submitted_an_faq_cannot_approve_it(reviewer):
    # A reviewer who also edits writes an FAQ with no author named: the old
    # self-approval gap.
    reviewer.groups.add(Group.objects.get(name="Editors"))
    faq = submit_new_faq(signed_in(reviewer))
    client = signed_in(reviewer)

    modal = client.get(action_url(FAQ_ADMIN, faq))
    assert "You submitted this FAQ for review" in modal.json()["html"]
    approve(client, faq)

    faq.refresh_from_db()
    assert not faq.live
    assert faq.reviewed_by is None
    assert faq.current_workflow_state.status == "in_progress"


def test_the_author_of_an_faq_cannot_approve_it(editor, reviewer):
    faq = submit_new_faq(signed_in(editor), author=reviewer.person.pk)
    approve(signed_in(reviewer), faq)
    faq.refresh_from_db()
    assert not faq.live
    assert faq.reviewed_by is None


def test_an_faq_edit_cannot_change_who_reviewed_it(make_faq, reviewer):
    faq = make_faq("Can my carer travel with me?")
    FAQ.objects.filter(pk=faq.pk).update(
        reviewed_by=reviewer.person, last_reviewed=timezone.localdate()
    )
    superuser = User.objects.create_superuser("admin", "admin@example.org", "pw")
    someone_else = Person.objects.create(name="Sam Reed")
    data = faq_form(
        faq.topic,
        question="Can my carer come with me?",
        reviewed_by=someone_else.pk,
        last_reviewed="2026-01-01",
    )
    data["action-publish"] = "Publish"

    response = signed_in(superuser).post(f"{FAQ_ADMIN}/edit/{faq.pk}/", data)

    assert response.status_code == 302
    faq.refresh_from_db()
    # Saved as a draft (nobody publishes an FAQ directly), without the review fields.
    assert faq.question == "Can my carer travel with me?"
    draft = faq.get_latest_revision_as_object()
    assert draft.question == "Can my carer come with me?"
    assert draft.reviewed_by == reviewer.person
    assert draft.last_reviewed == timezone.localdate()


@pytest.fixture
def faq_in_two_guides(make_guide, make_faq):
    """One FAQ in one live guide's FAQ section, another's body, and a draft guide."""
    faq = make_faq("Can I bring someone to my appointments?")
    in_section = make_guide(title="Getting the most from appointments", faqs=[faq])
    in_body = make_guide(
        title="Caring for someone during treatment",
        body=[{"type": "faqs", "value": {"title": "Questions", "faqs": [faq.pk]}}],
    )
    draft = make_guide(title="A draft guide", faqs=[faq], publish=False)
    return faq, [in_section, in_body], draft


@pytest.mark.parametrize(
    ("view", "warning"),
    [
        ("edit", "Publishing this FAQ changes 2 live guides"),
        ("delete", "Deleting this FAQ removes it from 2 live guides"),
    ],
)
def test_the_faq_edit_and_delete_views_list_the_live_guides_they_change(
    faq_in_two_guides, view, warning
):
    faq, guides, draft = faq_in_two_guides
    superuser = User.objects.create_superuser("admin", "admin@example.org", "pw")

    html = signed_in(superuser).get(f"{FAQ_ADMIN}/{view}/{faq.pk}/").content.decode()

    assert warning in html
    for guide in guides:
        assert f'<a href="/admin/pages/{guide.pk}/edit/">{guide.title}</a>' in html
    assert draft.title not in html


def test_publishing_an_faq_logs_the_change_on_each_live_guide(
    faq_in_two_guides, editor, reviewer, graphql
):
    faq, guides, draft = faq_in_two_guides
    data = faq_form(
        faq.topic,
        question=faq.question,
        answer=rich_text("<p>Yes, and they can take notes.</p>"),
        change_type=ChangeType.CLINICAL_UPDATE,
        change_summary="Updated the advice on bringing someone with you.",
    )
    submit(signed_in(editor), f"{FAQ_ADMIN}/edit/{faq.pk}/", data)

    response = approve(signed_in(reviewer), FAQ.objects.get(pk=faq.pk))

    assert response.status_code == 302
    for guide in guides:
        entries = graphql.data(f"{{ guide(id: {guide.pk}) {{ changeLog {{ type summary }} }} }}")
        assert entries["guide"]["changeLog"] == [
            {
                "type": "CLINICAL_UPDATE",
                "summary": "Updated the advice on bringing someone with you.",
            },
            {"type": "NEW", "summary": ""},
        ]
    assert not GuideChange.objects.filter(guide=draft).exists()


def test_a_clinical_change_to_an_faq_needs_a_public_summary(faq_in_two_guides):
    faq, guides, _draft = faq_in_two_guides
    superuser = User.objects.create_superuser("admin", "admin@example.org", "pw")
    data = faq_form(faq.topic, question=faq.question, change_type=ChangeType.FULL_REVIEW)
    data["action-publish"] = "Publish"

    response = signed_in(superuser).post(f"{FAQ_ADMIN}/edit/{faq.pk}/", data)

    assert response.status_code == 200
    assert response.context["form"].errors["change_summary"] == [
        "Say in one sentence what changed: readers see it in the change log of every guide "
        "that uses this FAQ."
    ]
    assert GuideChange.objects.filter(guide__in=guides).count() == 2  # the two "new" entries


def test_deleting_an_faq_logs_its_removal_on_each_live_guide(faq_in_two_guides):
    faq, guides, draft = faq_in_two_guides
    superuser = User.objects.create_superuser("admin", "admin@example.org", "pw")

    response = signed_in(superuser).post(f"{FAQ_ADMIN}/delete/{faq.pk}/")

    assert response.status_code == 302
    assert not FAQ.objects.filter(pk=faq.pk).exists()
    for guide in guides:
        latest = GuideChange.objects.filter(guide=guide).first()
        assert (latest.change_type, latest.summary) == (
            ChangeType.CLINICAL_UPDATE,
            "Removed the question “Can I bring someone to my appointments?”.",
        )
    assert not GuideChange.objects.filter(guide=draft).exists()


def test_an_faq_in_review_is_locked_to_everyone_but_its_reviewers(editor):
    # The reviewer approves the text they read: nobody else changes it meanwhile.
    faq = submit_new_faq(signed_in(editor))

    signed_in(editor).post(
        f"{FAQ_ADMIN}/edit/{faq.pk}/", faq_form(faq.topic, question="Changed in review?")
    )

    assert FAQ.objects.get(pk=faq.pk).get_latest_revision_as_object().question == (
        "Can I fly after chemotherapy?"
    )
