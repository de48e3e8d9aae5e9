"""Importing Word, HTML and Markdown articles as draft guides: each sample end
to end through the command, block by block; every sentence of every sample in
its draft; re-imports; FAQ matching; drafts invisible to the API; hostile input."""

import base64
import io
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.test import override_settings
from docx import Document
from markdown_it import MarkdownIt

from faqs.models import FAQ
from guides.importing.build import import_source
from guides.importing.samples import build_docx
from guides.importing.sources import ImportRefused, to_source
from guides.models import GuidePage

SAMPLES = Path(build_docx.__file__).parent
DOCX = build_docx.FILE_NAME
SAMPLE_NAMES = [
    DOCX,
    "preparing-for-a-scan.md",
    "managing-side-effects.md",
    "caring-for-someone.md",
    "travelling-for-treatment.html",
    "joining-a-clinical-trial.html",
    "first-chemotherapy-visit.txt",
]


@pytest.fixture
def samples(tmp_path):
    """The samples copied to a temporary folder, with the .docx built there."""
    folder = tmp_path / "samples"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    build_docx.build(folder)
    return folder


def run_import(hub, *paths):
    out = io.StringIO()
    call_command("import_guides", *map(str, paths), "--hub", hub.slug, stdout=out)
    return out.getvalue()


def draft(name):
    guide = GuidePage.objects.get(imported_from=name)
    return guide, guide.get_latest_revision_as_object()


def types(guide):
    return [block.block_type for block in guide.body]


def block(guide, block_type, index=0):
    return [b.value for b in guide.body if b.block_type == block_type][index]


def html_text(html):
    return " ".join(BeautifulSoup(str(html), "html.parser").get_text(" ").split())


# ---- each sample, block by block -------------------------------------------


def test_the_command_imports_every_sample_with_progress(samples, hub, category):
    out = run_import(hub, *(samples / name for name in SAMPLE_NAMES))
    for number, name in enumerate(SAMPLE_NAMES, start=1):
        assert re.search(
            rf"^\[{number}/{len(SAMPLE_NAMES)}\] {re.escape(name)}: created draft '.+' \(id \d+\), \d+ blocks, \d+ to check$",
            out,
            re.MULTILINE,
        ), out
    assert f"Imported {len(SAMPLE_NAMES)} of {len(SAMPLE_NAMES)} file(s)" in out
    # Every block passes the checks the editor's form makes (lengths, required fields).
    assert "needs fixing" not in out
    assert GuidePage.objects.child_of(hub).count() == len(SAMPLE_NAMES)
    for guide in GuidePage.objects.child_of(hub):
        assert not guide.live and guide.has_unpublished_changes
        assert guide.revisions.count() == 1


def test_word_sample(samples, hub, category):
    run_import(hub, samples / DOCX)
    page, guide = draft(DOCX)
    assert guide.title == "Asking for a second opinion"
    assert guide.standfirst.startswith("A second opinion is when another specialist")
    assert types(guide) == [
        "heading",
        "numbered_list",
        "heading",
        "table",
        "image",
        "faqs",
        "closing_note",
    ]
    items = block(guide, "numbered_list")["items"]
    assert [item["title"] for item in items] == [
        "You want to be sure of the diagnosis",
        "You were offered more than one option",
        "You would like to hear about clinical trials",
    ]
    assert "[1]" in items[0]["text"].source
    table = block(guide, "table")["table"]
    assert table["data"][0] == ["Stage", "Typical time"] and len(table["data"]) == 4
    assert table["first_row_is_table_header"] is True  # Word's "Repeat as header row"
    image = block(guide, "image")
    assert image["alt_text"] == "A doctor reviewing scan images on a screen"
    assert image["image"].file.name.endswith(".png")
    faqs = block(guide, "faqs")
    assert faqs["title"] == "Frequently asked questions"
    assert [faq.question for faq in faqs["faqs"]] == [
        "Will my doctor be offended if I ask?",
        "Do I have to pay for a second opinion?",
    ]
    assert [p.faq.question for p in guide.faq_placements.all()] == [
        faq.question for faq in faqs["faqs"]
    ]
    assert block(guide, "closing_note")["title"] == "Final note"
    # A disclaimer after the article's text is the guide's disclaimer, not a notice.
    assert "does not replace advice from your own doctor" in guide.disclaimer
    assert "Disclaimer:" not in guide.disclaimer
    [reference] = guide.references.all()
    assert reference.doi == "10.1200/JCO.20.01234" and reference.year == 2021
    assert reference.title.startswith("Payne K, Ortiz L. Diagnostic changes")


