"""FAQs under Clinical review in a real browser: an editor submits one, a
reviewer approves it and the API names the reviewer; the submitter cannot
approve their own; and the FAQ form shows the live guides an edit changes."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from faqs.models import FAQTopic
from tests.e2e.test_clinical_review_in_browser import (
    AUTOSAVE_SETTLED,
    PASSWORD,
    admin_user,
    awaiting_review_row,
    choose_in_modal,
    graphql,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

QUESTION = "Can I fly after chemotherapy?"


def test_an_faq_goes_from_editor_to_reviewer_to_the_api(admin_session, live_server):
    FAQTopic.objects.create(name="Travel and visas")
    admin_user("jo", "Editors")
    admin_user("lena", "Clinical reviewers", person={"name": "Dr Lena Hart", "credentials": "MD"})

    page = admin_session("jo", PASSWORD).page
    page.goto("/admin/snippets/faqs/faq/add/")
    page.get_by_role("textbox", name="Question*").fill(QUESTION)
    page.locator("[data-contentpath=answer] [contenteditable=true]").fill("Ask your team first.")
    choose_in_modal(page, page.get_by_role("button", name="Choose FAQ topic"), "Travel and visas")
    page.wait_for_function(AUTOSAVE_SETTLED)
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Clinical review").click()
    expect(page.get_by_text(re.compile("submitted for moderation|submitted to"))).to_be_visible()

    reviewer = admin_session("lena", PASSWORD).page
    row = awaiting_review_row(reviewer, QUESTION)
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approve…").click()
    dialog = reviewer.get_by_role("dialog")
    with reviewer.expect_navigation():
        dialog.get_by_role("button", name="Approve with comment").click()

    data = graphql(
        live_server, "{ faqs { items { question reviewedBy { name credentials } } } }", {}
    )
    assert data["faqs"]["items"] == [
        {"question": QUESTION, "reviewedBy": {"name": "Dr Lena Hart", "credentials": "MD"}}
    ]


def test_whoever_submitted_an_faq_cannot_approve_it(admin_session, make_faq):
    faq = make_faq(QUESTION, publish=False)
    kim = admin_user("kim", "Clinical reviewers", person={"name": "Dr Kim Lee"})
    kim.groups.add(Group.objects.get(name="Editors"))
    faq.save_revision(user=kim)
    faq.get_workflow().start(faq, kim)

    page = admin_session("kim", PASSWORD).page
    row = awaiting_review_row(page, QUESTION)
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approve…").click()

    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("alert")).to_contain_text("You submitted this FAQ for review")
    expect(dialog.get_by_role("button", name=re.compile("approve", re.IGNORECASE))).to_have_count(0)


def test_the_editor_sees_which_live_guides_an_faq_edit_changes(admin_session, make_faq, make_guide):
    faq = make_faq(QUESTION)
    guide = make_guide(title="Travelling abroad for cancer treatment", faqs=[faq])
    make_guide(title="A draft guide", faqs=[faq], publish=False)
    admin_user("jo", "Editors")

    page = admin_session("jo", PASSWORD).page
    page.goto(f"/admin/snippets/faqs/faq/edit/{faq.pk}/")

    warning = page.get_by_role("status").filter(has_text="Publishing this FAQ changes")
    expect(warning).to_contain_text("1 live guide")
    expect(warning.get_by_role("link")).to_have_text([guide.title])
    warning.get_by_role("link", name=guide.title).click()
    expect(page).to_have_url(re.compile(f"/admin/pages/{guide.pk}/edit/$"))
