"""The built-in preview reads like the page a patient sees: every block type of
every page body rendered as content, never as a Python repr, with the API's
visibility rules."""

import datetime
import re
from contextlib import ExitStack
from itertools import count
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, get_page_models

from cms.models import Person
from cms.templatetags.preview_tags import render_value
from faqs.models import FAQ, FAQIndexPage
from guides.models import GuidePage, GuideReference

REPRS = re.compile(
    r"StructValue\(|ListValue\(|StreamValue\(|RichText\(|<\w[\w.]* object at |\[\(|\{'"
)
_markers = count(1)


def preview_models():
    return [model for model in get_page_models() if model.template == "page_preview.html"]


def stream_children():
    """(page model, StreamField name, child name, child block) for every block a
    StreamField of a previewed page model accepts: read from the models, so a
    block added tomorrow is checked too."""
    for model in preview_models():
        for field in model._meta.get_fields():
            if isinstance(field, StreamField):
                for name, block in field.stream_block.child_blocks.items():
                    yield model, field.name, name, block


def sample(block, objects):
    """A value for `block` built from its definition, with a distinct text in every
    text field so the test can find each one in the rendering."""
    if isinstance(block, blocks.StructBlock):
        return {name: sample(child, objects) for name, child in block.child_blocks.items()}
    if isinstance(block, blocks.ListBlock):
        return [sample(block.child_block, objects) for _ in range(2)]
    if isinstance(block, blocks.StreamBlock):
        return [(name, sample(child, objects)) for name, child in block.child_blocks.items()]
    if isinstance(block, blocks.ChooserBlock):
        return next(obj for model, obj in objects.items() if issubclass(model, block.model_class))
    if isinstance(block, TableBlock):
        return {
            "data": [["When", "What"], [f"Sample {next(_markers)}", "Bring your letter"]],
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_caption": "",
        }
    if isinstance(block, blocks.ChoiceBlock):
        return next(value for value, _label in block.field.choices if value)
    if isinstance(block, blocks.RichTextBlock):
        return f"<p>Sample {next(_markers)} in <b>bold</b></p>"
    if isinstance(block, blocks.URLBlock):
        return "https://example.org/help"
    if isinstance(block, blocks.BooleanBlock):
        return True
    if isinstance(block, blocks.DateBlock):
        return datetime.date(2026, 3, 1)
    if isinstance(block, (blocks.IntegerBlock, blocks.FloatBlock, blocks.DecimalBlock)):
        return 3
    return f"Sample {next(_markers)}"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")


@pytest.fixture
def chosen(make_guide, make_faq, image):
    """One object for every kind of chooser: an image, a live guide, a published FAQ."""
    guide = make_guide(title="Getting a second opinion")
    return {get_image_model(): image, FAQ: make_faq("Will my doctor mind?"), Page: guide}


def preview_html(page, user):
    request = RequestFactory().get("/")
    request.user = user
    response = page.serve_preview(request, page.default_preview_mode)
    response.render()
    assert response.status_code == 200
    return response.content.decode()


def assert_readable(html):
    assert not REPRS.search(html), REPRS.search(html).group(0)
    assert "TemplateDoesNotExist" not in html


def descendants(block):
    yield block
    for child in getattr(block, "child_blocks", {}).values():
        yield from descendants(child)
    if isinstance(block, blocks.ListBlock):
        yield from descendants(block.child_block)


@pytest.fixture(params=["own templates", "no templates"])
def templates(request):
    """Each block with its own template, and as a block still without one would be."""
    if request.param == "own templates":
        yield True
        return
    with ExitStack() as stack:
        for *_, block in stream_children():
            for descendant in descendants(block):
                if getattr(descendant.meta, "template", None):
                    stack.enter_context(mock.patch.object(descendant.meta, "template", None))
        yield False