def test_markdown_sample_with_a_disclaimer_first(samples, hub, category):
    run_import(hub, samples / "preparing-for-a-scan.md")
    _, guide = draft("preparing-for-a-scan.md")
    assert types(guide) == [
        "notice",
        "heading",
        "steps",
        "heading",
        "table",
        "heading",
        "numbered_list",
        "faqs",
        "closing_note",
    ]
    notice = block(guide, "notice")
    assert notice["placement"] == "top" and notice["title"] == "Disclaimer"
    assert html_text(notice["body"].source).startswith("This guide gives general information")
    assert guide.standfirst.startswith("Scans help your team")
    assert guide.disclaimer == ""
    steps = block(guide, "steps")["steps"]
    assert [s["title"] for s in steps] == [
        "Read your letter",
        "Check your medicines",
        "Plan your journey",
    ]
    assert steps[0]["text"].startswith("It says which scan")
    table = block(guide, "table")["table"]
    assert table["first_row_is_table_header"] is True
    assert table["data"][2] == ["MRI", "30 to 60 minutes", "Loud knocking noises from the machine"]
    assert [i["title"] for i in block(guide, "numbered_list")["items"]] == [
        "You might be pregnant",
        "You have metal in your body",
        "You feel anxious in small spaces",
    ]
    assert [f.question for f in block(guide, "faqs")["faqs"]] == [
        "Can I bring someone with me?",
        "When will I get my results?",
    ]
    assert [(r.pmid, r.year) for r in guide.references.all()] == [
        ("35012345", 2022),
        ("32098765", 2020),
    ]


def test_markdown_sample_with_bold_titled_list_and_a_closing_disclaimer(samples, hub, category):
    run_import(hub, samples / "managing-side-effects.md")
    _, guide = draft("managing-side-effects.md")
    assert types(guide) == [
        "heading",
        "paragraph",
        "heading",
        "numbered_list",
        "heading",
        "paragraph",
        "faqs",
        "closing_note",
    ]
    assert "<ul>" in block(guide, "paragraph").source
    items = block(guide, "numbered_list")["items"]
    assert items[0]["title"] == "A high temperature"
    assert items[0]["text"].source.startswith("<p>A temperature of 38°C")
    assert block(guide, "closing_note")["title"] == "Summary"
    assert "general information only" in guide.disclaimer
    doi, url = guide.references.all()
    assert doi.doi == "10.1038/s41572-022-00336-y" and not doi.url
    assert url.url.startswith("https://www.macmillan.org.uk/") and url.title == (
        "Macmillan Cancer Support. Taste changes"
    )


def test_markdown_sample_without_a_title_and_with_uncertain_parts(samples, hub, category):
    out = run_import(hub, samples / "caring-for-someone.md")
    _, guide = draft("caring-for-someone.md")
    assert guide.title == "Caring for someone"  # from the file name
    assert types(guide) == [
        "heading",
        "paragraph",
        "quote",
        "heading",
        "paragraph",  # one-line steps have no text: kept as paragraphs, and said so
        "heading",
        "paragraph",
        "heading",
        "paragraph",
        "paragraph",  # the <pre>
        "closing_note",
    ]
    levels = [b.value["level"] for b in guide.body if b.block_type == "heading"]
    assert levels == ["2", "3", "4", "4"]
    assert "made from the file name" in out
    assert "were kept as paragraphs" in out
    assert "Not placed: a <pre>" in out
    assert block(guide, "closing_note")["title"] == "In conclusion"


