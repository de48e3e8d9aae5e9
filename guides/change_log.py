"""The public change log: every publish of a guide adds one entry, and so does
every publish or deletion of a shared FAQ, on each guide readers can see that
uses it.

The log holds only facts about what readers saw: an FAQ they could not read
(never published, unpublished, expired, even by a bulk update that saved
nothing) changes nothing they saw, so its publish or deletion writes no entry;
the one rule of cms.visibility says what they could read.
"""

from django.utils import timezone

from cms.visibility import is_visible, visible_objects, visible_pages
from faqs.usage import live_pages_using
from guides.models import ChangeType, GuideChange, GuidePage


def record_publish(sender, instance, revision=None, **kwargs):
    guide = instance.specific
    if not guide.live:
        return  # scheduled for later: recorded when publish_scheduled publishes it
    first = not GuideChange.objects.filter(guide=guide).exists()
    GuideChange.objects.create(
        guide=guide,
        change_type=ChangeType.NEW if first else guide.change_type,
        summary=guide.change_summary,
        published_at=guide.last_published_at or timezone.now(),
        revision=revision,
    )


def _guides_using(faq):
    """Guides readers can see that show `faq`."""
    return visible_pages(GuidePage.objects.filter(pk__in=live_pages_using(faq).values("pk")))


def record_faq_publish(sender, instance, revision=None, **kwargs):
    """A published FAQ changes every live guide that shows it: the FAQ's own
    type of change and summary go in each guide's change log."""
    if not is_visible(instance):
        return  # scheduled for later, or already expired: readers see nothing new
    GuideChange.objects.bulk_create(
        GuideChange(
            guide=guide,
            change_type=instance.change_type,
            summary=instance.change_summary,
            published_at=instance.last_published_at or timezone.now(),
            revision=revision,
        )
        for guide in _guides_using(instance)
    )


def record_faq_deletion(sender, instance, **kwargs):
    """Deleting an FAQ takes a question and its answer out of the live guides
    that show it: readers are told, as for any change to what a guide advises.
    Only when readers could read it: read again from the database, since the
    instance being deleted may predate a change made without a save."""
    if not visible_objects(type(instance).objects.filter(pk=instance.pk)).exists():
        return
    GuideChange.objects.bulk_create(
        GuideChange(
            guide=guide,
            change_type=ChangeType.CLINICAL_UPDATE,
            summary=f"Removed the question “{instance.question}”."[:250],
            published_at=timezone.now(),
        )
        for guide in _guides_using(instance)
    )
