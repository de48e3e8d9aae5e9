"""The built-in preview in a real browser: an editor opens a guide, opens the
preview panel and reads the rendered guide at mobile and desktop widths."""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_clinical_review_in_browser import PASSWORD, admin_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RAW_VALUES = ("StructValue(", "ListValue(", "StreamValue(", "object at 0x")


def demo_like_guide(make_guide, make_faq, image):
    return make_guide(
        title="Asking for a second opinion",
        standfirst="What to say, who to ask and what happens next.",
        key_highlights=[("highlight", "You have the right to ask.")],
        faqs=[make_faq("Will my doctor mind?", "<p>Most doctors welcome it.</p>")],
        body=[
            {"type": "heading", "value": {"text": "Before you ask", "level": "2", "anchor": ""}},
            {"type": "paragraph", "value": "<p>Write your questions down first.</p>"},
            {
                "type": "callout",
                "value": {
                    "variant": "important",
                    "title": "Do not stop treatment",
                    "body": "<p>Keep taking your medicines while you wait.</p>",
                },
            },
            {
                "type": "steps",
                "value": {
                    "title": "How it works",
                    "steps": [
                        {
                            "type": "item",
                            "id": "a",
                            "value": {"title": "Ask", "text": "Tell them."},
                        },
                        {"type": "item", "id": "b", "value": {"title": "Wait", "text": "A week."}},
                    ],
                },
            },
            {
                "type": "image",
                "value": {"image": image.pk, "alt_text": "A quiet waiting room", "caption": ""},
            },
            {
                "type": "call_to_action",
                "value": {
                    "heading": "Talk to a care coordinator",
                    "text": "",
                    "button_label": "Contact us",
                    "page": None,
                    "external_url": "https://example.org/contact",
                },
            },
        ],
    )


def test_an_editor_reads_the_rendered_guide_in_the_preview_panel(
    admin_session, make_guide, make_faq, image
):
    guide = demo_like_guide(make_guide, make_faq, image)
    admin_user("jo", "Editors")
    page = admin_session("jo", PASSWORD).page
    page.goto(f"/admin/pages/{guide.pk}/edit/")
    page.get_by_role("button", name="Toggle preview").click()

    iframe = page.locator("#w-preview-iframe")
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("heading", level=1)).to_have_text("Asking for a second opinion")
    folder = Path(tempfile.mkdtemp(prefix="browser-test-"))

    for size, width, button_display in (
        ("mobile", 375, "block"),
        ("desktop", 1280, "inline-block"),
    ):
        page.get_by_label(f"Preview in {size} size").check(force=True)
        frame = iframe.element_handle().content_frame()
        frame.wait_for_function(f"window.innerWidth === {width}")

        expect(preview.get_by_role("heading", name="Before you ask", level=2)).to_be_visible()
        expect(preview.get_by_text("Write your questions down first.")).to_be_visible()
        expect(preview.get_by_role("note")).to_contain_text("Do not stop treatment")
        expect(preview.locator(".steps li")).to_have_text(
            ["Ask Tell them.", "Wait A week."], use_inner_text=True
        )
        expect(preview.get_by_role("img", name="A quiet waiting room")).to_be_visible()
        expect(preview.get_by_role("link", name="Contact us")).to_have_attribute(
            "href", "https://example.org/contact"
        )
        expect(preview.get_by_text("Will my doctor mind?")).to_be_visible()
        expect(preview.get_by_text("Most doctors welcome it.")).to_be_visible()
        # The narrow layout: on a phone the button spans the screen.
        assert (
            frame.evaluate("getComputedStyle(document.querySelector('.button')).display")
            == button_display
        )
        text = frame.evaluate("document.body.innerText")
        assert not [raw for raw in RAW_VALUES if raw in text]

        # What the panel shows, and the whole guide at that width (the panel's
        # "Preview in new tab", in a window of the device's width).
        iframe.screenshot(path=folder / f"guide-preview-panel-{size}.png")
        tab = page.context.new_page()
        tab.set_viewport_size({"width": width, "height": 900})
        tab.goto(f"/admin/pages/{guide.pk}/edit/preview/?mode=")
        expect(tab.get_by_role("heading", level=1)).to_have_text("Asking for a second opinion")
        tab.screenshot(path=folder / f"guide-preview-{size}.png", full_page=True)
        tab.close()
    print(f"Preview screenshots: {folder}")