def test_html_sample_with_step_headings_an_image_file_and_a_caption(samples, hub, category):
    run_import(hub, samples / "travelling-for-treatment.html")
    _, guide = draft("travelling-for-treatment.html")
    assert guide.title == "Travelling for treatment"
    assert types(guide) == [
        "notice",
        "heading",
        "steps",
        "image",
        "heading",
        "table",
        "faqs",
        "closing_note",
    ]
    steps = block(guide, "steps")["steps"]
    assert steps[1] == {
        "title": "Book somewhere to stay",
        "text": "Some centres have rooms for patients and families nearby.\n\n"
        "Ask the ward about them when your treatment dates are confirmed.",
    }
    image = block(guide, "image")
    assert image["alt_text"].startswith("The main entrance of a treatment centre")
    assert image["caption"] == "Most centres have a drop-off point near the main entrance."
    table = block(guide, "table")["table"]
    assert table["table_caption"] == "Help with travel costs"
    assert table["first_row_is_table_header"] is True
    first, second = guide.references.all()
    assert first.url.startswith("https://www.nhs.uk/") and first.title.startswith("NHS.")
    assert second.doi == "10.1038/s41416-019-0500-0"


def test_html_sample_with_q_and_a_and_a_remote_image(samples, hub, category):
    out = run_import(hub, samples / "joining-a-clinical-trial.html")
    _, guide = draft("joining-a-clinical-trial.html")
    assert types(guide) == ["heading", "paragraph", "heading", "paragraph", "faqs", "closing_note"]
    assert [f.question for f in block(guide, "faqs")["faqs"]] == [
        "Will I definitely get the new treatment?",
        "Is it safe to join a trial?",
    ]
    answer = block(guide, "faqs")["faqs"][0].answer
    assert answer.startswith("<p>Not always.")  # the 'A:' label is not part of it
    assert "https://example.org/images/trial-nurse.jpg is on another site" in out
    both = guide.references.all()[1]
    assert (both.pmid, both.doi) == ("36700001", "10.1186/s13063-023-07000-1")
    assert "Citations [1], [2] kept in the text." in out


# ---- nothing is lost -----------------------------------------------------------

SENTENCE = re.compile(r"(?<=[.!?:])\s+")
# Structure the draft keeps as structure, not words: a step's or point's number,
# the Q/A and Disclaimer labels.
LABEL = re.compile(r"^(step\s+\d+\s*[:.\-–—]?|\d+[.)]|q:|a:|disclaimer:)\s*", re.IGNORECASE)
REFERENCE_HEADINGS = {"references", "sources"}
LIST_MARK = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def words(text):
    return re.findall(r"\w+", text.lower())


def source_lines(path):
    """The article's text, one block per line, as its own format reads it; reference
    lists are left out (their DOIs and addresses are fields, checked above)."""
    if path.suffix == ".docx":
        document = Document(path)
        lines = []
        for paragraph in document.paragraphs:
            heading = paragraph.style.name.startswith(("Heading", "Title"))
            lines.append((heading, paragraph.text))
        for table in document.tables:
            lines += [(False, cell.text) for row in table.rows for cell in row.cells]
    elif path.suffix == ".txt":
        # Each line, without its list mark; the source line is the guide's
        # original address (a field), not text.
        lines = [
            (False, LIST_MARK.sub("", line))
            for line in path.read_text().splitlines()
            if not line.startswith("Source: ")
        ]
    else:
        html = path.read_text()
        if path.suffix == ".md":
            html = MarkdownIt("commonmark").enable("table").render(html)
        soup = BeautifulSoup(html, "html.parser")
        for element in soup(["script", "style", "head"]):
            element.decompose()
        lines = [
            (element.name.startswith("h"), element.get_text(" "))
            for element in soup.find_all(
                [
                    "h1",
                    "h2",
                    "h3",
                    "h4",
                    "h5",
                    "p",
                    "li",
                    "td",
                    "th",
                    "caption",
                    "pre",
                    "blockquote",
                ]
            )
            if not element.find(["p", "li"])
        ]
    kept, in_references = [], False
    for heading, text in lines:
        if heading:
            in_references = text.strip().lower() in REFERENCE_HEADINGS
        if not in_references and text.strip():
            kept.append(" ".join(text.split()))
    return kept


