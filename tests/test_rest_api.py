"""Wagtail's REST API at /api/v2/ serves what GraphQL serves and nothing more:
live, public, unexpired pages only, by listing, id, detail URL and `find`."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from faqs.models import FAQ
from tests.admin_workflow import publish_reviewed


@pytest.fixture
def api(db):
    return Client()


def listed(api, **params):
    response = api.get("/api/v2/pages/", {"type": "guides.GuidePage", **params})
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def test_guide_list(api, make_guide):
    make_guide("Asking for a second opinion", slug="second-opinion")
    make_guide("Travelling for treatment", slug="travel")
    response = api.get("/api/v2/pages/", {"type": "guides.GuidePage", "fields": "summary"})
    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["total_count"] == 2
    assert sorted(item["title"] for item in body["items"]) == [
        "Asking for a second opinion",
        "Travelling for treatment",
    ]
    assert body["items"][0]["summary"] == "What this guide covers, in a sentence."


def test_guide_detail_has_the_fields_a_frontend_needs(api, make_guide, make_faq, taxonomy):
    answer = make_faq("Can I bring someone?", "<p>Yes, <b>always</b>.</p>")
    hidden = make_faq("Unreviewed?", publish=False)
    draft = make_guide("Draft neighbour", slug="draft-neighbour", publish=False)
    linked = make_guide("Records", slug="records")
    guide = make_guide(
        "Asking for a second opinion",
        slug="second-opinion",
        standfirst="What to ask.",
        key_highlights='[{"type": "highlight", "value": "You have the right to ask."}]',
        quick_answer=f'<p>Yes. See <a linktype="page" id="{linked.pk}">records</a>.</p>',
        body=[
            {
                "type": "paragraph",
                "value": f'<p>Read <a linktype="page" id="{draft.pk}">this</a>.</p>',
            }
        ],
        faqs=[answer, hidden],
        related=[linked, draft],
    )
    guide.cancer_types.set([taxonomy["lymphoma"]])
    publish_reviewed(guide)

    response = api.get(f"/api/v2/pages/{guide.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Asking for a second opinion"
    assert data["standfirst"] == "What to ask."
    assert data["category"] == {"name": "Decision Guide", "slug": "decision-guide"}
    assert data["cancer_types"] == [{"name": "Lymphoma", "slug": "lymphoma"}]
    assert data["key_highlights"] == ["You have the right to ask."]
    assert 'href="/' in data["quick_answer"] and "linktype" not in data["quick_answer"]
    # A link to a draft keeps its text but not its address.
    assert data["body"][0]["type"] == "paragraph"
    assert data["body"][0]["value"] == "<p>Read <a>this</a>.</p>"
    assert [faq["question"] for faq in data["faqs"]] == ["Can I bring someone?"]
    assert data["faqs"][0]["answer"] == "<p>Yes, <b>always</b>.</p>"
    assert [g["title"] for g in data["related_guides"]] == ["Records"]
    assert data["meta"]["type"] == "guides.GuidePage"
    assert FAQ.objects.filter(live=False).count() == 1


def draft(make_guide):
    return make_guide("Unreviewed draft", slug="draft", publish=False)


def private(make_guide):
    guide = make_guide("Staff only", slug="private")
    restriction = PageViewRestriction.objects.create(
        page=guide, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get_or_create(name="Staff")[0]])
    return guide


def password(make_guide):
    guide = make_guide("Password protected", slug="password")
    PageViewRestriction.objects.create(
        page=guide, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    return guide


def expired(make_guide):
    guide = make_guide("Out of date", slug="expired")
    guide.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    guide.save()
    return guide


def site_path(page):
    """The page's path below the site's root page, as `html_path` takes it."""
    return "/" + page.url_path.split("/", 2)[2]


@pytest.mark.parametrize("make_hidden", [draft, private, password, expired])
def test_hidden_guides_are_unreachable(api, make_guide, make_hidden):
    published = make_guide("Published", slug="published")
    hidden = make_hidden(make_guide)

    assert listed(api) == ["Published"]
    assert api.get("/api/v2/pages/", {"id": published.pk}).json()["items"] != []
    assert api.get("/api/v2/pages/", {"id": hidden.pk}).json()["items"] == []
    assert api.get(f"/api/v2/pages/{published.pk}/").status_code == 200
    assert api.get(f"/api/v2/pages/{hidden.pk}/").status_code == 404
    assert api.get("/api/v2/pages/find/", {"id": published.pk}).status_code == 302
    assert api.get("/api/v2/pages/find/", {"id": hidden.pk}).status_code == 404
    assert api.get("/api/v2/pages/find/", {"html_path": site_path(published)}).status_code == 302
    assert api.get("/api/v2/pages/find/", {"html_path": site_path(hidden)}).status_code == 404
    assert api.get("/api/v2/pages/", {"descendant_of": hidden.pk}).status_code == 400


def test_children_of_an_expired_hub_are_not_listed(api, make_hub, make_guide):
    hub = make_hub("Old hub", slug="old-hub")
    make_guide("Under an expired hub", parent=hub)
    hub.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    hub.save()
    assert api.get(f"/api/v2/pages/{hub.pk}/").status_code == 404
    assert api.get("/api/v2/pages/", {"child_of": hub.pk}).status_code == 400


def test_search_is_left_to_graphql(api, make_guide):
    make_guide("Published", slug="published")
    response = api.get("/api/v2/pages/", {"search": "Published"})
    assert response.status_code == 400


def test_ping_answers_without_the_database(api, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = api.get("/api/ping/")
    assert response.status_code == 200
    assert response.json() == {"ok": True}


def test_openapi_description_names_every_parameter_the_api_accepts():
    """docs/rest-openapi.yaml, which .ci/rest_fuzz.py fuzzes from, keeps up with the views."""
    from pathlib import Path

    import yaml

    from cms.rest.views import VisiblePagesAPIViewSet

    spec = yaml.safe_load((Path(__file__).parent.parent / "docs/rest-openapi.yaml").read_text())
    listing = spec["paths"]["/api/v2/pages/"]["get"]["parameters"]
    components = spec["components"]["parameters"]
    names = {
        components[p["$ref"].rsplit("/", 1)[1]]["name"] if "$ref" in p else p["name"]
        for p in listing
    }
    accepted = VisiblePagesAPIViewSet.known_query_parameters - {"format", "_"}
    assert accepted <= names, accepted - names
    assert "search" not in names
    assert set(spec["paths"]) == {
        "/api/ping/",
        "/api/v2/pages/",
        "/api/v2/pages/{id}/",
        "/api/v2/pages/find/",
    }


def test_client_errors_are_json_messages(api):
    for path in ("/api/v2/pages/?offset=abc", "/api/v2/pages/999999/", "/api/v2/nope/"):
        response = api.get(path, HTTP_ACCEPT="text/html")
        assert 400 <= response.status_code < 500, path
        assert response["Content-Type"] == "application/json", path
        assert response.json()["message"], path
    response = api.put("/api/v2/pages/")
    assert response.status_code == 405
    assert response.json() == {"message": 'Method "PUT" not allowed.'}
