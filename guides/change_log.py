"""The public change log: every publish of a guide adds one entry."""

from django.utils import timezone

from guides.models import ChangeType, GuideChange


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