def draft_text(guide):
    """Every word a reader or editor finds in the draft, in order."""
    parts = [guide.title, guide.standfirst]
    for child in guide.body:
        value = child.value
        kind = child.block_type
        if kind == "heading":
            parts.append(value["text"])
        elif kind in ("paragraph",):
            parts.append(html_text(value.source))
        elif kind in ("notice", "closing_note"):
            parts += [value["title"], html_text(value["body"].source)]
        elif kind == "steps":
            parts += [f"{s['title']} {s['text']}" for s in value["steps"]]
        elif kind == "numbered_list":
            parts += [f"{i['title']} {html_text(i['text'].source)}" for i in value["items"]]
        elif kind == "table":
            parts.append(value["table"].get("table_caption") or "")
            parts += [cell for row in value["table"]["data"] for cell in row]
        elif kind == "faqs":
            parts.append(value["title"])
            parts += [f"{faq.question} {html_text(faq.answer)}" for faq in value["faqs"]]
        elif kind == "image":
            parts += [value["alt_text"], value["caption"]]
        elif kind == "quote":
            parts.append(value["text"])
        else:
            raise AssertionError(f"unexpected block {kind}")
    parts.append(html_text(guide.disclaimer))
    parts += [ref.title for ref in guide.references.all()]
    return " " + " ".join(" ".join(words(part)) for part in parts if part) + " "


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_sentence_of_the_source_is_in_the_draft(samples, hub, category, name):
    run_import(hub, samples / name)
    _, guide = draft(name)
    text = draft_text(guide)
    sentences = [
        LABEL.sub("", sentence)
        for line in source_lines(samples / name)
        for sentence in SENTENCE.split(line)
    ]
    assert len(sentences) > 15
    missing = [s for s in sentences if words(s) and f" {' '.join(words(s))} " not in text]
    assert missing == []


# ---- re-import, FAQs, visibility -------------------------------------------------


def test_importing_the_same_file_again_makes_a_new_revision_of_the_same_draft(
    samples, hub, category
):
    path = samples / "preparing-for-a-scan.md"
    run_import(hub, path)
    page, _ = draft(path.name)
    path.write_text(path.read_text().replace("Before the day", "Before your scan day"))
    out = run_import(hub, path)
    assert "updated draft 'Preparing for a scan'" in out
    assert "a new revision of the same guide" in out
    assert GuidePage.objects.child_of(hub).count() == 1
    page.refresh_from_db()
    assert page.revisions.count() == 2 and not page.live
    _, latest = draft(path.name)
    assert block(latest, "heading")["text"] == "Before your scan day"
    # Its FAQs were matched to the drafts the first import made, not made twice.
    assert FAQ.objects.filter(question="Can I bring someone with me?").count() == 1


def test_the_same_file_in_another_hub_is_another_guide(samples, make_hub, category):
    first, second = make_hub(slug="one"), make_hub(slug="two")
    run_import(first, samples / "caring-for-someone.md")
    run_import(second, samples / "caring-for-someone.md")
    assert GuidePage.objects.filter(imported_from="caring-for-someone.md").count() == 2


def test_faqs_are_matched_by_question_or_created_as_drafts(samples, hub, category, make_faq):
    existing = make_faq(
        question="Should I tell my team about new side effects?",
        answer="<p>Yes. Tell your team about any new side effect, even if it seems small.</p>",
    )
    out = run_import(hub, samples / "managing-side-effects.md")
    _, guide = draft("managing-side-effects.md")
    matched, created = block(guide, "faqs")["faqs"]
    assert matched.pk == existing.pk and matched.live
    assert f"matched the existing FAQ (id {existing.pk})" in out
    assert "answer differs" not in out  # the same answer: nothing to compare
    assert types(guide).count("paragraph") == 2
    assert created.question == "Can I take my usual painkillers?"
    assert not created.live and created.revisions.count() == 1
    assert created.topic.name == "Imported"
    assert "is a new draft FAQ" in out


