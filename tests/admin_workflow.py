"""Driving the Clinical review workflow through the admin's own views, for
guides (pages) and FAQs (snippets) alike."""

from django.test import Client


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def submit(client, add_url, data):
    """POST a new object's form with "Submit to Clinical review"; fails on form errors."""
    data["action-submit"] = "Submit to Clinical review"
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["form"].errors


def action_url(admin_prefix, obj):
    """The approve modal's address; `admin_prefix` is "/admin/pages" or a snippet's."""
    task_state = obj.current_workflow_task_state
    return f"{admin_prefix}/workflow/action/{obj.pk}/approve/{task_state.pk}/"


def approve(client, admin_prefix, obj):
    return client.post(action_url(admin_prefix, obj), {"comment": ""})


# Publishing in tests goes through the same gate as everywhere else: a real
# Clinical review, submitted by one account and approved by another.

REVIEW_FIELDS = ("reviewed_by", "last_reviewed", "next_review_due")


def fixture_accounts():
    """A writer who submits and a linked clinical reviewer who approves."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms.models import Person

    User = get_user_model()
    writer, _ = User.objects.get_or_create(username="fixture-writer")
    reviewer, created = User.objects.get_or_create(username="fixture-reviewer")
    if created:
        reviewer.groups.add(Group.objects.get(name="Clinical reviewers"))
        Person.objects.create(name="Fixture reviewer", user=reviewer)
    return writer, reviewer


def publish_reviewed(obj, keep_review_fields=True):
    """Save `obj` as a revision and publish it by approving its clinical review
    (guides.clinical_review.submit_and_approve). With `keep_review_fields`, the
    reviewer and dates are then set back to what `obj` says, so a test's content
    shows the review history it asked for."""
    from cms.models import ClinicallyReviewed
    from guides.clinical_review import submit_and_approve

    if not isinstance(obj, ClinicallyReviewed):  # a hub or other page publishes directly
        obj.save_revision().publish()
        return obj
    writer, reviewer = fixture_accounts()
    review = {
        name: getattr(obj, f"{name}_id" if name == "reviewed_by" else name)
        for name in REVIEW_FIELDS
    }
    from django.core import mail

    sent = len(getattr(mail, "outbox", []))
    obj.save_revision(user=writer)
    submit_and_approve(obj, writer, reviewer)
    # The workflow's own notifications ("submitted", "approved") are not what
    # a test of something else reads in the outbox.
    if hasattr(mail, "outbox"):
        del mail.outbox[sent:]
    if keep_review_fields:
        set_review_fields(obj, **review)
    obj.refresh_from_db()
    return obj


def set_review_fields(obj, **fields):
    """Test data: record a review history on the row and its live revision."""
    model = type(obj)
    columns = {f"{name}_id" if name == "reviewed_by" else name: v for name, v in fields.items()}
    model._default_manager.filter(pk=obj.pk).update(**columns)
    revision = model._default_manager.get(pk=obj.pk).live_revision
    if revision is not None:
        content = revision.content
        for name, value in fields.items():
            content[name] = value.isoformat() if hasattr(value, "isoformat") else value
        revision.save(update_fields=["content"])
