"""Flag guides whose clinical review is overdue; optionally unpublish them.

Safe to run daily (e.g. from cron after publish_scheduled): a guide is
flagged once per overdue period, and unpublishing only happens when
CLINICAL_REVIEW_UNPUBLISH_AFTER_DAYS is set.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from wagtail.models import PageLogEntry

from guides.review import overdue_guides

FLAG_ACTION = "guides.review_overdue"


class Command(BaseCommand):
    help = (
        "Flag guides overdue for clinical review and, if configured, unpublish long-overdue ones."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        today = timezone.localdate()
        overdue = list(overdue_guides(today))
        self.stdout.write(f"{len(overdue)} guide(s) overdue for clinical review on {today}.")
        for guide in overdue:
            days = (today - guide.next_review_due).days
            already = PageLogEntry.objects.filter(
                page=guide, action=FLAG_ACTION, timestamp__date__gte=guide.next_review_due
            ).exists()
            note = "already flagged" if already else ("would flag" if dry_run else "flagged")
            self.stdout.write(
                f"  {guide.title} (id {guide.pk}): due {guide.next_review_due}, {days} day(s) overdue, {note}"
            )
            if not already and not dry_run:
                PageLogEntry.objects.log_action(
                    guide,
                    FLAG_ACTION,
                    data={"next_review_due": str(guide.next_review_due), "days_overdue": days},
                )

        limit = settings.CLINICAL_REVIEW_UNPUBLISH_AFTER_DAYS
        if limit is None:
            self.stdout.write(
                "Unpublishing is off (CLINICAL_REVIEW_UNPUBLISH_AFTER_DAYS is not set)."
            )
            return
        for guide in overdue_guides(today, by_more_than_days=limit):
            if dry_run:
                self.stdout.write(
                    f"  would unpublish {guide.title} (id {guide.pk}): overdue by more than {limit} days"
                )
                continue
            guide.unpublish(log_action=True)
            self.stdout.write(
                self.style.WARNING(
                    f"  unpublished {guide.title} (id {guide.pk}): overdue by more than {limit} days"
                )
            )
