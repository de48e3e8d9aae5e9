"""The Clinical review workflow and the public change log, driven through the
admin's own views as editors and reviewers use them."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Workflow
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import Person, add_months
from guides.models import ChangeType, GuideChange, GuidePage
from tests.admin_workflow import action_url, publish_reviewed, signed_in, submit
from tests.admin_workflow import approve as approve_in_admin

User = get_user_model()


admin_client = signed_in


def guide_form(category, author, **overrides):
    data = {
        "title": "Asking for a second opinion",
        "slug": "second-opinion-guide",
        "standfirst": "",
        "summary": "How to ask for a second opinion.",
        "quick_answer": rich_text("<p>Ask your team.</p>"),
        "published_date": "2026-04-01",
        "next_review_due": "2027-04-01",
        "author": author.pk if author else "",
        "category": category.pk,
        "change_type": ChangeType.MINOR_EDIT,
        "change_summary": "",
        "key_highlights": streamfield([("highlight", "It is normal to ask.")]),
        "important_facts": streamfield([("fact", "You can ask for your records.")]),
        "body": streamfield([]),
        "faq_placements": inline_formset([]),
        "related_guide_links": inline_formset([]),
        "references": inline_formset([]),
        "disclaimer": rich_text(""),
    }
    data.update(overrides)
    return nested_form_data(data)


def submit_new_guide(client, hub, category, author, **overrides):
    data = guide_form(category, author, **overrides)
    submit(client, f"/admin/pages/add/guides/guidepage/{hub.pk}/", data)
    return GuidePage.objects.get(slug=data["slug"])


def approve(client, guide):
    return approve_in_admin(client, "/admin/pages", guide)


def test_guides_go_through_the_clinical_review_workflow(make_guide):
    guide = make_guide()
    workflow = guide.get_workflow()
    assert workflow == Workflow.objects.get(name="Clinical review")
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Clinical reviewers"]


def test_reviewer_approval_publishes_and_records_the_review(
    hub, category, author, editor, reviewer, graphql
):
    guide = submit_new_guide(admin_client(editor), hub, category, author)
    assert not guide.live
    assert guide.current_workflow_state.status == "in_progress"

    response = approve(admin_client(reviewer), guide)

    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.live
    assert guide.last_reviewed == timezone.localdate()
    assert guide.reviewed_by == reviewer.person
    data = graphql.data(
        '{ guide(slug: "second-opinion-guide") { lastReviewed reviewedBy { name credentials } '
        "changeLog { type date summary } } }"
    )
    assert data["guide"]["lastReviewed"] == timezone.localdate().isoformat()
    assert data["guide"]["reviewedBy"] == {"name": "Dr Lena Hart", "credentials": "MD"}
    assert data["guide"]["changeLog"] == [
        {"type": "NEW", "date": timezone.localdate().isoformat(), "summary": ""}
    ]


def test_an_ordinary_edit_cannot_change_the_review_fields(make_guide, author, reviewer):
    earlier = datetime.date(2026, 1, 5)
    guide = make_guide(author=author, reviewed_by=reviewer.person, last_reviewed=earlier)
    superuser = User.objects.create_superuser("admin", "admin@example.org", "pw")
    someone_else = Person.objects.create(name="Sam Reed")
    data = guide_form(
        guide.category,
        author,
        slug=guide.slug,
        title="Retitled",
        last_reviewed="2026-11-01",
        reviewed_by=someone_else.pk,
    )
    data["action-publish"] = "Publish"

    response = admin_client(superuser).post(f"/admin/pages/{guide.pk}/edit/", data)

    assert response.status_code == 302
    guide.refresh_from_db()
    # Saved as a draft (nobody publishes a guide directly), without the review fields.
    assert guide.title != "Retitled"
    draft = guide.get_latest_revision_as_object()
    assert draft.title == "Retitled"
    assert draft.last_reviewed == earlier
    assert draft.reviewed_by == reviewer.person


def test_a_reviewer_without_a_linked_person_is_told_why_they_cannot_approve(
    hub, category, author, editor
):
    unlinked = User.objects.create_user("sam", "sam@example.org", "pw")
    unlinked.groups.add(Group.objects.get(name="Clinical reviewers"))
    guide = submit_new_guide(admin_client(editor), hub, category, author)
    client = admin_client(unlinked)
    task_state = guide.current_workflow_task_state

    modal = client.get(f"/admin/pages/workflow/action/{guide.pk}/approve/{task_state.pk}/")
    assert "not linked to a person" in modal.json()["html"]
    # A crafted POST is refused too (the admin answers refusals with a redirect).
    assert approve(client, guide)["Location"] == "/admin/"

    guide.refresh_from_db()
    assert not guide.live
    assert guide.last_reviewed is None


def test_the_author_cannot_approve_their_own_guide(hub, category, editor):
    reviewer_author = User.objects.create_user("kim", "kim@example.org", "pw")
    reviewer_author.groups.add(Group.objects.get(name="Clinical reviewers"))
    writer = Person.objects.create(name="Dr Kim Lee", user=reviewer_author)
    guide = submit_new_guide(admin_client(editor), hub, category, writer)

    response = admin_client(reviewer_author).get(
        f"/admin/pages/workflow/action/{guide.pk}/approve/{guide.current_workflow_task_state.pk}/"
    )

    assert "You wrote this guide" in response.json()["html"]
    assert approve(admin_client(reviewer_author), guide)["Location"] == "/admin/"
    assert not GuidePage.objects.get(pk=guide.pk).live


def test_whoever_submitted_a_guide_cannot_approve_it_even_with_no_author(hub, category, reviewer):
    # The gap this closes: Author left blank, so the author rule did not apply.
    reviewer.groups.add(Group.objects.get(name="Editors"))
    guide = submit_new_guide(admin_client(reviewer), hub, category, author=None)
    client = admin_client(reviewer)

    modal = client.get(action_url("/admin/pages", guide))

    assert "You submitted this guide for review" in modal.json()["html"]
    assert approve(client, guide)["Location"] == "/admin/"
    guide = GuidePage.objects.get(pk=guide.pk)
    assert not guide.live
    assert guide.reviewed_by is None


def test_approval_starts_a_new_review_cycle_when_the_old_due_date_has_passed(
    hub, category, author, editor, reviewer
):
    guide = submit_new_guide(
        admin_client(editor), hub, category, author, next_review_due="2020-01-01"
    )
    approve(admin_client(reviewer), guide)
    guide.refresh_from_db()
    assert guide.next_review_due == add_months(timezone.localdate(), 12)


def test_every_publish_adds_a_change_log_entry_newest_first(make_guide, graphql):
    guide = make_guide()
    guide.change_type = ChangeType.CLINICAL_UPDATE
    guide.change_summary = "Updated the waiting times."
    publish_reviewed(guide)

    entries = list(GuideChange.objects.filter(guide=guide))
    assert [(e.change_type, e.summary) for e in entries] == [
        ("clinical_update", "Updated the waiting times."),
        ("new", ""),
    ]
    data = graphql.data(f"{{ guide(id: {guide.pk}) {{ changeLog {{ type summary }} }} }}")
    assert data["guide"]["changeLog"] == [
        {"type": "CLINICAL_UPDATE", "summary": "Updated the waiting times."},
        {"type": "NEW", "summary": ""},
    ]


def test_a_clinical_change_needs_a_public_summary(make_guide):
    guide = make_guide()
    superuser = User.objects.create_superuser("admin", "admin@example.org", "pw")
    data = guide_form(
        guide.category,
        Person.objects.create(name="Jo"),
        slug=guide.slug,
        change_type=ChangeType.FULL_REVIEW,
    )
    data["action-publish"] = "Publish"

    response = admin_client(superuser).post(f"/admin/pages/{guide.pk}/edit/", data)

    assert response.status_code == 200
    assert response.context["form"].errors["change_summary"] == [
        "Say in one sentence what changed: readers see it in the guide's change log."
    ]
    assert GuideChange.objects.filter(guide=guide).count() == 1


def test_the_next_edit_starts_with_an_empty_change_summary(make_guide):
    guide = make_guide()
    guide.change_type = ChangeType.CLINICAL_UPDATE
    guide.change_summary = "Updated the waiting times."
    publish_reviewed(guide)
    superuser = User.objects.create_superuser("admin", "admin@example.org", "pw")

    form = admin_client(superuser).get(f"/admin/pages/{guide.pk}/edit/").context["form"]

    assert form.initial["change_summary"] == ""
    assert form.initial["change_type"] == ChangeType.MINOR_EDIT
