"""Imports that know their source: plain text read by its outline, the
publisher an article names filling the guide's provenance fields, and the
same article imported again (in any format) updating its guide."""

import io
import itertools

import pytest
from django.core.management import call_command

from guides.importing.build import import_source
from guides.importing.plain_text import is_heading, to_html
from guides.importing.sources import ImportRefused, detect_format, read_path, to_source
from guides.models import GuidePage, Publisher
from tests.test_importing import SAMPLES, block, html_text, types

TEXT_SAMPLE = SAMPLES / "first-chemotherapy-visit.txt"
TEXT_TITLE = "How Should You Prepare for a First Chemotherapy Visit Abroad?"
PUBLISHER = "Northbridge Care Navigators"


def latest(report):
    return report.guide.get_latest_revision_as_object()


def report_text(report):
    return "\n".join(line.text for line in report.lines)


# ---- plain text ------------------------------------------------------------------


def test_a_txt_file_imports_with_its_outline(hub, category):
    out = io.StringIO()
    call_command("import_guides", str(TEXT_SAMPLE), "--hub", hub.slug, stdout=out)
    guide = GuidePage.objects.get(imported_from=TEXT_SAMPLE.name).get_latest_revision_as_object()
    assert guide.title == TEXT_TITLE
    assert guide.standfirst.startswith("A practical guide for patients travelling")
    headings = [b.value["text"] for b in guide.body if b.block_type == "heading"]
    assert headings == [
        "Quick Answer",
        "What the First Visit Usually Looks Like",
        "What to Bring on the Day",
        "Questions Worth Asking Before the First Infusion",
        "A sentence that often helps",
        "How Northbridge Care Navigators Supports International Patients",
    ]
    # Sections in Title Case are H2; the one sub-section in sentence case is H3.
    levels = {b.value["text"]: b.value["level"] for b in guide.body if b.block_type == "heading"}
    assert levels.pop("A sentence that often helps") == "3"
    assert set(levels.values()) == {"2"}
    steps = block(guide, "steps")["steps"]
    assert [s["title"] for s in steps] == [
        "Blood test",
        "Review with the oncology team",
        "The infusion",
    ]
    # The paragraph before the steps stays before them.
    assert types(guide)[3:5] == ["paragraph", "steps"]
    lists = [b.value.source for b in guide.body if b.block_type == "paragraph"]
    assert any(s.count("<li>") == 4 and s.startswith("<ul>") for s in lists)  # "-" lines
    assert any(s.count("<li>") == 3 and s.startswith("<ol>") for s in lists)  # "1." lines
    assert any(
        "<ul><li>Interpreters" in s.replace("\n", "").replace(" <", "<") for s in lists
    )  # "•"
    assert block(guide, "quote")["text"].startswith("Could you write down")
    faqs = block(guide, "faqs")["faqs"]
    assert [f.question for f in faqs] == [
        "Can a relative stay with me during the infusion?",
        "Will I feel unwell straight after the first session?",
        "Should I fly home soon after a treatment day?",
    ]
    assert "fly home" not in html_text(guide.disclaimer)
    assert html_text(guide.disclaimer).startswith(f"{PUBLISHER} is a care coordination service")
    assert "Disclaimer" not in html_text(faqs[-1].answer)
    assert "its structure was inferred from the lines" in out.getvalue()


def test_pasted_plain_text_is_recognised_and_imported_by_its_outline(client, editor, hub, category):
    client.force_login(editor)
    response = client.post(
        "/admin/guides/import/", {"text": TEXT_SAMPLE.read_text(), "hub": hub.pk}
    )
    content = response.content.decode()
    assert "structure was inferred" in content
    guide = GuidePage.objects.child_of(hub).get().get_latest_revision_as_object()
    assert guide.title == TEXT_TITLE  # not made from a file name
    assert len(guide.standfirst) < 300
    assert block(guide, "steps") and block(guide, "faqs")


def test_a_txt_upload_is_accepted(client, editor, hub, category):
    client.force_login(editor)
    with open(TEXT_SAMPLE, "rb") as upload:
        client.post("/admin/guides/import/", {"file": upload, "hub": hub.pk})
    assert GuidePage.objects.get(imported_from=TEXT_SAMPLE.name).title == TEXT_TITLE


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("Title\nA line.\n- item", "text"),
        ("# Title\n\nA paragraph.", "markdown"),
        ("Title\n\nSome **bold** words.", "markdown"),
        ("<h1>Title</h1><p>Text.</p>", "html"),
    ],
)
def test_the_pasted_format_is_recognised(text, fmt):
    assert detect_format(text) == fmt


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("What to Bring", True),
        ("A simple, direct approach", True),
        ("What Should Patients Ask?", True),  # a question in title case heads a section
        ("Is it rude to ask for another opinion?", False),  # a sentence
        ("A full sentence ends with a full stop.", False),
        ("Important: tell the team about a fever", False),  # a label
        ("- a list item", False),
        ("1. A numbered item", False),
        ("Step 2: Review", False),
        ('"A quoted sentence"', False),
        ("lower case words are a fragment", False),
        (
            "A line that is far too long to be a heading because headings are short and this "
            "one goes on and on",
            False,
        ),
    ],
)
def test_which_lines_are_headings(line, heading):
    assert is_heading(line) is heading