def test_a_matched_faq_with_another_answer_keeps_the_articles_answer(
    samples, hub, category, make_faq
):
    make_faq(question="should I tell my team about NEW side effects", answer="<p>Always.</p>")
    out = run_import(hub, samples / "managing-side-effects.md")
    _, guide = draft("managing-side-effects.md")
    assert types(guide)[-3:] == ["faqs", "paragraph", "closing_note"]
    assert "even if it seems small" in guide.body[-2].value.source
    assert "the article's answer differs" in out


def test_nothing_of_a_draft_is_readable_through_graphql(samples, hub, category, graphql):
    run_import(hub, samples / "preparing-for-a-scan.md")
    page, _ = draft("preparing-for-a-scan.md")
    query = "{ guide(slug: $slug) { title } guides { items { title } } "
    query += "faqs { items { question } } faqTopics { name } }"
    data = graphql.data("query ($slug: String!) " + query, {"slug": page.slug})
    assert data["guide"] is None
    assert data["guides"]["items"] == []
    assert data["faqs"]["items"] == [] and data["faqTopics"] == []
    _, body = graphql.post("query ($id: ID) { page(id: $id) { title } }", {"id": page.pk})
    assert "errors" not in body and body["data"]["page"] is None
    faq = FAQ.objects.get(question="Can I bring someone with me?")
    data = graphql.data(
        "query ($id: ID!, $hub: String!) { faq(id: $id) { question } "
        'search(query: "radiographer scan") { total items { title } } '
        "hub(slug: $hub) { guides { items { title } } } }",
        {"id": str(faq.pk), "hub": hub.slug},
    )
    assert data["faq"] is None
    assert data["search"]["total"] == 0 and data["search"]["items"] == []
    assert data["hub"]["guides"]["items"] == []


# ---- hostile and broken input ------------------------------------------------------


HOSTILE = """<h1>Hostile <script>alert(1)</script>article</h1>
<p onclick="steal()">First paragraph with <a href="javascript:alert(2)">a bad link</a>.</p>
<h2 onmouseover="x()">Section</h2>
<p>Text <a href="https://example.org/ok" onclick="x()" target="_blank">good link</a>
<img src="x" onerror="alert(3)" alt=""> and <a linktype="page" id="1">a forged page link</a>.</p>
<script>document.cookie</script><style>p { color: red }</style>
<iframe src="https://evil.example"></iframe>
<ul><li onclick="x()">One</li><li>Two <a href="JaVaScRiPt:alert(4)">three</a></li></ul>
"""


@pytest.mark.parametrize("name", ["hostile.html", "hostile.md"])
def test_scripts_handlers_and_javascript_links_are_dropped(hub, category, name):
    report = import_source(to_source(name, HOSTILE.encode()), hub)
    guide = report.guide.get_latest_revision_as_object()
    stored = guide.title + guide.standfirst + str(guide.body.raw_data)
    for bad in (
        "script",
        "alert",
        "onclick",
        "onerror",
        "onmouseover",
        "javascript",
        "cookie",
        "iframe",
        "linktype",
        "style",
        "steal",
    ):
        assert bad not in stored.lower(), bad
    assert guide.title == "Hostile article"
    assert 'href="https://example.org/ok"' in stored
    assert "forged page link" in stored and "three" in stored  # the words stay
    assert any("unsafe link" in line.text for line in report.to_check)


