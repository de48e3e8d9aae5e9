"""No public HTML: a page's address redirects to the frontend or is a plain
404, never a rendering; hidden pages are 404s; editors still preview drafts."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.http.frontend_redirect import NOT_FOUND

FRONTEND = "https://guides.example.org"
MARKER = "Secret marker text"


@pytest.fixture
def frontend(settings):
    settings.FRONTEND_BASE_URL = FRONTEND + "/"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")


def assert_plain_404(response, *hidden):
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert body == NOT_FOUND
    for text in (MARKER, *hidden):
        assert text not in body


def test_a_live_guide_redirects_to_the_frontend(client, frontend, hub, make_guide):
    guide = make_guide(summary=MARKER, slug="asking")
    response = client.get(guide.url)
    assert response.status_code == 302
    assert response["Location"] == f"{FRONTEND}/{hub.slug}/asking/"
    assert MARKER not in response.content.decode()


def test_hubs_and_the_home_page_redirect_too(client, frontend, hub, home):
    assert client.get(hub.url)["Location"] == f"{FRONTEND}/{hub.slug}/"
    assert client.get("/")["Location"] == f"{FRONTEND}/"


def test_without_a_frontend_every_page_address_is_a_plain_404(client, settings, make_guide):
    settings.FRONTEND_BASE_URL = ""
    guide = make_guide(summary=MARKER)
    assert_plain_404(client.get(guide.url), guide.title)
    assert_plain_404(client.get("/"))


def test_a_live_guide_never_shows_its_hidden_faqs_or_links(client, frontend, make_guide, make_faq):
    hidden_faq = make_faq("Unpublished FAQ question?", "<p>Hidden answer.</p>", publish=False)
    draft = make_guide("Hidden draft neighbour", publish=False)
    guide = make_guide(
        faqs=[hidden_faq],
        body=[
            {"type": "faqs", "value": {"title": "FAQs", "faqs": [hidden_faq.pk]}},
            {
                "type": "call_to_action",
                "value": {
                    "heading": "See",
                    "text": "",
                    "button_label": "Go",
                    "page": draft.pk,
                    "url": "",
                },
            },
        ],
    )
    response = client.get(guide.url)
    assert response.status_code == 302
    body = response.content.decode()
    for text in ("Unpublished FAQ question?", "Hidden answer.", "Hidden draft neighbour"):
        assert text not in body


def hidden_pages(make_guide, make_hub):
    expired = make_guide(summary=MARKER, slug="expired")
    expired.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    expired.save()  # still live: publish_scheduled has not run yet
    assert expired.live

    draft = make_guide(summary=MARKER, slug="draft", publish=False)

    unpublished = make_guide(summary=MARKER, slug="unpublished")
    unpublished.unpublish()

    with_password = make_guide(summary=MARKER, slug="with-password")
    PageViewRestriction.objects.create(
        page=with_password, restriction_type="password", password="secret"
    )

    staff_hub = make_hub("Staff hub")
    staff_only = make_guide(summary=MARKER, slug="staff-only", parent=staff_hub)
    restriction = PageViewRestriction.objects.create(page=staff_hub, restriction_type="groups")
    restriction.groups.add(Group.objects.create(name="Clinicians"))

    logged_in = make_guide(summary=MARKER, slug="logged-in")
    PageViewRestriction.objects.create(page=logged_in, restriction_type="login")

    return {
        "expired": expired,
        "draft": draft,
        "unpublished": unpublished,
        "password": with_password,
        "group-restricted hub": staff_hub,
        "guide under a group-restricted hub": staff_only,
        "login": logged_in,
    }


def test_hidden_pages_are_plain_404s_never_redirects(client, frontend, make_guide, make_hub):
    for name, page in hidden_pages(make_guide, make_hub).items():
        response = client.get(page.url_path.removeprefix("/home"))
        assert response.status_code == 404, name
        assert_plain_404(response, page.title)


def test_editors_get_no_rendering_of_hidden_pages_either(
    client, frontend, editor, make_guide, make_hub
):
    client.force_login(editor)
    for name, page in hidden_pages(make_guide, make_hub).items():
        response = client.get(page.url_path.removeprefix("/home"))
        assert response.status_code == 404, name
        assert_plain_404(response, page.title)


def test_unknown_addresses_and_wagtails_page_forms_are_404s(client, frontend, make_guide):
    guide = make_guide()
    restriction = PageViewRestriction.objects.create(
        page=guide, restriction_type="password", password="secret"
    )
    for address in (
        "/no-such-hub/",
        f"/_util/authenticate_with_password/{restriction.pk}/{guide.pk}/",
        "/_util/login/",
    ):
        assert_plain_404(client.get(address))
    response = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{guide.pk}/",
        {"password": "secret", "return_url": guide.url},
    )
    assert_plain_404(response, guide.title)


def test_the_django_admin_is_gone(client, editor):
    client.force_login(editor)
    assert client.get("/django-admin/").status_code == 404
    assert client.get("/django-admin/login/").status_code == 404


def test_the_built_in_preview_still_renders_a_draft_for_an_editor(client, editor, make_guide):
    guide = make_guide(title="Never published", publish=False)
    client.force_login(editor)
    form = nested_form_data(
        {
            "title": "Draft title",
            "slug": guide.slug,
            "summary": MARKER,
            "published_date": "2026-04-01",
            "next_review_due": "2027-04-01",
            "category": guide.category.pk,
            "change_type": "minor_edit",
            "change_summary": "",
            "standfirst": "",
            "quick_answer": rich_text(""),
            "key_highlights": streamfield([]),
            "important_facts": streamfield([]),
            "body": streamfield([]),
            "faq_placements": inline_formset([]),
            "related_guide_links": inline_formset([]),
            "references": inline_formset([]),
            "disclaimer": rich_text(""),
        }
    )
    preview_url = f"/admin/pages/{guide.pk}/edit/preview/"
    assert client.post(preview_url, form).json()["is_valid"]
    response = client.get(preview_url, {"mode": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Plain preview for editors" in html and MARKER in html

    # Not for anyone else: the preview sits behind the admin login.
    client.logout()
    response = client.get(preview_url, {"mode": ""})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert MARKER not in response.content.decode()


@pytest.fixture
def document(db):
    return get_document_model().objects.create(
        title="Internal notes", file=ContentFile(b"internal notes", name="notes.txt")
    )


def test_documents_are_not_served_to_the_public(client, document):
    assert_plain_404(client.get(document.url), "internal notes")


def test_editors_can_still_open_documents(client, editor, document):
    client.force_login(editor)
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"internal notes"
