"""Email each clinical reviewer the guides and FAQs they reviewed that fall due
for review within CLINICAL_REVIEW_REMINDER_DAYS (or --days).

Safe to run daily (e.g. from cron): each item's reviewer is reminded once per
review date, recorded in the item's history, so a second run sends nothing."""

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.text import capfirst
from wagtail.log_actions import log, registry

from guides.review import falling_due_within

REMINDER_ACTION = "guides.review_reminder"


def already_reminded(item):
    return (
        registry.get_logs_for_instance(item)
        .filter(action=REMINDER_ACTION, data__next_review_due=str(item.next_review_due))
        .exists()
    )


def admin_url(item):
    if item._meta.model_name == "faq":
        return f"{settings.WAGTAILADMIN_BASE_URL}/admin/snippets/faqs/faq/edit/{item.pk}/"
    return f"{settings.WAGTAILADMIN_BASE_URL}/admin/pages/{item.pk}/edit/"


class Command(BaseCommand):
    help = "Email reviewers about the guides and FAQs falling due for clinical review soon."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="How far ahead to look (default: CLINICAL_REVIEW_REMINDER_DAYS).",
        )

    def handle(self, *args, days=None, **options):
        days = settings.CLINICAL_REVIEW_REMINDER_DAYS if days is None else days
        today = timezone.localdate()
        by_reviewer = defaultdict(list)
        for item in falling_due_within(days, today):
            reviewer = item.reviewed_by
            if already_reminded(item):
                continue
            if not (reviewer.user and reviewer.user.email):
                self.stdout.write(
                    f"  {item} ({item._meta.verbose_name}): {reviewer} has no admin account "
                    "with an email address; not reminded"
                )
                continue
            by_reviewer[reviewer.user].append(item)

        for user, items in by_reviewer.items():
            lines = [
                f"- {capfirst(item._meta.verbose_name)} “{item}”: review due "
                f"{item.next_review_due:%d %B %Y}\n  {admin_url(item)}"
                for item in items
            ]
            send_mail(
                subject=f"{len(items)} clinical review(s) due within {days} days",
                message="You last reviewed these, and they are due for review again:\n\n"
                + "\n".join(lines)
                + "\n",
                from_email=None,
                recipient_list=[user.email],
            )
            for item in items:
                log(item, REMINDER_ACTION, data={"next_review_due": str(item.next_review_due)})
            self.stdout.write(f"Reminded {user.email} of {len(items)} item(s).")
        if not by_reviewer:
            self.stdout.write("No reminders to send today.")
