"""Importing in a real browser: an editor uploads the sample Word article on
"Import a guide", reads the report and opens the draft it made."""

import pytest
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