# Outlines generated from parts, written as plain text, must be read back as
# the same outline, whatever order the parts come in.
PARTS = {
    "heading": ("Getting Ready at Home", "<h2>Getting Ready at Home</h2>"),
    "paragraph": (
        "Pack the night before. Sleep well.",
        "<p>Pack the night before. Sleep well.</p>",
    ),
    "bullets": ("- water\n- snacks", "<ul>\n<li>water</li>\n<li>snacks</li>\n</ul>"),
    "dots": ("• a charger\n• a book", "<ul>\n<li>a charger</li>\n<li>a book</li>\n</ul>"),
    "numbers": (
        "1. Ask first.\n2. Then wait.",
        "<ol>\n<li>Ask first.</li>\n<li>Then wait.</li>\n</ol>",
    ),
    "step": ("Step 1: Arrive early", "<p>Step 1: Arrive early</p>"),
    "quote": ("“Please write it down.”", "<blockquote><p>Please write it down.</p></blockquote>"),
    "disclaimer": (
        "Disclaimer: General information only.",
        "<h2>Disclaimer</h2><p>General information only.</p>",
    ),
}


@pytest.mark.parametrize(
    "order",
    list(itertools.permutations(["heading", "paragraph", "bullets", "numbers", "quote"], 3))
    + [("dots", "step", "disclaimer")],
)
def test_generated_outlines_are_read_back(order):
    text = "A Title\n" + "\n\n".join(PARTS[name][0] for name in order)
    html, outline = to_html(text)
    assert html == "<h1>A Title</h1>\n" + "\n".join(PARTS[name][1] for name in order)
    assert outline.lists == sum(name in ("bullets", "dots", "numbers") for name in order)


def test_sentence_case_headings_are_sub_sections_of_title_case_ones():
    html, outline = to_html(
        "Title\nWhat to Bring on the Day\nA short list helps\nPack light.\n"
        "Frequently asked questions\nIs it long?\nNo.\nAfter the Visit\nRest."
    )
    assert "<h2>What to Bring on the Day</h2>\n<h3>A short list helps</h3>" in html
    # The FAQ heading stays a section, whatever its case, so its questions sit under it.
    assert "<h2>Frequently asked questions</h2>\n<h3>Is it long?</h3>" in html
    assert "<h2>After the Visit</h2>" in html and outline.subheadings == 1


def test_lines_wrapped_mid_sentence_are_one_paragraph():
    html, outline = to_html(
        "Title\nThis paragraph was wrapped by the editor that saved it, so its\nsecond line carries on.\nA new line."
    )
    assert (
        "<p>This paragraph was wrapped by the editor that saved it, so its second line carries on.</p>"
        in html
    )
    assert "<p>A new line.</p>" in html and outline.joined_lines == 1


def test_a_txt_file_that_is_not_text_is_refused():
    with pytest.raises(ImportRefused, match="not UTF-8 text"):
        to_source("article.txt", b"\xff\xfe\x00 broken")


# ---- the publisher ------------------------------------------------------------------


def test_the_publisher_the_article_names_fills_the_provenance_fields(hub, category):
    report = import_source(read_path(TEXT_SAMPLE), hub)
    guide = latest(report)
    publisher = Publisher.objects.get(name=PUBLISHER)
    assert publisher.url == "https://www.northbridgecare.example/"
    assert guide.publisher == publisher and guide.author_organisation == publisher
    assert guide.source_publisher == PUBLISHER
    assert guide.source_url == "https://www.northbridgecare.example/guides/first-chemotherapy-visit"
    assert guide.promotes_commercial_service
    assert not guide.live
    text = report_text(report)
    assert f"Publisher, author organisation, original publisher: '{PUBLISHER}'" in text
    assert "Promotes a commercial service: ticked" in text and "'our coordination team'" in text
    # The source line is a field now, not reader text.
    assert "northbridgecare.example" not in " ".join(
        b.value.source for b in guide.body if b.block_type == "paragraph"
    )


def test_an_article_that_names_no_publisher_says_so(hub, category):
    report = import_source(read_path(SAMPLES / "preparing-for-a-scan.md"), hub)
    guide = latest(report)
    assert guide.publisher is None and not guide.source_publisher
    assert not guide.promotes_commercial_service
    text = report_text(report)
    assert "does not name its publisher clearly enough" in text
    assert "Original address: not found" in text
    assert "Promotes a commercial service: not ticked" in text


