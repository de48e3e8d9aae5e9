"""Headless preview: the admin hands the web or mobile app a token, and the
app reads the unpublished draft with guide(token:) or page(token:)."""

import re
import time
from html import unescape
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

DRAFT_QUERY = """
query Draft($token: String!) {
  guide(token: $token) { title summary keyHighlights faqs { question } lastReviewed }
}
"""


@pytest.fixture
def client_urls(settings):
    settings.HEADLESS_PREVIEW_WEB_URL = "https://guides.example.org/api/preview"
    settings.HEADLESS_PREVIEW_MOBILE_URL = "https://app-preview.example.org/guide"


def draft_token(guide, **changes):
    for name, value in changes.items():
        setattr(guide, name, value)
    return guide.create_page_preview().token


def test_the_admin_preview_hands_the_web_and_mobile_apps_a_token(
    client, client_urls, make_guide, graphql
):
    guide = make_guide(title="Published title")
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "pw"))
    form = nested_form_data(
        {
            "title": "Draft title",
            "slug": guide.slug,
            "summary": "A summary still being written.",
            "published_date": "2026-04-01",
            "next_review_due": "2027-04-01",
            "category": guide.category.pk,
            "change_type": "minor_edit",
            "change_summary": "",
            "standfirst": "",
            "quick_answer": rich_text(""),
            "key_highlights": streamfield([("highlight", "A new point.")]),
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

    for mode, address in (
        ("web", "https://guides.example.org/api/preview"),
        ("mobile", "https://app-preview.example.org/guide"),
    ):
        iframe = client.get(preview_url, {"mode": mode}).content.decode()
        src = unescape(re.search(r'<iframe src="([^"]+)"', iframe).group(1))
        assert src.split("?")[0] == address
        params = parse_qs(urlsplit(src).query)
        assert params["content_type"] == ["guides.guidepage"]

        data = graphql.data(DRAFT_QUERY, {"token": params["token"][0]})
        assert data["guide"]["title"] == "Draft title"
        assert data["guide"]["keyHighlights"] == ["A new point."]

    # The live guide is unchanged for everyone else.
    live = graphql.data(f'{{ guide(slug: "{guide.slug}") {{ title }} }}')
    assert live["guide"]["title"] == "Published title"


def test_the_built_in_preview_stays_available_without_client_urls(client, make_guide, settings):
    settings.HEADLESS_PREVIEW_WEB_URL = settings.HEADLESS_PREVIEW_MOBILE_URL = ""
    guide = make_guide()
    assert guide.preview_modes == [("", "Built-in preview")]


def test_a_draft_of_an_unpublished_guide_is_readable_with_its_token(make_guide, make_faq, graphql):
    faq = make_faq(question="Can I bring someone?")
    guide = make_guide(title="Never published", publish=False, faqs=[faq])
    token = draft_token(guide, summary="Draft summary")

    data = graphql.data(DRAFT_QUERY, {"token": token})

    assert data["guide"]["title"] == "Never published"
    assert data["guide"]["summary"] == "Draft summary"
    assert data["guide"]["faqs"] == [{"question": "Can I bring someone?"}]
    # ...and not without it.
    assert graphql.data(f"{{ guide(id: {guide.pk}) {{ title }} }}")["guide"] is None


def test_page_token_returns_any_page_type(make_hub, graphql):
    hub = make_hub(title="Second opinions")
    token = draft_token(hub, title="Second opinions, renamed")

    data = graphql.data(
        "query($t: String!) { page(token: $t) { title ... on GuideIndexPage { intro } } }",
        {"t": token},
    )
    assert data["page"]["title"] == "Second opinions, renamed"


def errors_of(graphql, token, query=DRAFT_QUERY):
    status, body = graphql.post(query, {"token": token})
    assert status == 200
    assert body["data"]["guide"] is None
    return [(error["message"], error["extensions"]["code"]) for error in body["errors"]]


def test_a_forged_token_is_a_clear_error(make_guide, graphql):
    guide = make_guide()
    real = draft_token(guide)
    forged = real[:-4] + ("AAAA" if not real.endswith("AAAA") else "BBBB")

    assert errors_of(graphql, forged) == [
        ("This preview token is not valid.", "PREVIEW_TOKEN_INVALID")
    ]
    assert errors_of(graphql, "not-a-token") == [
        ("This preview token is not valid.", "PREVIEW_TOKEN_INVALID")
    ]


def test_tokens_expire_after_the_configured_age(make_guide, graphql, settings):
    settings.HEADLESS_PREVIEW_TOKEN_MAX_AGE = 3600
    token = draft_token(make_guide(), title="Draft")
    issued = time.time()

    with mock.patch("time.time", return_value=issued + 3590):
        assert graphql.data(DRAFT_QUERY, {"token": token})["guide"]["title"] == "Draft"
    with mock.patch("time.time", return_value=issued + 3610):
        assert errors_of(graphql, token) == [
            (
                "This preview token has expired: open the preview from the admin again.",
                "PREVIEW_TOKEN_EXPIRED",
            )
        ]


def test_a_token_for_another_page_type_is_refused_by_guide(make_hub, graphql):
    token = draft_token(make_hub())
    assert errors_of(graphql, token) == [
        ("This preview token is for a guide hub, not a guide.", "PREVIEW_TOKEN_INVALID")
    ]


def test_a_token_is_used_alone(make_guide, graphql):
    guide = make_guide()
    status, body = graphql.post(
        f'query($token: String!) {{ guide(token: $token, slug: "{guide.slug}") {{ title }} }}',
        {"token": draft_token(guide)},
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_a_draft_body_with_images_and_links_is_served(make_guide, image, graphql):
    linked = make_guide(title="Preparing your records")
    guide = make_guide()
    body = [
        {
            "type": "paragraph",
            "value": f'<p>See <a linktype="page" id="{linked.pk}">records</a>.</p>',
        },
        {"type": "image", "value": {"image": image.pk, "alt_text": "Waiting room", "caption": ""}},
    ]
    token = draft_token(guide, body=body)

    data = graphql.data(
        """query($token: String!) { guide(token: $token) { body {
            kind
            ... on ParagraphBlock { value }
            ... on ImageBlock { image { rendition(width: 320) { width } } }
        } } }""",
        {"token": token},
    )

    paragraph, picture = data["guide"]["body"]
    assert paragraph["value"] == f'<p>See <a href="{linked.url}">records</a>.</p>'
    assert picture["image"]["rendition"]["width"] == 320


def test_preview_answers_are_never_cached(client, make_guide):
    guide = make_guide(title="Published title")
    token = draft_token(guide, title="First draft")
    payload = {"query": DRAFT_QUERY, "variables": {"token": token}}

    first = client.post("/graphql/", payload, content_type="application/json")
    assert first["Cache-Control"] == "private, no-store" and not first.has_header("ETag")

    # The editor keeps typing; the same token now shows the newer draft.
    guide.title = "Second draft"
    guide.update_page_preview(token)
    second = client.post("/graphql/", payload, content_type="application/json")
    assert second.json()["data"]["guide"]["title"] == "Second draft"