@override_settings(GUIDE_IMPORT_MAX_BYTES=1000)
def test_a_huge_file_is_refused_clearly(tmp_path, hub, category):
    path = tmp_path / "huge.md"
    path.write_text("# Huge\n\n" + "Words. " * 1000)
    with pytest.raises(CommandError, match="1 file"):
        out = io.StringIO()
        call_command("import_guides", str(path), "--hub", hub.slug, stdout=out)
    assert (
        "huge.md: failed: huge.md is 7,008 bytes; the importer takes at most 1,000"
        in out.getvalue()
    )
    assert not GuidePage.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("latin1.md", "# Caf\xe9\n\nNa\xefve text.".encode("latin-1"), "is not UTF-8 text"),
        ("empty.html", b"  \n ", "is empty"),
        ("binary.md", b"# T\x00\x00", "binary data"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "not a readable Word document"),
        ("notes.rtf", b"{\\rtf1 hello}", "unknown kind of file"),
        ("empty.txt", b"\n\n", "is empty"),
        ("nothing.html", b"<script>only()</script>", None),
        (
            "deep.html",
            b"<h1>Deep</h1>" + b"<div>" * 5000 + b"<p>Text.</p>",
            "nests its elements too deeply",
        ),
    ],
)
def test_bad_files_give_clear_errors(hub, category, name, data, message):
    if message is None:  # nothing but a script: an empty draft would be useless
        with pytest.raises(ImportRefused, match="no text"):
            import_source(to_source(name, data), hub)
        return
    with pytest.raises(ImportRefused, match=message):
        import_source(to_source(name, data), hub)
    assert not GuidePage.objects.exists()


def test_a_docx_that_is_a_zip_of_something_else_is_refused(tmp_path, hub, category):
    import zipfile

    path = tmp_path / "photos.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.txt", "not word")
    with pytest.raises(ImportRefused, match="not a readable Word document"):
        import_source(to_source(path.name, path.read_bytes()), hub)


def test_an_image_path_outside_the_articles_folder_is_not_read(tmp_path, hub, category):
    (tmp_path / "secret.png").write_bytes((SAMPLES / "images" / "clinic-entrance.png").read_bytes())
    folder = tmp_path / "articles"
    folder.mkdir()
    article = folder / "escape.md"
    article.write_text("# Escape\n\nIntro text.\n\n![A secret](../secret.png)\n")
    out = run_import(hub, article)
    assert "no such file beside the article" in out
    _, guide = draft("escape.md")
    assert "image" not in types(guide)


# ---- the admin view ------------------------------------------------------------------


def test_an_editor_imports_a_file_in_the_admin_and_sees_the_report(
    client, editor, samples, hub, category
):
    client.force_login(editor)
    page = client.get("/admin/guides/import/")
    assert page.status_code == 200
    dashboard = client.get("/admin/").content.decode()  # the sidebar menu, as JSON
    assert "Import a guide" in dashboard and "/admin/guides/import/" in dashboard
    with open(samples / "travelling-for-treatment.html", "rb") as upload:
        response = client.post("/admin/guides/import/", {"file": upload, "hub": hub.pk})
    assert response.status_code == 200
    guide = GuidePage.objects.get(imported_from="travelling-for-treatment.html")
    content = response.content.decode()
    assert "Import report: travelling-for-treatment.html" in content
    assert f"/admin/pages/{guide.pk}/edit/" in content
    assert "Steps: 3 steps" in content
    assert not guide.live
    # An image named by a path beside an uploaded file cannot be read: the report says so.
    assert "Image images/clinic-entrance.png not imported" in content


def test_pasted_text_is_imported_and_bad_input_is_explained(client, editor, hub, category):
    client.force_login(editor)
    response = client.post(
        "/admin/guides/import/",
        {
            "text": "# Pasted guide\n\nA first paragraph.",
            "pasted_format": "markdown",
            "hub": hub.pk,
        },
    )
    assert "Import report: pasted-guide.md" in response.content.decode()
    assert GuidePage.objects.get(imported_from="pasted-guide.md").title == "Pasted guide"
    client.post(
        "/admin/guides/import/",
        {"text": "<h1>Pasted page</h1><p>Text.</p>", "pasted_format": "html", "hub": hub.pk},
    )
    assert GuidePage.objects.get(imported_from="pasted-page.html").title == "Pasted page"
    bad = io.BytesIO(b"\xff\xfe\x00broken")
    bad.name = "broken.md"
    response = client.post("/admin/guides/import/", {"file": bad, "hub": hub.pk})
    assert "is not UTF-8 text" in response.content.decode()
    response = client.post("/admin/guides/import/", {"hub": hub.pk})
    assert "Upload a file or paste the article" in response.content.decode()


def test_people_who_cannot_add_guides_cannot_import(client, reviewer, hub):
    client.force_login(reviewer)
    assert client.get("/admin/guides/import/").status_code in (302, 403)