def test_a_byline_and_page_metadata_name_a_known_publisher(hub, category, publisher):
    html = f"""<html><head><meta property="og:site_name" content="{publisher.name}">
    <link rel="canonical" href="https://example.org/board/fatigue"></head><body>
    <h1>Living with fatigue | {publisher.name}</h1><p>By the {publisher.name} team</p>
    <p>Fatigue is common during treatment and often eases afterwards.</p>
    <h2>Small changes help</h2><p>Short walks and regular meals can make a difference.</p>
    </body></html>"""
    report = import_source(to_source("fatigue.html", html.encode()), hub)
    guide = latest(report)
    assert guide.title == "Living with fatigue"
    assert guide.standfirst.startswith("Fatigue is common")  # the byline is not the standfirst
    assert guide.publisher == publisher and Publisher.objects.count() == 1
    assert guide.source_url == "https://example.org/board/fatigue"
    assert not guide.promotes_commercial_service  # it describes no service of its own


@pytest.mark.parametrize(
    "text",
    [
        "Coping With Worry\nWorry is normal after a diagnosis.\nAbout Sleep Problems\nRest helps.",
        "Radiotherapy Explained\nRadiotherapy is common.\nAbout Radiation Therapy\n"
        "Radiation therapy uses x-rays. Radiation therapy is planned with scans.",
        "Getting Help\nYou are not alone.\nHow Your Care Team Supports You\n"
        "Your Care Team can explain results. Your Care Team answers questions. Contact us.",
    ],
)
def test_a_heading_or_phrase_alone_does_not_name_a_publisher(hub, category, text):
    report = import_source(to_source("article.txt", text.encode()), hub)
    guide = latest(report)
    assert guide.publisher is None and not guide.promotes_commercial_service
    assert Publisher.objects.count() == 0


def test_a_by_line_inside_the_article_is_text_not_a_byline(hub, category):
    lines = [f"Point number {n} of the list stays in the body." for n in range(8)]
    text = "Planning Ahead\n" + "\n".join(lines[:4] + ["By Monday."] + lines[4:])
    report = import_source(to_source("article.txt", text.encode()), hub)
    assert "By Monday." in latest(report).body[0].value.source
    assert latest(report).publisher is None


# ---- importing the same article again -------------------------------------------------


def test_the_same_article_pasted_in_another_format_updates_its_guide(client, editor, hub, category):
    client.force_login(editor)
    first = import_source(read_path(TEXT_SAMPLE), hub, user=editor)
    guide = first.guide
    guide.publisher = None  # the editor's choices survive a re-import
    chosen = Publisher.objects.create(name="Chosen by the editor")
    revision = guide.get_latest_revision_as_object()
    revision.publisher = chosen
    revision.save_revision(user=editor)
    markdown = TEXT_SAMPLE.read_text().replace(TEXT_TITLE, f"# {TEXT_TITLE}\n", 1)
    response = client.post(
        "/admin/guides/import/",
        {"text": markdown, "pasted_format": "markdown", "hub": hub.pk},
    )
    content = response.content.decode()
    assert GuidePage.objects.child_of(hub).count() == 1
    assert "Updated draft" in content and "matches the guide" in content and "its title" in content
    guide.refresh_from_db()
    assert guide.revisions.count() == 3 and not guide.live
    assert guide.get_latest_revision_as_object().publisher == chosen


def test_a_new_guide_only_when_the_editor_asks(client, editor, hub, category):
    client.force_login(editor)
    import_source(read_path(TEXT_SAMPLE), hub)
    response = client.post(
        "/admin/guides/import/",
        {"text": TEXT_SAMPLE.read_text(), "hub": hub.pk, "new_guide": "on"},
    )
    assert GuidePage.objects.child_of(hub).count() == 2
    assert "rename one so they can be told apart" in response.content.decode()


def test_the_command_matches_by_original_address_and_makes_new_guides_on_request(
    tmp_path, hub, category
):
    call_command("import_guides", str(TEXT_SAMPLE), "--hub", hub.slug, stdout=io.StringIO())
    renamed = tmp_path / "chemo.txt"
    renamed.write_text(TEXT_SAMPLE.read_text().replace(TEXT_TITLE, "Your First Chemotherapy Visit"))
    out = io.StringIO()
    call_command("import_guides", str(renamed), "--hub", hub.slug, stdout=out)
    assert "updated draft 'Your First Chemotherapy Visit'" in out.getvalue()
    assert "by its original address" in out.getvalue()
    assert GuidePage.objects.child_of(hub).count() == 1
    call_command(
        "import_guides", str(renamed), "--hub", hub.slug, "--new-guide", stdout=io.StringIO()
    )
    assert GuidePage.objects.child_of(hub).count() == 2


def test_a_button_run_into_the_faq_heading_is_split_from_it():
    html, outline = to_html(
        "Title\nBook a Video CallFrequently Asked Questions\nCan I bring a friend?\nYes, one person."
    )
    assert "<h2>Frequently Asked Questions</h2>\n<h3>Can I bring a friend?</h3>" in html
    assert outline.questions == 1
