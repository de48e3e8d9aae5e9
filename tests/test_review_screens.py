"""The review screens show what they report: the due-for-review reports'
columns, the reviewer's dashboard (what awaits them, of which type, approving
with a confirmation and a message), the admin's name and who manages the
workflow. Driven through the admin's own views with the migrations' roles."""

import datetime
import json
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState, Workflow

from cms.models import Person
from guides.models import GuidePage
from tests.admin_workflow import action_url, set_review_fields, signed_in

PAGES = "/admin/pages"
FAQS = "/admin/snippets/faqs/faq"
# The reports' results (what the screen shows and its filters refresh).
REPORTS = {
    "guides": "/admin/reports/guides-due-for-review/results/",
    "faqs": "/admin/reports/faqs-due-for-review/results/",
}
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def administrator(django_user_model):
    user = django_user_model.objects.create_user("ada", "ada@example.org", "pw")
    user.groups.add(Group.objects.get(name="Administrators"))
    return user


@pytest.fixture
def make_due(make_guide, make_faq, reviewer):
    """A live guide or FAQ due for review `days` from today, last reviewed by
    the reviewer fixture's person on `reviewed`."""
    person = Person.objects.get(user=reviewer)

    def make_due(kind, title, days, reviewed):
        obj = make_guide(title) if kind == "guides" else make_faq(title)
        set_review_fields(
            obj,
            next_review_due=timezone.localdate() + datetime.timedelta(days=days),
            last_reviewed=reviewed,
            reviewed_by=person.pk,
        )
        return obj

    return make_due


def rows(html):
    """The report table's body rows, as lists of cell texts."""
    table = html[html.index('<table class="listing') :]
    body = table[table.index("<tbody") : table.index("</tbody>")]
    return [
        [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in cells]
        for cells in (
            re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
        )
    ]


@pytest.mark.parametrize("kind", REPORTS)
def test_due_for_review_reports_show_their_columns_sorted_and_filtered_on_screen(
    kind, make_due, reviewer
):
    overdue = make_due(kind, "Overdue item", -3, datetime.date(2024, 5, 1))
    soon = make_due(kind, "Soon item", 20, datetime.date(2025, 6, 2))
    client = signed_in(reviewer)

    html = client.get(REPORTS[kind]).content.decode()
    table = html[html.index('<table class="listing') :]
    headings = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table[: table.index("</thead>")]))
    for heading in ("Next review due", "Status", "Last reviewed", "Reviewed by"):
        assert heading in headings
    listed = rows(html)
    assert [row[0] for row in listed] == [str(overdue), str(soon)]
    assert "Overdue" in listed[0] and "Due soon" in listed[1]
    assert all(any("Dr Lena Hart" in cell for cell in row) for row in listed), listed
    assert any("2024" in cell for cell in listed[0])  # last reviewed, on screen

    # Sortable by the same keys as the export: column headings link to them.
    for key in ("next_review_due", "last_reviewed", "reviewed_by__name"):
        assert f"ordering={key}" in html or f"ordering=-{key}" in html
    newest_first = rows(client.get(REPORTS[kind], {"ordering": "-last_reviewed"}).content.decode())
    assert [row[0] for row in newest_first] == [str(soon), str(overdue)]

    filtered = rows(client.get(REPORTS[kind], {"status": "overdue"}).content.decode())
    assert [row[0] for row in filtered] == [str(overdue)]


def submitted(obj, by):
    obj.save_revision(user=by)
    obj.get_workflow().start(obj, by)
    return type(obj)._default_manager.get(pk=obj.pk)


@pytest.fixture
def in_review(make_guide, make_faq, editor, reviewer):
    """A guide and an FAQ the editor submitted, and a guide the reviewer
    submitted themselves (which they may not approve)."""
    return {
        "guide": submitted(make_guide("Travelling for treatment", publish=False), editor),
        "faq": submitted(make_faq("Can I drive after treatment?", publish=False), editor),
        "own": submitted(make_guide("A guide the reviewer submitted", publish=False), reviewer),
    }


def awaiting_panel(html):
    start = html.index('id="awaiting-review-section"')
    return html[start : html.index("</table>", start)]


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def awaiting_rows(panel):
    """Each listed item: its title, its type and whether it is marked as not
    the reviewer's to approve."""
    return {
        text(title): (kind, "data-approval-refused" in rest)
        for title, rest, kind in re.findall(
            r'<div class="title-wrapper">(.*?)</div>(.*?)</td>\s*<td data-content-type>(.*?)</td>',
            panel,
            re.S,
        )
    }


