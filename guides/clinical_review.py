"""The Clinical review workflow task and its effect on a guide or FAQ: approving it
records who reviewed it and when, and is the only thing that makes it live
(cms.publishing.clinical). Nothing else sets the review fields (see
GUIDE_REVIEW_PANELS and ClinicallyReviewed.review_panels).

Four eyes on the words: nobody approves a revision containing text they wrote,
as its author, its submitter, or anyone who saved a revision of it since its
last approval. A reviewer may correct the wording; another reviewer then
approves it."""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils import timezone
from wagtail.models import AbstractGroupApprovalTask, Revision

from cms.models import ClinicallyReviewed, Person, add_months
from cms.publishing.clinical import ApprovesClinicalContent, approved_revision_id


class ApprovalRefused(PermissionDenied):
    """This reviewer may not approve this content; the message says why."""


def _reviewer(user):
    # Asked once per row of the dashboard's review list: remember it on the user.
    if not hasattr(user, "_clinical_reviewer"):
        user._clinical_reviewer = (
            Person.objects.filter(user_id=user.pk).first() if user.is_authenticated else None
        )
    return user._clinical_reviewer


def approval_refusal(obj, user):
    """Why `user` cannot approve a clinical review of `obj`, or None if they can."""
    obj = obj.specific if hasattr(obj, "specific") else obj
    if not isinstance(obj, ClinicallyReviewed):
        return None  # a hub or other page: an ordinary approval
    reviewer = _reviewer(user)
    if reviewer is None:
        return (
            "Your account is not linked to a person in Snippets › People, so the review "
            "cannot be recorded under your name. Ask an administrator to link your account "
            "to your entry (the 'admin account' field)."
        )
    noun = obj._meta.verbose_name
    # The author of the draft under review, read from the revision without
    # building the whole page.
    if obj.get_latest_revision().content.get("author") == reviewer.pk:
        return f"You wrote this {noun}: another clinician must review it."
    # Whoever asked for the review cannot sign it off, author or not.
    state = obj.current_workflow_state
    if state is not None and state.requested_by_id == user.pk:
        return f"You submitted this {noun} for review: another clinician must approve it."
    # Nor can anyone whose words are in it: whoever saved a revision since
    # the last approval, a reviewer correcting the wording included.
    if _edited_since_last_approval(obj, user):
        return (
            f"You changed this {noun} since its last clinical review: another clinician "
            "must approve your wording."
        )
    return None


def _edited_since_last_approval(obj, user):
    revisions = Revision.objects.filter(
        base_content_type=obj.get_base_content_type(), object_id=str(obj.pk), user_id=user.pk
    )
    last_approved = approved_revision_id(obj)
    if last_approved is not None:
        revisions = revisions.filter(pk__gt=last_approved)
    return revisions.exists()


def record_review(obj, user, today=None):
    """Record `user`'s approval as the last clinical review, in the revision
    the workflow is about to publish (its latest), and return that revision."""
    obj = obj.specific if hasattr(obj, "specific") else obj
    if not isinstance(obj, ClinicallyReviewed):
        return None
    refusal = approval_refusal(obj, user)
    if refusal:
        raise ApprovalRefused(refusal)
    today = today or timezone.localdate()
    revision = obj.get_latest_revision()
    content = revision.content
    content["last_reviewed"] = today.isoformat()
    content["reviewed_by"] = _reviewer(user).pk
    due = content.get("next_review_due")
    due = datetime.date.fromisoformat(due) if due else None
    longest = add_months(today, settings.CLINICAL_REVIEW_MAX_MONTHS)
    if due is None or not today < due <= longest:
        # The old date is used up or too far off: start a fresh review cycle.
        content["next_review_due"] = add_months(
            today, settings.CLINICAL_REVIEW_DEFAULT_MONTHS
        ).isoformat()
    revision.save(update_fields=["content"])
    return revision


class ClinicalReviewTask(ApprovesClinicalContent, AbstractGroupApprovalTask):
    """Approval by a clinical reviewer. Approving a guide or FAQ records the
    reviewer and today's date as its last clinical review, and the approved
    revision on the task state: that record is what lets it go live. Nobody
    whose words are in it may approve it, whatever the admin offers."""

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if actions and approval_refusal(obj, user):
            # The modal explains why this reviewer cannot approve this guide.
            return [action for action in actions if action[0] != "approve" or action[2]]
        return actions

    def get_template_for_action(self, action):
        return "guides/clinical_review_action.html" if action == "approve" else ""

    def on_action(self, task_state, user, action_name, reviewed_on=None, **kwargs):
        if action_name == "approve":
            obj = task_state.workflow_state.content_object
            if not super().get_actions(obj, user):
                raise ApprovalRefused("Only members of this task's reviewer groups may approve it.")
            revision = record_review(obj, user, today=reviewed_on)
            if revision is not None and task_state.revision_id != revision.pk:
                # What the reviewer read and approved is the latest revision,
                # which may be newer than the one submitted (a correction in review).
                task_state.revision = revision
                task_state.save(update_fields=["revision"])
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return "Members of the chosen groups approve; approving records the clinical review."

    class Meta:
        verbose_name = "clinical review task"
        verbose_name_plural = "clinical review tasks"


def submit_and_approve(obj, submitted_by, approved_by, reviewed_on=None):
    """Run the Clinical review workflow on `obj`'s latest revision in code:
    `submitted_by` submits it, `approved_by` approves it with every check the
    admin applies, and the approval publishes it. The audit log records both
    steps under their names. For loading content (the demo, tests' fixtures);
    `reviewed_on` records a clinical check made on an earlier day."""
    workflow = obj.get_workflow()
    if workflow is None:
        raise ImproperlyConfigured(
            f"{obj._meta.verbose_name} “{obj}” is under no workflow, so nothing can approve it: "
            "assign the Clinical review workflow (Settings › Workflows)."
        )
    if obj.get_latest_revision() is None:
        obj.save_revision(user=submitted_by)
    state = workflow.start(obj, submitted_by)
    task_state = state.current_task_state.specific
    task_state.task.specific.on_action(task_state, approved_by, "approve", reviewed_on=reviewed_on)
    return obj
