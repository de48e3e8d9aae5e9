"""The Clinical review workflow in a real browser: an editor writes a guide and
submits it, a clinical reviewer approves it from the dashboard, and the
GraphQL API then serves it with the review recorded."""

import json
import re
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from cms.models import Person

pytestmark = [
    pytest.mark.browser,
    # The live server's thread only sees committed data. After the test Django
    # empties the tables; serialized_rollback restores the migrated rows (home
    # page, groups, the Clinical review workflow) first (see conftest.py).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "browser-test-pw"
TITLE = "Asking for a second opinion"
HIGHLIGHTS = ["It is normal to ask for a second opinion.", "Your team will not mind."]
FACT = "You can ask for a copy of your records."
CHANGE_SUMMARY = "First version, checked by a clinician."

GUIDE_QUERY = """
query ($slug: String!) {
  guide(slug: $slug) {
    title
    lastReviewed
    reviewedBy { name credentials }
    author { name }
    keyHighlights
    importantFacts
    faqs { question }
    changeLog { type date summary }
  }
}
"""


def admin_user(username, group, person=None):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    if person:
        Person.objects.create(user=user, **person)
    return user


# Wagtail autosaves an edit form half a second after each change (a new
# page's form is not autosaved: cms/publishing/new_forms.py). Submitting while an
# autosave is still on its way would race it, so wait, as a person would,
# until the form shows no unsaved edits and no autosave is running.
AUTOSAVE_SETTLED = """() => {
    const form = document.querySelector("[data-edit-form]");
    const autosave = window.wagtail.app.getControllerForElementAndIdentifier(form, "w-autosave");
    if (!autosave) return true;
    const unsaved = window.wagtail.app.getControllerForElementAndIdentifier(form, "w-unsaved");
    return unsaved.initialFormData !== undefined
        && unsaved.formData === unsaved.initialFormData
        && !autosave.submitPromise;
}"""


def choose_in_modal(page, button, item):
    """Open a chooser with `button`, pick `item` from its listing and wait for the modal to close."""
    button.click()
    modal = page.get_by_role("dialog")
    modal.get_by_role("link", name=item).click()
    expect(modal).to_be_hidden()


def write_and_submit_guide(page, hub, category, faq):
    page.goto(f"/admin/pages/{hub.pk}/")
    page.get_by_role("link", name="Add child page").click()
    expect(page.get_by_role("heading", name="New: Guide")).to_be_visible()

    page.get_by_placeholder("Page title*").fill(TITLE)
    page.get_by_role("textbox", name="Summary*").fill("How to ask for a second opinion.")
    choose_in_modal(page, page.get_by_role("button", name="Choose guide category"), category.name)
    page.get_by_role("textbox", name="What changed").fill(CHANGE_SUMMARY)

    page.get_by_role("tab", name="Highlights and facts").click()
    highlights = page.get_by_role("region", name="Key highlights")
    for number, text in enumerate(HIGHLIGHTS):
        highlights.get_by_role("button", name="Insert a block").last.click()
        highlights.get_by_role("textbox").nth(number).fill(text)
    facts = page.get_by_role("region", name="Important facts")
    facts.get_by_role("button", name="Insert a block").click()
    facts.get_by_role("textbox").fill(FACT)

    page.get_by_role("tab", name="FAQs").click()
    page.get_by_role("button", name="Add FAQ").click()
    choose_in_modal(page, page.get_by_role("button", name="Choose FAQ"), faq.question)

    page.get_by_role("tab", name="Settings").click()
    choose_in_modal(page, page.get_by_role("button", name="Choose person"), "Jo Park")

    page.wait_for_function(AUTOSAVE_SETTLED)
    # The publish menu: the arrow beside "Save draft".
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Clinical review").click()
    # The create view's wording if no autosave had created the page yet.
    submitted = re.compile(f"Page '{TITLE}' (has been|created and) submitted for moderation")
    expect(page.get_by_text(submitted)).to_be_visible()


def graphql(live_server, query, variables):
    """POST a query to the live server as a frontend does: JSON, no session cookie."""
    request = urllib.request.Request(
        f"{live_server.url}/graphql/",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.load(response)
    assert "errors" not in body, body
    return body["data"]


def awaiting_review_row(page, title):
    panel = page.get_by_role("region", name="Awaiting your review")
    return panel.get_by_role("row").filter(has=page.get_by_role("link", name=title))


def test_a_guide_goes_from_editor_to_reviewer_to_the_api(
    admin_session, live_server, hub, category, make_faq
):
    faq = make_faq(question="Can I bring someone to my appointments?")
    admin_user("jo", "Editors", person={"name": "Jo Park", "role": "Patient information editor"})
    admin_user(
        "lena",
        "Clinical reviewers",
        person={"name": "Dr Lena Hart", "credentials": "MD", "role": "Oncologist"},
    )

    editor = admin_session("jo", PASSWORD)
    write_and_submit_guide(editor.page, hub, category, faq)
    assert editor.errors == []

    reviewer = admin_session("lena", PASSWORD)
    page = reviewer.page
    row = awaiting_review_row(page, TITLE)
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approve…").click()
    dialog = page.get_by_role("dialog")
    # Nothing is published before the reviewer confirms, and the dialog names
    # what will be.
    expect(dialog).to_contain_text(f"Approve the guide “{TITLE}” (British English)?")
    expect(dialog).to_contain_text("Approving records you as the clinical reviewer")
    dialog.get_by_label("Comment").fill("Facts checked against the current guidance.")
    with page.expect_navigation():
        dialog.get_by_role("button", name="Approve with comment").click()
    expect(page.get_by_role("region", name="Awaiting your review")).to_have_count(0)
    expect(
        page.get_by_text(f"Guide “{TITLE}” (British English) approved and published.")
    ).to_be_visible()
    page.goto(f"/admin/pages/{hub.pk}/")
    guide_row = page.get_by_role("row").filter(has=page.get_by_role("link", name=TITLE))
    expect(guide_row).to_contain_text(re.compile(r"\blive\b", re.IGNORECASE))
    assert reviewer.errors == []

    data = graphql(live_server, GUIDE_QUERY, {"slug": "asking-for-a-second-opinion"})
    today = timezone.localdate().isoformat()
    assert data["guide"] == {
        "title": TITLE,
        "lastReviewed": today,
        "reviewedBy": {"name": "Dr Lena Hart", "credentials": "MD"},
        "author": {"name": "Jo Park"},
        "keyHighlights": HIGHLIGHTS,
        "importantFacts": [FACT],
        "faqs": [{"question": "Can I bring someone to my appointments?"}],
        "changeLog": [{"type": "NEW", "date": today, "summary": CHANGE_SUMMARY}],
    }


def test_a_reviewer_without_a_linked_person_is_told_why_they_cannot_approve(
    admin_session, make_guide
):
    writer = admin_user("jo", "Editors")
    guide = make_guide(title=TITLE, publish=False)
    guide.get_workflow().start(guide, writer)
    admin_user("sam", "Clinical reviewers")

    page = admin_session("sam", PASSWORD).page
    row = awaiting_review_row(page, TITLE)
    row.get_by_role("button", name="Actions").click()
    # No one-click approval: the dialog confirms, or here explains.
    expect(row.get_by_role("button", name="Approve", exact=True)).to_have_count(0)
    expect(row).to_contain_text("not linked to a person")
    row.get_by_role("button", name="Approve…").click()

    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("alert")).to_contain_text("not linked to a person")
    expect(dialog.get_by_role("button", name=re.compile("approve", re.IGNORECASE))).to_have_count(0)
