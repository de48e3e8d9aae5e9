"""Writing help in a real browser: an editor writing a guide sees its
readability update as they type, the hard sentence highlighted, a
plain-language word flagged with its alternative, the summary's counter, and
adds a missing publisher from inside the chooser."""

import re

import pytest
from playwright.sync_api import expect

from guides.models import Publisher
from tests.e2e.test_clinical_review_in_browser import PASSWORD, admin_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LONG_SENTENCE = (
    "Following the administration of adjuvant chemotherapeutic regimens, individuals "
    "frequently experience considerable fatigue and immunological vulnerability "
    "necessitating comprehensive multidisciplinary supportive interventions."
)


def new_guide(page, hub):
    page.goto(f"/admin/pages/add/guides/guidepage/{hub.pk}/")
    expect(page.get_by_role("heading", name="New: Guide")).to_be_visible()


def test_readability_and_plain_language_update_as_the_editor_types(admin_session, hub):
    admin_user("jo", "Editors")
    page = admin_session("jo", PASSWORD).page
    new_guide(page, hub)

    page.locator("[data-contentpath=quick_answer] [contenteditable=true]").fill(
        f"Ask your nurse. {LONG_SENTENCE} It may show metastasis."
    )
    panel = page.locator(".readability")
    expect(panel.locator("mark", has_text="Following the administration")).to_be_visible()
    expect(panel.get_by_text("Sentences above grade 8")).to_be_visible()
    term = panel.locator(".readability__terms li", has_text="metastasis")
    expect(term).to_contain_text("spread to other parts of the body")


def test_the_summary_counts_characters_and_says_when_it_is_too_long(admin_session, hub):
    admin_user("jo", "Editors")
    page = admin_session("jo", PASSWORD).page
    new_guide(page, hub)

    summary = page.get_by_role("textbox", name="Summary*")
    summary.fill("Short and clear.")
    expect(page.get_by_text("16 / 600 characters")).to_be_visible()
    summary.fill("x" * 610)
    # Not cut by the browser: the editor sees all of it, and by how much it is over.
    assert len(summary.input_value()) == 610
    expect(page.get_by_text("610 / 600 characters: 10 over the limit")).to_be_visible()


def test_a_missing_publisher_is_added_from_the_chooser(admin_session, hub):
    admin_user("jo", "Editors")
    page = admin_session("jo", PASSWORD).page
    new_guide(page, hub)

    page.get_by_role("button", name="Choose publisher").click()
    modal = page.get_by_role("dialog")
    modal.get_by_role("tab", name="Add new publisher").click()
    modal.get_by_role("textbox", name="Name*").fill("Northern Cancer Network")
    modal.get_by_role("button", name="Add publisher").click()
    expect(modal).to_be_hidden()
    expect(page.get_by_text("Northern Cancer Network")).to_be_visible()
    assert Publisher.objects.filter(name="Northern Cancer Network").exists()


def test_plain_language_words_in_the_guides_faq_answers_are_flagged_faq_by_faq(
    admin_session, make_guide, make_faq
):
    placed = make_faq("Has it spread?", answer="<p>A metastasis shows on a scan.</p>")
    in_body = make_faq("Is there more treatment?", answer="<p>Adjuvant treatment may follow.</p>")
    plain = make_faq("Can I bring a friend?", answer="<p>Yes.</p>")
    guide = make_guide(
        title="After surgery",
        publish=False,
        faqs=[placed, plain],
        body=[{"type": "faqs", "value": {"title": "Questions", "faqs": [in_body.pk]}}],
    )
    admin_user("jo", "Editors")
    page = admin_session("jo", PASSWORD).page
    page.goto(f"/admin/pages/{guide.pk}/edit/")

    flagged = page.locator(".readability .readability__faq-terms li")
    expect(flagged).to_have_count(2)
    expect(flagged.filter(has_text="“Has it spread?”")).to_contain_text(
        "metastasis → spread to other parts of the body"
    )
    expect(flagged.filter(has_text="“Is there more treatment?”")).to_contain_text("adjuvant")
    expect(flagged.filter(has_text="Can I bring a friend?")).to_have_count(0)

    # Taking the FAQ off the FAQs tab takes its words off the panel.
    page.get_by_role("tab", name="FAQs").click()
    page.locator("#id_faq_placements-0-DELETE-button").click()
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text("Is there more treatment?")


def test_the_summary_is_counted_as_the_server_counts_it(admin_session, hub):
    admin_user("jo", "Editors")
    page = admin_session("jo", PASSWORD).page
    new_guide(page, hub)

    summary = page.get_by_role("textbox", name="Summary*")
    # The browser sends a line break as two characters; surrounding spaces are dropped.
    summary.fill("Line one.\nLine two.\n  ")
    expect(page.get_by_text("20 / 600 characters")).to_be_visible()
    summary.fill("x" * 598 + "\n" + "y ")
    expect(page.get_by_text("601 / 600 characters: 1 over the limit")).to_be_visible()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("at most 600 characters (it has 601)")).to_be_visible()


def test_the_checks_panel_shows_the_guides_own_word_count_and_reading_time(
    admin_session, make_guide
):
    words = " ".join(["Ask your nurse about it."] * 60)  # 300 words
    guide = make_guide(
        title="Asking for a second opinion",
        standfirst="You can ask for a second opinion at any time.",
        body=[{"type": "paragraph", "value": f"<p>{words}</p>"}],
    )
    admin_user("jo", "Editors")
    page = admin_session("jo", PASSWORD).page
    page.goto(f"/admin/pages/{guide.pk}/edit/")

    live = page.locator(".readability__live")
    expect(live).to_contain_text(re.compile(r"\d+ words \(about \d+ mins? to read\)"))
    count, minutes = re.search(r"(\d+) words \(about (\d+) min", live.inner_text()).groups()
    page.get_by_role("button", name="Toggle checks").click()
    # Wagtail has measured the preview (its readability score is shown) and
    # the words and reading time are still the guide's own.
    score = page.locator("[data-content-readability-score]")
    expect(score).to_have_text(re.compile(r"^(Good|Fair|Complex)$"), timeout=20_000)
    expect(page.locator("[data-content-word-count]")).to_have_text(count)
    unit = "min" if minutes == "1" else "mins"
    expect(page.locator("[data-content-reading-time]")).to_have_text(f"{minutes} {unit}")
    guide.refresh_from_db()
    assert (str(guide.word_count), str(guide.reading_time_minutes)) == (count, minutes)
