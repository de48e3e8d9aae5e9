"""Accessible, helpful edit forms in a real browser: labels a filterable
checkbox list, names every input (checked with axe-core), adds an FAQ with its
answer from inside a guide's chooser, counts characters on every limited field
and lets Wagtail's Checks panel measure the preview."""

import json
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect
from wagtail.models import Page

from faqs.models import FAQ
from guides.models import GuidePage
from tests.admin_workflow import publish_reviewed
from tests.e2e.test_clinical_review_in_browser import AUTOSAVE_SETTLED, PASSWORD, admin_user
from tests.test_page_preview import sample

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parents[2] / "clients" / "node_modules" / "axe-core" / "axe.min.js"
# What an editor using a screen reader needs first: every input, button and
# select says what it is.
AXE_RULES = ["label", "aria-input-field-name", "button-name", "select-name"]
RUN_AXE = """async (rules) => {
    const result = await axe.run(document, {runOnly: {type: "rule", values: rules}});
    return result.violations.map((violation) => ({
        rule: violation.id,
        nodes: violation.nodes.map((node) => `${node.target.join(" ")}: ${node.html.slice(0, 160)}`),
    }));
}"""


def wait_for(condition, timeout=10):
    """Poll the database until the browser's request has been saved."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


# Every rule axe has, keeping what it rates critical or serious: what stops
# or seriously hinders an editor using a screen reader or the keyboard.
RUN_EVERY_RULE = """async () => {
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations
        .filter((violation) => ["critical", "serious"].includes(violation.impact))
        .map((violation) => ({
            rule: violation.id,
            impact: violation.impact,
            nodes: violation.nodes.map((node) => `${node.target.join(" ")}: ${node.html.slice(0, 160)}`),
        }));
}"""


def axe_violations(page, every_rule=False):
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` in clients/.", pytrace=False)
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    if every_rule:
        return page.evaluate(RUN_EVERY_RULE)
    return page.evaluate(RUN_AXE, AXE_RULES)


def every_tab_violations(page, every_rule=False):
    """axe skips hidden inputs, so each tab of the edit form is checked in turn."""
    found = {}
    tabs = page.locator("[data-edit-form] [role=tablist] [role=tab]")
    names = tabs.all_inner_texts() or [""]
    for name in names:
        if name:
            page.get_by_role("tab", name=name, exact=True).click()
        violations = axe_violations(page, every_rule)
        if violations:
            found[name or "form"] = violations
    return found


# Avatars that did not load (a third-party image that is blocked or offline)
# or come from another site.
BROKEN_AVATARS = """() => [...document.querySelectorAll(".avatar img")]
    .filter((img) => !img.complete || img.naturalWidth === 0 || new URL(img.src).origin !== location.origin)
    .map((img) => img.src)"""


def guide_with_every_block(make_guide, make_faq, image):
    faq = make_faq("Will my doctor mind?")
    chosen = {type(image): image, FAQ: faq, Page: make_guide(title="Getting a second opinion")}
    stream = GuidePage._meta.get_field("body").stream_block
    guide = make_guide(title="Every block", faqs=[faq], related=[chosen[Page]])
    guide.body = [(name, sample(block, chosen)) for name, block in stream.child_blocks.items()]
    publish_reviewed(guide)
    return guide, faq


def test_cancer_types_are_filtered_and_ticked_with_the_keyboard_and_saved(
    admin_session, make_guide, taxonomy
):
    guide = make_guide(title="Second opinions", publish=False)
    admin_user("jo", "Editors")
    page = admin_session("jo", PASSWORD).page
    page.goto(f"/admin/pages/{guide.pk}/edit/")

    cancer_filter = page.get_by_role("searchbox", name="Filter cancer types")
    cancer_filter.fill("lym")
    expect(page.get_by_role("checkbox", name="Multiple myeloma")).to_be_hidden()
    lymphoma = page.get_by_role("checkbox", name="Lymphoma")
    lymphoma.focus()
    page.keyboard.press("Space")
    expect(lymphoma).to_be_checked()
    expect(page.get_by_text("1 of 2 shown, 1 chosen")).to_be_visible()
    # A ticked choice stays in view whatever the filter says.
    cancer_filter.fill("myel")
    expect(lymphoma).to_be_visible()

    # Enter in the filter ticks its only match (and does not submit the form).
    audience_filter = page.get_by_role("searchbox", name="Filter audiences")
    audience_filter.fill("care")
    audience_filter.press("Enter")
    expect(page.get_by_role("checkbox", name="Caregivers")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Patients")).to_be_hidden()

    page.wait_for_function(AUTOSAVE_SETTLED)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Page 'Second opinions' has been updated.")).to_be_visible()
    draft = GuidePage.objects.get(pk=guide.pk).get_latest_revision_as_object()
    assert [c.name for c in draft.cancer_types.all()] == ["Lymphoma"]
    assert [a.name for a in draft.audiences.all()] == ["Caregivers"]


def test_every_input_of_the_guide_hub_and_faq_forms_has_an_accessible_name(
    admin_session, make_guide, make_faq, image, taxonomy
):
    guide, faq = guide_with_every_block(make_guide, make_faq, image)
    admin_user("jo", "Editors")
    page = admin_session("jo", PASSWORD).page

    found = {}
    for name, url in [
        ("guide", f"/admin/pages/{guide.pk}/edit/"),
        ("hub", f"/admin/pages/{guide.get_parent().pk}/edit/"),
        ("faq", f"/admin/snippets/faqs/faq/edit/{faq.pk}/"),
    ]:
        page.goto(url)
        # Every body block is on the page and Draftail has drawn its editors.
        expect(page.locator("[data-draftail-editor-wrapper]").first).to_be_visible()
        violations = every_tab_violations(page)
        if violations:
            found[name] = violations
    assert found == {}

    # The guide really has every block, each with its inputs: nothing was skipped.
    page.goto(f"/admin/pages/{guide.pk}/edit/")
    expect(page.get_by_role("textbox", name="Item").first).to_be_visible()
    assert page.get_by_role("textbox", name="Point").count() == 4
    expect(page.get_by_role("textbox", name="Quick answer")).to_have_count(1)
    # Each rich-text editor is named by its own label or block, not the fallback.
    names = page.locator(".public-DraftEditor-content").evaluate_all(
        "editors => editors.map((e) => e.getAttribute('aria-label')"
        " || document.getElementById(e.getAttribute('aria-labelledby')).textContent.trim())"
    )
    assert names == [
        "Quick answer",
        "Paragraph",
        "Callout: Body",
        "Notice: Body",
        "Item: Text",  # the numbered list's two items
        "Item: Text",
        "Closing note: Body",
        "Disclaimer",
    ]


def test_no_critical_or_serious_accessibility_problem_on_the_editors_screens(
    admin_session, make_guide, make_faq, image, taxonomy
):
    guide, faq = guide_with_every_block(make_guide, make_faq, image)
    admin_user("jo", "Editors")
    admin_user("sam", "Editors")
    # Someone else has the guide open: its edit screen shows their avatar.
    other = admin_session("sam", PASSWORD).page
    other.goto(f"/admin/pages/{guide.pk}/edit/")
    expect(other.locator("[data-draftail-editor-wrapper]").first).to_be_visible()
    page = admin_session("jo", PASSWORD).page

    found = {}
    for name, url in [
        ("dashboard", "/admin/"),
        ("guide", f"/admin/pages/{guide.pk}/edit/"),
        ("hub", f"/admin/pages/{guide.get_parent().pk}/edit/"),
        ("faq", f"/admin/snippets/faqs/faq/edit/{faq.pk}/"),
        ("import", "/admin/guides/import/"),
        ("guides due for review", "/admin/reports/guides-due-for-review/"),
        ("faqs due for review", "/admin/reports/faqs-due-for-review/"),
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
        violations = every_tab_violations(page, every_rule=True)
        broken = page.evaluate(BROKEN_AVATARS)
        if broken:
            violations["avatars"] = broken
        if violations:
            found[name] = violations
    assert found == {}, json.dumps(found, indent=1)

    # The other editor's avatar was there to check, as a named button.
    page.goto(f"/admin/pages/{guide.pk}/edit/")
    expect(page.get_by_role("button", name="sam - Currently viewing")).to_be_visible()


def test_an_faq_is_added_with_its_answer_from_the_guides_chooser(
    admin_session, make_guide, make_faq
):
    topic = make_faq("Will my doctor mind?").topic
    guide = make_guide(title="Second opinions", publish=False)
    admin_user("jo", "Editors")
    page = admin_session("jo", PASSWORD).page
    page.goto(f"/admin/pages/{guide.pk}/edit/")

    page.get_by_role("tab", name="FAQs").click()
    page.get_by_role("button", name="Add FAQ").click()
    page.get_by_role("button", name="Choose FAQ").click()
    modal = page.get_by_role("dialog")
    modal.get_by_role("tab", name="Add new FAQ").click()
    # The creation form in the modal names its inputs too, its answer editor included.
    expect(modal.get_by_role("textbox", name="Answer*")).to_be_visible()
    assert axe_violations(page) == []
    modal.get_by_role("textbox", name="Question*").fill("Can I fly after treatment?")
    modal.get_by_label("Topic*").select_option(label=topic.name)
    answer = modal.get_by_role("textbox", name="Answer*")
    answer.click()
    page.keyboard.type("Ask your team first.")
    # Straight away, as a keyboard user would: the answer is not lost on the way.
    modal.get_by_role("button", name="Add FAQ as a draft").click()
    expect(modal).to_be_hidden()
    expect(page.get_by_text("Can I fly after treatment?")).to_be_visible()

    faq = FAQ.objects.get(question="Can I fly after treatment?")
    assert "Ask your team first." in faq.answer
    assert not faq.live
    assert faq.latest_revision is not None


def test_every_limited_field_counts_its_characters_without_cutting_them(
    admin_session, make_guide, make_faq
):
    faq = make_faq("Will my doctor mind?")
    guide = make_guide(
        title="Second opinions",
        publish=False,
        body=[{"type": "checklist", "value": {"title": "Bring", "items": ["Your letter"]}}],
    )
    admin_user("jo", "Editors")
    page = admin_session("jo", PASSWORD).page
    page.goto(f"/admin/pages/{guide.pk}/edit/")

    title = page.get_by_placeholder("Page title*")
    title.fill("x" * 260)
    assert len(title.input_value()) == 260
    expect(page.get_by_text("260 / 255 characters: 5 over the limit")).to_be_visible()
    page.locator("[name='body-0-value-title']").fill("Bring with you")
    expect(page.get_by_text("14 / 120 characters")).to_be_visible()
    page.get_by_role("textbox", name="Item").fill("Your medicines list")
    expect(page.get_by_text("19 / 250 characters")).to_be_visible()
    # A block added now gets its counter too.
    page.get_by_role("tab", name="Highlights and facts").click()
    highlights = page.get_by_role("region", name="Key highlights")
    highlights.get_by_role("button", name="Insert a block").click()
    highlights.get_by_role("textbox").fill("It is normal to ask.")
    expect(highlights.get_by_text("20 / 250 characters")).to_be_visible()
    page.get_by_role("tab", name="Promote").click()
    page.get_by_role("textbox", name="Title tag").fill("Second opinions")
    expect(page.get_by_text("15 / 255 characters")).to_be_visible()
    # No limit in the database, but search engines show only so much.
    description = page.get_by_role("textbox", name="Meta description")
    description.fill("y" * 170)
    expect(
        page.get_by_text("170 / 160 characters recommended: 10 more may be cut off")
    ).to_be_visible()

    page.goto(f"/admin/snippets/faqs/faq/edit/{faq.pk}/")
    question = page.get_by_role("textbox", name="Question*")
    question.fill("Will my doctor mind if I ask?")
    expect(page.get_by_text("29 / 255 characters")).to_be_visible()
    expect(question).to_have_attribute("aria-describedby", re.compile(r"\bid_question-count\b"))


def test_the_checks_panel_measures_the_guides_readability(admin_session, make_guide):
    guide = make_guide(
        title="Asking for a second opinion",
        standfirst="You can ask for a second opinion at any time. Your team will not mind. "
        "Most doctors are glad to help you arrange one, and it will not delay your care.",
    )
    admin_user("jo", "Editors")
    page = admin_session("jo", PASSWORD).page
    page.goto(f"/admin/pages/{guide.pk}/edit/")

    page.get_by_role("button", name="Toggle checks").click()
    score = page.locator("[data-content-readability-score]")
    expect(score).to_have_text(re.compile(r"^(Good|Fair|Complex)$"), timeout=20_000)
    expect(page.locator("[data-content-word-count]")).not_to_have_text("-")