def test_awaiting_your_review_has_a_type_column_and_counts_only_what_the_reviewer_may_approve(
    in_review, reviewer
):
    html = signed_in(reviewer).get("/admin/").content.decode()
    panel = awaiting_panel(html)
    assert awaiting_rows(panel) == {
        "Travelling for treatment": ("Guide", False),
        "Can I drive after treatment?": ("FAQ", False),
        "A guide the reviewer submitted": ("Guide", True),
    }
    assert "You submitted this guide for review" in panel
    assert re.search(r"<strong>2</strong> items awaiting your review", html)


def test_the_count_and_the_approval_agree(in_review, reviewer):
    """Whatever Wagtail offers this reviewer to moderate is counted as awaiting
    them exactly when the approval itself succeeds."""
    client = signed_in(reviewer)
    rows = awaiting_rows(awaiting_panel(client.get("/admin/").content.decode()))
    assert TaskState.objects.reviewable_by(reviewer).count() == len(rows) == 3
    for obj in in_review.values():
        counted = not rows[str(obj)][1]
        prefix = PAGES if isinstance(obj, GuidePage) else FAQS
        response = client.post(action_url(prefix, obj), {"comment": ""})
        approved = type(obj)._default_manager.get(pk=obj.pk).live
        assert counted is approved, (obj, response.status_code)


@pytest.mark.parametrize("kind", ["guide", "faq"])
def test_approving_from_the_dashboard_confirms_then_says_what_was_published(
    kind, in_review, reviewer
):
    obj = in_review[kind]
    client = signed_in(reviewer)
    task_state = obj.current_workflow_task_state
    approve_url = reverse("guides_approve_from_dashboard", args=[task_state.pk])
    panel = awaiting_panel(client.get("/admin/").content.decode())
    # No one-click approval: every approve button opens the confirmation.
    buttons = re.findall(r"<button data-workflow-action-url=\"([^\"]+)\"([^>]*)>([^<]*)<", panel)
    approves = [b for b in buttons if "approve" in b[0]]
    assert approves and all("data-launch-modal" in attrs for _, attrs, _ in approves)
    assert approve_url in [url for url, _, _ in approves]

    modal = json.loads(client.get(approve_url, **XHR).content)
    noun = "guide" if kind == "guide" else "FAQ"
    assert re.search(
        rf"Approve the {noun} <strong>“{re.escape(str(obj))}”</strong> \((British )?English\)",
        modal["html"],
    ), modal["html"]
    assert f'action="{approve_url}"' in modal["html"]
    assert not type(obj)._default_manager.get(pk=obj.pk).live  # asking approves nothing

    done = json.loads(client.post(approve_url, {"comment": "", "next": "/admin/"}, **XHR).content)
    assert done["step"] == "success"
    assert type(obj)._default_manager.get(pk=obj.pk).live
    shown = [str(m) for m in get_messages(client.get(done["redirect"]).wsgi_request)]
    label = "Guide" if kind == "guide" else "FAQ"
    assert re.search(
        rf"{label} “{re.escape(str(obj))}” \((British )?English\) approved and published\.",
        " ".join(shown),
    ), shown


def test_the_dashboard_refuses_to_approve_the_reviewers_own_work(in_review, reviewer):
    own = in_review["own"]
    url = reverse("guides_approve_from_dashboard", args=[own.current_workflow_task_state.pk])
    response = signed_in(reviewer).post(url, {"comment": ""}, follow=True)
    assert not GuidePage.objects.get(pk=own.pk).live
    assert "approved and published" not in response.content.decode()


@pytest.mark.parametrize("role", ["editor", "reviewer", "administrator"])
def test_the_admin_is_named_after_the_product_for_every_role(request, role):
    response = signed_in(request.getfixturevalue(role)).get("/admin/")
    assert response.context["site_name"] == settings.WAGTAIL_SITE_NAME
    assert "localhost" not in response.content.decode()


def test_administrators_manage_the_clinical_review_workflow(administrator):
    client = signed_in(administrator)
    workflow = Workflow.objects.get(name="Clinical review")
    assert client.get("/admin/workflows/list/").status_code == 200
    assert client.get(f"/admin/workflows/edit/{workflow.pk}/").status_code == 200
    assert client.get("/admin/workflows/tasks/index/").status_code == 200
    assert administrator.has_perms(["wagtailcore.change_workflow", "wagtailcore.change_task"])


def test_editors_and_reviewers_do_not_manage_workflows(editor, reviewer):
    for user in (editor, reviewer):
        assert signed_in(user).get("/admin/workflows/list/").status_code in (302, 403)
