"""The Clinical review workflow task and its effect on a guide or FAQ: approving it
records who reviewed it and when. Nothing else sets those fields (see
GUIDE_REVIEW_PANELS and ClinicallyReviewed.review_panels)."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import AbstractGroupApprovalTask

from cms.models import ClinicallyReviewed, Person, add_months


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
    return None


def record_review(obj, user, today=None):
    """Record `user`'s approval as the last clinical review, in the revision
    the workflow is about to publish (its latest)."""
    obj = obj.specific if hasattr(obj, "specific") else obj
    if not isinstance(obj, ClinicallyReviewed):
        return
    refusal = approval_refusal(obj, user)
    if refusal:
        raise PermissionDenied(refusal)
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


class ClinicalReviewTask(AbstractGroupApprovalTask):
    """Approval by a clinical reviewer. Approving a guide or FAQ records the
    reviewer and today's date as its last clinical review; neither its author
    nor whoever submitted it may approve it, whatever the admin offers."""

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if actions and approval_refusal(obj, user):
            # The modal explains why this reviewer cannot approve this guide.
            return [action for action in actions if action[0] != "approve" or action[2]]
        return actions

    def get_template_for_action(self, action):
        return "guides/clinical_review_action.html" if action == "approve" else ""

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            record_review(task_state.workflow_state.content_object, user)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return "Members of the chosen groups approve; approving records the clinical review."

    class Meta:
        verbose_name = "clinical review task"
        verbose_name_plural = "clinical review tasks"
