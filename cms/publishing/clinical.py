"""What a patient reads goes live only through an approved clinical review.

The rule is enforced where content becomes live, not in the admin's views, so
every route meets it: the admin's publish, copy, alias, move and revert, bulk
actions, scheduled publishing, the importer, management commands, a shell's
`save_revision().publish()` or `page.copy(keep_live=True)`, and any route a
Wagtail upgrade or another app adds.

- `LiveOnlyByReview.save()` (guides and FAQs): a row becomes live, or its live
  revision changes, only when that revision is the one the latest approval of
  a clinical review task approved (`approved_revision_id`). A new row arriving
  live without that (a copy "kept live", a page made live in code) is saved as
  a draft; an existing row is refused with `ClinicalReviewRequired`. An alias
  of clinical content is never live: it has no review of its own.
- Scheduling (a revision's `approved_go_live_at`) is refused for any other
  revision, so `publish_scheduled` only ever publishes approved revisions.
- Copies keep the view restrictions of what they copy, subpages included
  (`keep_view_restrictions`), so a password-protected guide's copy is not
  public once it is reviewed and published.

The approval is a row the admin shows and the audit log records: a task state
of a task marked `ApprovesClinicalContent`, approved by a named reviewer, on the
exact revision that is published. There is no switch to turn the rule off:
content under no workflow cannot be published at all until it is given one.

The admin hides the Publish button on clinical content (the permission tester
and snippet views below), so editors meet "Submit for review" instead of an
error; taking content down (unpublish) stays open to whoever may publish.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_save
from django.dispatch import receiver
from wagtail.actions.copy_page import CopyPageAction
from wagtail.models import PagePermissionTester, PageViewRestriction, Revision, TaskState

from cms.models import ClinicallyReviewed

REFUSAL = (
    "This goes live only through the Clinical review workflow: submit it for review, "
    "and the reviewer's approval publishes it."
)


class ClinicalReviewRequired(PermissionDenied):
    """Clinical content was about to go live without an approved clinical review."""

    def __init__(self, obj, message=REFUSAL):
        super().__init__(f"{obj._meta.verbose_name.capitalize()} “{obj}”: {message}")


class ApprovesClinicalContent:
    """Marks the workflow task whose approval is what makes clinical content live."""


def is_clinical(obj):
    obj = obj.specific if hasattr(obj, "specific") and obj.pk else obj
    return isinstance(obj, ClinicallyReviewed)


def publishes_only_by_review(obj):
    """True when `obj` (a guide or FAQ, saved or not) may be published only by
    approving its clinical review: always, for clinical content."""
    return is_clinical(obj)


def _approving_task_types():
    models = [model for model in apps.get_models() if issubclass(model, ApprovesClinicalContent)]
    return list(ContentType.objects.get_for_models(*models).values())


def approvals(obj):
    """The approved clinical review task states of `obj`, newest first."""
    return TaskState.objects.filter(
        status=TaskState.STATUS_APPROVED,
        task__content_type__in=_approving_task_types(),
        revision__base_content_type=obj.get_base_content_type(),
        revision__object_id=str(obj.pk),
    ).order_by("-finished_at", "-pk")


def approved_revision_id(obj):
    """The revision the latest clinical review approval of `obj` approved, or None.
    An older approval does not count: a later review may have withdrawn its words."""
    if obj.pk is None:
        return None
    return approvals(obj).values_list("revision_id", flat=True).first()


def _may_be_live(obj, revision_id):
    if getattr(obj, "alias_of_id", None) is not None:
        return False  # see guard_live
    return revision_id is not None and revision_id == approved_revision_id(obj)


def _as_draft(obj):
    obj.live = False
    obj.has_unpublished_changes = True
    obj.live_revision = None
    obj.first_published_at = None
    obj.last_published_at = None


def guard_live(obj, update_fields=None):
    """Called by `LiveOnlyByReview.save()` before the row is written."""
    fields = None if update_fields is None else set(update_fields)

    def writes(name):
        return fields is None or name in fields

    if not (writes("live") or writes("live_revision")):
        return
    if getattr(obj, "alias_of_id", None) is not None:
        # An alias has no revisions or review of its own, and its fields are
        # whatever the code that made it held in memory, not necessarily its
        # source's reviewed words: an alias of clinical content stays a draft
        # (convert it to an ordinary page and submit that for review).
        if obj.live or obj.live_revision_id:
            _as_draft(obj)
        return
    row = None
    if obj.pk is not None and not obj._state.adding:
        row = (
            type(obj)
            ._default_manager.filter(pk=obj.pk)
            .values("live", "live_revision_id", "first_published_at")
            .first()
        )
    was_live = bool(row and row["live"])
    old_revision = row["live_revision_id"] if row else None
    live = obj.live if writes("live") else was_live
    revision = obj.live_revision_id if writes("live_revision") else old_revision

    if not live:
        # A draft never records an unreviewed revision as published (a copy
        # "kept live" sets it after its first save).
        if revision and revision != old_revision and not _may_be_live(obj, revision):
            obj.live_revision = None
            if not (row and row["first_published_at"]):
                obj.first_published_at = obj.last_published_at = None
        return
    if was_live and revision == old_revision:
        return  # nothing new goes live
    if _may_be_live(obj, revision):
        return
    if row is None:
        # A new row arriving live (a copy kept live, a page made live
        # in code) arrives as a draft, to be submitted for review.
        _as_draft(obj)
        return
    raise ClinicalReviewRequired(obj)


class LiveOnlyByReview:
    """For every clinical content model (guides, FAQs): see the module docstring."""

    def save(self, *args, **kwargs):
        guard_live(self, kwargs.get("update_fields"))
        return super().save(*args, **kwargs)


@receiver(pre_save, sender=Revision, dispatch_uid="clinical-scheduling-needs-review")
def refuse_unreviewed_scheduling(sender, instance, update_fields=None, raw=False, **kwargs):
    """A revision scheduled to go live (`approved_go_live_at`) must be the approved one:
    `publish_scheduled` publishes whatever is scheduled."""
    if raw or instance.approved_go_live_at is None:
        return
    if update_fields is not None and "approved_go_live_at" not in update_fields:
        return
    model = instance.content_type.model_class()
    if model is None or not issubclass(model, ClinicallyReviewed):
        return
    obj = model._default_manager.filter(pk=instance.object_id).first()
    if obj is None or instance.pk is None or approved_revision_id(obj) != instance.pk:
        raise ClinicalReviewRequired(
            obj or model(), "only the revision its clinical review approved can be scheduled."
        )


# Copies keep the view restrictions of what they copy.


def _restriction_key(restriction):
    return (
        restriction.restriction_type,
        restriction.password,
        frozenset(restriction.groups.values_list("pk", flat=True)),
    )


def keep_view_restrictions(source, copy, *, inherited):
    """Give `copy` every view restriction `source` has (with `inherited`, its
    ancestors' too) that does not already apply to `copy` where it now is."""
    restrictions = source.get_view_restrictions() if inherited else source.view_restrictions.all()
    present = {_restriction_key(r) for r in copy.get_view_restrictions()}
    for restriction in restrictions:
        key = _restriction_key(restriction)
        if key in present:
            continue
        kept = PageViewRestriction(
            page=copy,
            restriction_type=restriction.restriction_type,
            password=restriction.password,
        )
        kept.save()
        kept.groups.set(restriction.groups.all())
        present.add(key)


def _wrap(action_class, method_name, source_of):
    original = getattr(action_class, method_name)  # fails loudly if Wagtail renames it

    def wrapped(self, page, *args, **kwargs):
        copy = original(self, page, *args, **kwargs)
        # The page the action was asked to copy may sit under a restricted
        # ancestor the destination lacks; its subpages come with their copied parent.
        keep_view_restrictions(page, copy, inherited=page.pk == source_of(self).pk)
        return copy

    wrapped.keeps_view_restrictions = True
    setattr(action_class, method_name, wrapped)


# Wagtail copies only the top page's own restrictions, and to every subpage:
# every copy, from any route, goes through this method. (An alias needs no
# such help: Wagtail reads its source's restrictions, and an alias of clinical
# content is never live.)
if not getattr(CopyPageAction._copy_page, "keeps_view_restrictions", False):
    _wrap(CopyPageAction, "_copy_page", lambda action: action.page)


class ClinicalPagePermissionTester(PagePermissionTester):
    """Wagtail's page permissions, without direct publishing of clinical content.

    Privacy settings and unscheduling keep Wagtail's own rule (they follow the
    publish permission there), since neither puts new words in front of readers."""

    def can_publish(self):
        return super().can_publish() and not publishes_only_by_review(self.page)

    def can_publish_subpage(self):
        # Creating and publishing in one step (also copies and aliases kept
        # live): not offered where the new page would be clinical content.
        if not super().can_publish_subpage():
            return False
        models = self.page.specific_class.creatable_subpage_models()
        return not any(issubclass(model, ClinicallyReviewed) for model in models)

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
    content, whatever the POST says."""

    def get_available_actions(self):
        actions = super().get_available_actions()
        instance = getattr(self, "object", None) or self.model()
        if "publish" in actions and publishes_only_by_review(instance):
            actions = [action for action in actions if action != "publish"]
        return actions