@pytest.mark.parametrize(
    ("model", "field_name", "name", "block"),
    [
        pytest.param(*child, id=f"{child[0].__name__}.{child[1]}.{child[2]}")
        for child in stream_children()
    ],
)
def test_every_block_of_every_previewed_body_renders_as_content(
    model, field_name, name, block, chosen, editor, hub, templates
):
    page = model(title="Preview of a block", slug="preview-of-a-block")
    if isinstance(page, GuidePage):
        page.summary = "A guide."
        page.category = chosen[Page].category
    start = next(_markers)
    setattr(page, field_name, [(name, block.normalize(sample(block, chosen)))])

    html = preview_html(page, editor)

    assert_readable(html)
    # Some text of the block is shown, e.g. a heading's text or a list's items.
    shown = [n for n in range(start + 1, next(_markers)) if f"Sample {n}" in html]
    assert shown or chosen[FAQ].question in html or 'alt="Sample' in html
    if not templates and isinstance(block, blocks.StructBlock):
        assert '<dl class="fields">' in html  # the fallback, not a template


def test_the_walk_covers_the_guide_body():
    names = {(model.__name__, field, name) for model, field, name, _ in stream_children()}
    assert {("GuidePage", "body", "steps"), ("GuidePage", "body", "faqs")} <= names
    assert ("GuidePage", "key_highlights", "highlight") in names


def test_a_block_without_a_template_falls_back_to_labelled_fields():
    # What a block someone adds without a template yet looks like.
    block = blocks.StructBlock(
        [
            ("title", blocks.CharBlock(label="Title")),
            (
                "items",
                blocks.ListBlock(
                    blocks.StructBlock(
                        [
                            ("name", blocks.CharBlock(label="Name")),
                            ("detail", blocks.RichTextBlock(label="Detail")),
                        ]
                    )
                ),
            ),
            ("kind", blocks.ChoiceBlock(choices=[("a", "Appointment"), ("b", "Blood test")])),
        ]
    )
    value = block.normalize(
        {
            "title": "What happens next",
            "items": [{"name": "Scan", "detail": "<p>Takes <b>an hour</b>.</p>"}],
            "kind": "b",
        }
    )

    html = str(render_value(block, value, {}))

    assert_readable(html)
    assert "<dt>Title</dt><dd>What happens next</dd>" in html
    assert "<ul><li><dl" in html and "<dt>Name</dt><dd>Scan</dd>" in html
    assert "<p>Takes <b>an hour</b>.</p>" in html
    assert "<dd>Blood test</dd>" in html


def test_a_guide_preview_reads_like_the_guide(editor, make_guide, make_faq, image):
    reviewer = Person.objects.create(name="Dr Lena Hart", credentials="MD")
    related = make_guide(title="Paying for treatment", summary="Costs and support.")
    hidden = make_guide(title="A draft guide", publish=False)
    guide = make_guide(
        title="Asking for a second opinion",
        standfirst="What to say and who to ask.",
        quick_answer="<p>You can ask at any time.</p>",
        last_reviewed=datetime.date(2026, 2, 3),
        reviewed_by=reviewer,
        disclaimer="<p>This guide does not replace your care team.</p>",
        faqs=[make_faq("Will my doctor mind?"), make_faq("A hidden question", publish=False)],
        related=[related, hidden],
        key_highlights=[("highlight", "It is your right.")],
        important_facts=[("fact", "Call 111 out of hours.")],
        body=[
            {"type": "heading", "value": {"text": "Before you ask", "level": "3", "anchor": ""}},
            {"type": "paragraph", "value": "<p>Most teams welcome it [1].</p>"},
            {
                "type": "callout",
                "value": {"variant": "important", "title": "Urgent", "body": "<p>Fever?</p>"},
            },
            {
                "type": "steps",
                "value": {
                    "title": "How it works",
                    "steps": [
                        {"type": "item", "id": "1", "value": {"title": "Ask", "text": "Tell them."}}
                    ],
                },
            },
            {
                "type": "image",
                "value": {"image": image.pk, "alt_text": "A quiet waiting room", "caption": ""},
            },
        ],
    )
    guide.references = [GuideReference(title="Second opinions in oncology", year=2024)]

    html = preview_html(guide, editor)

    assert_readable(html)
    assert "<h1>Asking for a second opinion</h1>" in html
    assert "What to say and who to ask." in html
    assert "Reviewed by Dr Lena Hart, MD on 3 February 2026" in html
    assert "You can ask at any time." in html
    assert "<li>It is your right.</li>" in html and "<li>Call 111 out of hours.</li>" in html
    assert '<h3 id="before-you-ask">Before you ask</h3>' in html
    assert 'Most teams welcome it <sup><a href="#ref-1">[1]</a></sup>' in html
    assert 'class="callout callout-important"' in html
    assert "<ol><li><strong>Ask</strong>" in html
    assert re.search(r'<img alt="A quiet waiting room"[^>]* src="[^"]+\.(png|jpg)"', html)
    assert '<li id="ref-1">Second opinions in oncology, 2024</li>' in html
    assert "Will my doctor mind?" in html and "A hidden question" not in html
    assert "Paying for treatment" in html and "A draft guide" not in html
    assert "This guide does not replace your care team." in html