def test_one_bad_file_does_not_stop_the_others(samples, hub, category):
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command(
            "import_guides",
            str(samples / "caring-for-someone.md"),
            str(samples / "missing.md"),
            str(samples / "joining-a-clinical-trial.html"),
            "--hub",
            hub.slug,
            stdout=out,
        )
    lines = out.getvalue()
    assert "[1/3] caring-for-someone.md: created draft" in lines
    assert "[2/3] missing.md: failed: cannot read it" in lines
    assert "[3/3] joining-a-clinical-trial.html: created draft" in lines
    assert "Imported 2 of 3 file(s)" in lines


def test_what_the_editor_must_fix_is_in_the_report(tmp_path, hub, category):
    shutil.copy(SAMPLES / "images" / "clinic-entrance.png", tmp_path / "entrance.png")
    article = tmp_path / "to-fix.md"
    article.write_text(
        "# To fix\n\nIntro text cites a source [3].\n\n![](entrance.png)\n\n"
        "## References\n\n1. A guideline without any identifier. 2024.\n"
    )
    out = run_import(hub, article)
    assert "has no alt text: write one" in out
    assert "Block 1 (image) needs fixing: alt_text: This field is required." in out
    assert "The text cites [3] but 1 reference(s) were found" in out
    assert "Reference [1] has no DOI, PubMed ID or web address" in out
    _, guide = draft("to-fix.md")
    assert types(guide) == ["image"] and guide.standfirst == "Intro text cites a source [3]."


SVG = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4="


def test_only_real_bitmap_images_within_the_limit_are_imported(hub, category):
    png = base64.b64encode((SAMPLES / "images" / "clinic-entrance.png").read_bytes()).decode()
    html = (
        "<h1>Pictures</h1><p>Intro.</p>"
        f'<p><img src="data:image/svg+xml;base64,{SVG}" alt="A drawing"></p>'
        f'<p><img src="data:image/png;base64,{png}" alt="A clinic"></p>'
    )
    report = import_source(to_source("pictures.html", html.encode()), hub)
    guide = report.guide.get_latest_revision_as_object()
    [image] = [b.value for b in guide.body if b.block_type == "image"]
    assert image["alt_text"] == "A clinic" and image["image"].width == 200
    assert any("'A drawing' not imported: not a PNG" in line.text for line in report.to_check)
    with override_settings(GUIDE_IMPORT_MAX_IMAGE_BYTES=100):
        report = import_source(to_source("pictures.html", html.encode()), hub)
    assert any("'A clinic' not imported" in line.text for line in report.to_check)


def test_sections_as_top_level_headings_keep_their_outline(hub, category):
    html = (
        "<h1>Title</h1><p>Intro.</p><h1>Section</h1><p>Text.</p>"
        "<h2>Sub-section</h2><p>More.</p><h3>Detail</h3><p>Most.</p>"
    )
    report = import_source(to_source("outline.html", html.encode()), hub)
    guide = report.guide.get_latest_revision_as_object()
    levels = [(b.value["text"], b.value["level"]) for b in guide.body if b.block_type == "heading"]
    assert levels == [("Section", "2"), ("Sub-section", "3"), ("Detail", "4")]
    assert any("H1 became H2" in line.text for line in report.to_check)


def test_a_folder_is_imported_with_the_category_chosen(samples, hub, category):
    from guides.models import GuideCategory

    chosen = GuideCategory.objects.create(name="Practical guide")
    out = io.StringIO()
    call_command(
        "import_guides",
        str(samples),
        "--hub",
        hub.slug,
        "--category",
        "Practical guide",
        stdout=out,
    )
    # Every sample in the folder: the .docx, HTML, Markdown and plain-text articles.
    assert f"Imported {len(SAMPLE_NAMES)} of {len(SAMPLE_NAMES)} file(s)" in out.getvalue()
    assert {g.category_id for g in GuidePage.objects.child_of(hub).specific()} == {chosen.pk}
    with pytest.raises(CommandError, match="No guide hub with the slug 'nowhere'"):
        call_command("import_guides", str(samples), "--hub", "nowhere")
