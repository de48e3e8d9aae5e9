"""What a patient reads goes live only through an approved clinical review.

Guides and FAQs (anything `ClinicallyReviewed`) under a workflow have no
Publish button for anyone, superusers included: the Clinical review task's
approval is what publishes them, and it records who reviewed them. Taking
content down (unpublish) stays open to whoever may publish, since that is
always safe. An administrator who must publish without review has to take the
content out of its workflow first (Settings › Workflows), which the audit log
records.

One predicate, `publishes_only_by_review`, is used by every place Wagtail
offers publishing: the page permission tester (page edit view, action menu,
bulk publish, the admin API), the snippet edit and create views, and the
snippet action menu.
"""

from django.conf import settings
from wagtail.models import PagePermissionTester

from cms.models import ClinicallyReviewed

REFUSAL = (
    "This goes live only through the Clinical review workflow: submit it for review, "
    "and the reviewer's approval publishes it."
)


def _workflows_enabled():
    return getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True)


def publishes_only_by_review(obj):
    """True when `obj` (a guide or FAQ, saved or not) may be published only by
    approving its clinical review."""
    if not _workflows_enabled():
        return False
    obj = obj.specific if hasattr(obj, "specific") and obj.pk else obj
    return isinstance(obj, ClinicallyReviewed) and obj.get_workflow() is not None


class ClinicalPagePermissionTester(PagePermissionTester):
    """Wagtail's page permissions, without direct publishing of clinical content.

    Privacy settings and unscheduling keep Wagtail's own rule (they follow the
    publish permission there), since neither puts new words in front of readers."""

    def can_publish(self):
        return super().can_publish() and not publishes_only_by_review(self.page)

    def can_publish_subpage(self):
        # Creating and publishing in one step (also copies and aliases kept
        # live): refused where the new page would be clinical content under
        # this page's workflow.
        if not super().can_publish_subpage():
            return False
        models = self.page.specific_class.creatable_subpage_models()
        clinical = any(issubclass(model, ClinicallyReviewed) for model in models)
        return not (clinical and _workflows_enabled() and self.page.get_workflow() is not None)

    def can_set_view_restrictions(self):
        return PagePermissionTester.can_publish(self)

    def can_unschedule(self):
        return PagePermissionTester.can_publish(self)


class ClinicalPublishingPage:
    """For the page types that are, or hold, clinical content (guides and their hubs)."""

    def permissions_for_user(self, user):
        return ClinicalPagePermissionTester(user, self)


class ReviewedPublishingMixin:
    """For a snippet's create and edit views: no "publish" action on clinical
    content under a workflow, whatever the POST says."""

    def get_available_actions(self):
        actions = super().get_available_actions()
        instance = getattr(self, "object", None) or self.model()
        if "publish" in actions and publishes_only_by_review(instance):
            actions = [action for action in actions if action != "publish"]
        return actions