def test_an_article_from_elsewhere_shows_its_notice_first_its_attribution_and_its_flag(
    editor, make_guide, publisher
):
    guide = make_guide(
        title="Travelling for treatment",
        body=[
            {"type": "paragraph", "value": "<p>Plan your trip early.</p>"},
            {
                "type": "notice",
                "value": {
                    "placement": "top",
                    "title": "Please note",
                    "body": "<p>Ask your team before you travel.</p>",
                },
            },
            {
                "type": "closing_note",
                "value": {"title": "Final note", "body": "<p>Safe travels.</p>"},
            },
        ],
    )
    guide.author = None
    guide.author_organisation = publisher
    guide.source_publisher = "Care Abroad Network"
    guide.source_url = "https://example.org/travel"
    guide.source_first_published = datetime.date(2025, 4, 2)
    guide.source_licence = "Republished with permission."
    guide.promotes_commercial_service = True

    html = preview_html(guide, editor)

    assert_readable(html)
    assert html.index("Ask your team before you travel.") < html.index("Plan your trip early.")
    assert html.count("Ask your team before you travel.") == 1
    assert f"Written by {publisher.name}" in html
    assert "This guide promotes a commercial service." in html
    assert (
        "First published by Care Abroad Network on 2 April 2025 at "
        '<a href="https://example.org/travel">https://example.org/travel</a>. '
        "Republished with permission."
    ) in html
    assert "<h2>Final note</h2>" in html


def test_a_rich_text_link_to_a_hidden_page_is_plain_text(editor, make_guide):
    live = make_guide(title="Live guide")
    draft = make_guide(title="Draft guide", publish=False)
    text = (
        f'<p><a linktype="page" id="{live.pk}">the live one</a> and '
        f'<a linktype="page" id="{draft.pk}">the draft one</a></p>'
    )
    guide = make_guide(body=[{"type": "paragraph", "value": text}])

    html = preview_html(guide, editor)

    assert f'<a href="{live.url}">the live one</a>' in html
    assert "<a>the draft one</a>" in html and draft.url not in html


def test_hub_home_and_faq_index_previews_read_like_their_pages(
    editor, home, make_hub, make_guide, make_faq
):
    hub = make_hub(
        title="Second opinions",
        tagline="Getting another view.",
        cta_heading="Talk to us",
        cta_button_label="Call the helpline",
        cta_url="https://example.org/helpline",
    )
    make_guide(title="Asking for one", parent=hub)
    make_guide(title="Not yet published", parent=hub, publish=False)
    hub_html = preview_html(hub, editor)
    assert_readable(hub_html)
    assert "Getting another view." in hub_html and "Asking for one" in hub_html
    assert "Not yet published" not in hub_html
    assert '<a class="button" href="https://example.org/helpline">Call the helpline</a>' in hub_html

    home.hero_title = "Support through cancer care"
    home_html = preview_html(home, editor)
    assert_readable(home_html)
    assert "<h1>Support through cancer care</h1>" in home_html

    make_faq("Can I bring someone?")
    faq_index = FAQIndexPage.objects.first() or FAQIndexPage(title="FAQs", intro="Answers.")
    faq_html = preview_html(faq_index, editor)
    assert_readable(faq_html)
    assert "Can I bring someone?" in faq_html
