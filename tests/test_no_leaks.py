"""Nothing a patient should not read leaves through the API: drafts,
never-published pages, restricted pages, expired pages, unpublished FAQs and
unpublished edits of live content."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

LIST = "{ guides { items { title } pagination { total } } }"


def listed_titles(graphql):
    return [g["title"] for g in graphql.data(LIST)["guides"]["items"]]


def test_never_published_guide_is_invisible(graphql, make_guide):
    draft = make_guide("Unreviewed draft", slug="draft", publish=False)
    assert listed_titles(graphql) == []
    assert graphql.data('{ guide(slug: "draft") { title } }')["guide"] is None
    assert graphql.data(f'{{ guide(id: "{draft.pk}") {{ title }} }}')["guide"] is None
    assert graphql.data(f'{{ page(id: "{draft.pk}") {{ title }} }}')["page"] is None


def test_unpublished_guide_disappears(graphql, make_guide):
    guide = make_guide("Withdrawn", slug="withdrawn")
    assert listed_titles(graphql) == ["Withdrawn"]
    guide.unpublish()
    assert listed_titles(graphql) == []
    assert graphql.data('{ guide(slug: "withdrawn") { title } }')["guide"] is None


def test_pending_revision_does_not_change_what_is_served(graphql, make_guide):
    guide = make_guide("Approved title", slug="pending", summary="Approved summary.")
    guide.title = "Unapproved title"
    guide.summary = "Unapproved summary."
    guide.save_revision()  # saved as a draft, not published

    data = graphql.data('{ guide(slug: "pending") { title summary seoTitle } }')
    assert data["guide"] == {
        "title": "Approved title",
        "summary": "Approved summary.",
        "seoTitle": "Approved title",
    }
    assert listed_titles(graphql) == ["Approved title"]


def test_revision_fields_are_not_in_the_schema(graphql, make_guide):
    make_guide(slug="fields")
    for field in (
        "draftTitle",
        "latestRevisionCreatedAt",
        "hasUnpublishedChanges",
        "aliasOf",
        "owner",
    ):
        status, body = graphql.post(f'{{ guide(slug: "fields") {{ {field} }} }}')
        assert status == 400, field
        assert f"Cannot query field '{field}'" in body["errors"][0]["message"]


def test_password_restricted_guide_is_invisible(graphql, make_guide):
    guide = make_guide("Behind a password", slug="password")
    PageViewRestriction.objects.create(page=guide, restriction_type="password", password="secret")
    assert listed_titles(graphql) == []
    assert graphql.data('{ guide(slug: "password") { title } }')["guide"] is None


def test_group_restricted_hub_hides_its_guides(graphql, hub, make_guide):
    make_guide("Staff only", slug="staff")
    restriction = PageViewRestriction.objects.create(page=hub, restriction_type="groups")
    restriction.groups.add(Group.objects.create(name="Clinicians"))
    assert listed_titles(graphql) == []
    assert graphql.data('{ guide(slug: "staff") { title } }')["guide"] is None
    assert graphql.data("{ hubs { title } }")["hubs"] == []


def test_expired_guide_is_invisible_before_the_scheduler_runs(graphql, make_guide):
    guide = make_guide("Expired", slug="expired")
    guide.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    guide.save()  # still live: publish_scheduled has not run yet
    assert guide.live
    assert listed_titles(graphql) == []
    assert graphql.data('{ guide(slug: "expired") { title } }')["guide"] is None


def test_related_guides_and_links_skip_drafts(graphql, make_guide):
    draft = make_guide("Draft neighbour", publish=False)
    make_guide(
        "Visible",
        slug="visible",
        related=[draft],
        body=[
            {
                "type": "call_to_action",
                "value": {
                    "heading": "See",
                    "text": "",
                    "button_label": "Go",
                    "page": draft.pk,
                    "external_url": "",
                },
            }
        ],
    )
    data = graphql.data(
        '{ guide(slug: "visible") { relatedGuides { title } '
        "body { ... on CallToActionBlock { url } } } }"
    )["guide"]
    assert data["relatedGuides"] == []
    assert data["body"] == [{"url": None}]


def test_a_guide_under_a_draft_hub_is_hidden(graphql, make_hub, make_guide):
    hub = make_hub("Unpublished hub", publish=False)
    make_guide("Orphan", slug="orphan", parent=hub)
    assert graphql.data('{ guide(slug: "orphan") { title hub { title } } }') == {"guide": None}


def test_unpublished_faqs_are_invisible(graphql, make_guide, make_faq):
    live = make_faq("Published question?")
    hidden = make_faq("Unpublished question?", publish=False)
    make_guide(
        slug="with-faqs",
        faqs=[live, hidden],
        body=[{"type": "faqs", "value": {"title": "FAQs", "faqs": [live.pk, hidden.pk]}}],
    )

    guide = graphql.data(
        '{ guide(slug: "with-faqs") { faqs { question } '
        "body { ... on FAQsBlock { faqs { question } } } } }"
    )["guide"]
    assert guide["faqs"] == [{"question": "Published question?"}]
    assert guide["body"] == [{"faqs": [{"question": "Published question?"}]}]
    assert graphql.data(f'{{ faq(id: "{hidden.pk}") {{ question }} }}')["faq"] is None
    listed = graphql.data("{ faqs { items { question } } faqTopics { faqs { question } } }")
    assert listed["faqs"]["items"] == [{"question": "Published question?"}]
    assert listed["faqTopics"] == [{"faqs": [{"question": "Published question?"}]}]


def test_draft_edit_of_a_live_faq_is_not_served(graphql, make_faq):
    faq = make_faq("Original question?", "<p>Original answer.</p>")
    faq.answer = "<p>Unreviewed answer.</p>"
    faq.save_revision()
    faq.refresh_from_db()
    data = graphql.data(f'{{ faq(id: "{faq.pk}") {{ answer }} }}')
    assert data["faq"]["answer"] == "<p>Original answer.</p>"


def test_root_search_is_ours_not_grapples(graphql):
    data = graphql.data('{ __type(name: "Query") { fields { name type { name } } } }')
    fields = {f["name"]: f["type"]["name"] for f in data["__type"]["fields"]}
    assert fields["search"] == "SearchResults"


@pytest.mark.parametrize("root_field", ["snippets", "pages", "settings", "documents", "images"])
def test_unsafe_grapple_root_fields_are_not_exposed(graphql, root_field):
    status, body = graphql.post(f"{{ {root_field} {{ __typename }} }}")
    assert status == 400
    assert f"Cannot query field '{root_field}'" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    "field",
    ["parent", "children", "siblings", "descendants", "ancestors", "depth", "live", "contentType"],
)
def test_page_tree_and_cms_fields_are_not_offered(graphql, make_guide, field):
    make_guide(slug="probe")
    status, body = graphql.post(f'{{ guide(slug: "probe") {{ {field} }} }}')
    assert status == 400
    assert f"Cannot query field '{field}'" in body["errors"][0]["message"]


def test_rich_text_links_to_unpublished_pages_lose_their_address(graphql, make_guide):
    draft = make_guide("Unreleased guide", slug="unreleased", publish=False)
    live = make_guide("Released guide", slug="released")
    make_guide(
        slug="linking",
        quick_answer=(
            f'<p><a linktype="page" id="{draft.pk}">Soon</a> and '
            f'<a linktype="page" id="{live.pk}">now</a>.</p>'
        ),
        body=[
            {"type": "paragraph", "value": f'<p><a linktype="page" id="{draft.pk}">Soon</a></p>'}
        ],
    )
    data = graphql.data(
        '{ guide(slug: "linking") { quickAnswer body { ... on ParagraphBlock { value } } } }'
    )
    guide = data["guide"]
    assert guide["quickAnswer"] == f'<p><a>Soon</a> and <a href="{live.url}">now</a>.</p>'
    assert guide["body"] == [{"value": "<p><a>Soon</a></p>"}]
    assert "unreleased" not in str(data)
