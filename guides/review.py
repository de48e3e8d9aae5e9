"""Which guides are due for clinical review, for the report, the dashboard
panel and the daily overdue command."""

import datetime

from django.conf import settings
from django.utils import timezone

from cms.models import add_months
from guides.models import GuidePage


def due_soon_cutoff(today=None):
    return add_months(today or timezone.localdate(), settings.CLINICAL_REVIEW_DUE_SOON_MONTHS)


def guides_due_for_review(today=None):
    """Live guides whose next review is overdue or due soon, soonest first."""
    return (
        GuidePage.objects.live()
        .filter(next_review_due__lte=due_soon_cutoff(today))
        .select_related("reviewed_by", "author")
        .order_by("next_review_due", "title")
    )


def overdue_guides(today=None, by_more_than_days=0):
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=by_more_than_days)
    return GuidePage.objects.live().filter(next_review_due__lt=cutoff).order_by("next_review_due")
