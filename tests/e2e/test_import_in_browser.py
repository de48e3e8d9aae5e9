"""Importing in a real browser: an editor uploads the sample Word article and
the plain-text article on "Import a guide", reads the report and opens the
draft it made."""

import io
import shutil

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from guides.importing.samples import build_docx
from guides.models import GuidePage
from tests.e2e.test_clinical_review_in_browser import AUTOSAVE_SETTLED, PASSWORD, admin_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_editor_uploads_a_word_article_and_opens_the_draft(
    admin_session, hub, category, tmp_path
):
    admin_user("jo", "Editors")
    path = build_docx.build(tmp_path)
    session = admin_session("jo", PASSWORD)
    page = session.page

    page.goto("/admin/")
    page.get_by_role("link", name="Import a guide").click()
    expect(page.get_by_role("heading", name="Import a guide")).to_be_visible()
    page.get_by_label("File").set_input_files(str(path))
    page.get_by_label("Hub").select_option(label=hub.title)
    page.get_by_role("button", name="Import").click()

    report = page.locator(".import-report")
    expect(report.get_by_role("heading", name=f"Import report: {path.name}")).to_be_visible()
    expect(report).to_contain_text("Created draft 'Asking for a second opinion'")
    expect(report).to_contain_text("Numbered list: 3 points")
    expect(report).to_contain_text("is a new draft FAQ")

    report.get_by_role("link", name="Edit the draft").click()
    guide = GuidePage.objects.get(imported_from=path.name)
    page.wait_for_url(f"**/admin/pages/{guide.pk}/edit/")
    expect(page.locator("#id_title")).to_have_value("Asking for a second opinion")
    # The body's numbered list, in the StreamField editor.
    expect(page.locator("#body-1-value-items-0-value-title")).to_have_value(
        "You want to be sure of the diagnosis"
    )

    # The admin's own form accepts every imported block: saving the draft as it is works.
    page.wait_for_function(AUTOSAVE_SETTLED)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("'Asking for a second opinion' has been updated")).to_be_visible()
    guide.refresh_from_db()
    assert not guide.live and guide.revisions.count() == 2
    assert session.errors == []


def test_a_plain_text_article_arrives_with_its_outline_and_its_publisher(
    admin_session, hub, category
):
    """The organisation's plain-text article: uploading it fills the publisher,
    author organisation, original publisher and address and ticks "promotes a
    commercial service" (an editor once set these by hand in 19 clicks); here
    the editor only reads them on the Settings tab."""
    from guides.models import Publisher
    from tests.test_importing_sources import PUBLISHER, TEXT_SAMPLE, TEXT_TITLE

    admin_user("jo", "Editors")
    session = admin_session("jo", PASSWORD)
    page = session.page
    clicks = 0

    page.goto("/admin/guides/import/")
    page.get_by_label("File").set_input_files(str(TEXT_SAMPLE))
    page.get_by_label("Hub").select_option(label=hub.title)
    page.get_by_role("button", name="Import").click()
    clicks += 3
    report = page.locator(".import-report")
    expect(report).to_contain_text("its structure was inferred from the lines")
    expect(report).to_contain_text("Steps: 3 steps")
    expect(report).to_contain_text(
        f"Publisher, author organisation, original publisher: '{PUBLISHER}'"
    )
    expect(report).to_contain_text("Promotes a commercial service: ticked")

    report.get_by_role("link", name="Edit the draft").click()
    clicks += 1
    guide = GuidePage.objects.get(imported_from=TEXT_SAMPLE.name)
    page.wait_for_url(f"**/admin/pages/{guide.pk}/edit/")
    expect(page.locator("#id_title")).to_have_value(TEXT_TITLE)
    publisher = Publisher.objects.get(name=PUBLISHER)
    expect(page.locator("#id_publisher")).to_have_value(str(publisher.pk))
    page.get_by_role("tab", name="Settings").click()
    clicks += 1
    expect(page.locator("#id_author_organisation")).to_have_value(str(publisher.pk))
    expect(page.locator("#id_source_publisher")).to_have_value(PUBLISHER)
    expect(page.locator("#id_source_url")).to_have_value(
        "https://www.northbridgecare.example/guides/first-chemotherapy-visit"
    )
    expect(page.locator("#id_promotes_commercial_service")).to_be_checked()
    # Import, open the draft and see its provenance: 5 clicks, none of them to set a field.
    assert clicks == 5
    assert session.errors == []


def test_every_sample_uploaded_in_the_browser_makes_the_draft_the_command_makes(
    admin_session, make_hub, category, tmp_path
):
    """The admin upload and `import_guides` are one pipeline: each sample gives
    the same draft both ways (but for images kept in files beside an HTML or
    Markdown article, which an upload cannot bring: the report says so)."""
    from tests.test_importing import SAMPLE_NAMES, SAMPLES

    uploaded_hub, command_hub = make_hub(title="Uploaded"), make_hub(title="By command")
    folder = tmp_path / "samples"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    build_docx.build(folder)
    call_command(
        "import_guides",
        *(str(folder / name) for name in SAMPLE_NAMES),
        "--hub",
        command_hub.slug,
        stdout=io.StringIO(),
    )
    admin_user("jo", "Editors")
    page = admin_session("jo", PASSWORD).page

    for name in SAMPLE_NAMES:
        page.goto("/admin/guides/import/")
        page.get_by_label("File").set_input_files(str(folder / name))
        page.get_by_label("Hub").select_option(label=uploaded_hub.title)
        page.get_by_role("button", name="Import").click()
        expect(page.locator(".import-report")).to_contain_text(f"Import report: {name}")

        uploaded, by_command = (
            GuidePage.objects.child_of(hub).get(imported_from=name).get_latest_revision_as_object()
            for hub in (uploaded_hub, command_hub)
        )
        assert not uploaded.live, name
        for field in ("title", "standfirst", "disclaimer", "summary"):
            assert getattr(uploaded, field) == getattr(by_command, field), (name, field)
        assert _without_images(uploaded.body) == _without_images(by_command.body), name
        assert [f.faq.question for f in uploaded.faq_placements.all()] == [
            f.faq.question for f in by_command.faq_placements.all()
        ], name


def _without_images(body):
    return [
        (b.block_type, _without_ids(b.get_prep_value()["value"]))
        for b in body
        if b.block_type != "image"
    ]


def _without_ids(value):
    """A block's value without the ids Wagtail gives list items on each save."""
    if isinstance(value, dict):
        return {key: _without_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value
