"""Which guides (and FAQs) are due for clinical review, for the report, the
dashboard panel and the daily commands."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from wagtail.models import Locale, TaskState

from cms.models import add_months
from faqs.models import FAQ
from guides.clinical_review import approval_refusal
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


def faqs_due_for_review(today=None):
    """Live FAQs whose next review is overdue or due soon, soonest first."""
    return (
        FAQ.objects.filter(live=True, next_review_due__lte=due_soon_cutoff(today))
        .select_related("reviewed_by", "author")
        .order_by("next_review_due", "question")
    )


def overdue_guides(today=None, by_more_than_days=0):
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=by_more_than_days)
    return GuidePage.objects.live().filter(next_review_due__lt=cutoff).order_by("next_review_due")


def falling_due_within(days, today=None):
    """Live guides and FAQs with a reviewer whose next review is due from today
    to `days` days ahead, soonest first."""
    today = today or timezone.localdate()
    window = {"next_review_due__range": (today, today + datetime.timedelta(days=days))}
    guides = GuidePage.objects.live().filter(reviewed_by__isnull=False, **window)
    faqs = FAQ.objects.filter(live=True, reviewed_by__isnull=False, **window)
    items = [*guides.select_related("reviewed_by__user"), *faqs.select_related("reviewed_by__user")]
    return sorted(items, key=lambda item: (item.next_review_due, str(item)))


def reviews_due_for(person, today=None):
    """Live guides and FAQs `person` last reviewed that are overdue or due soon."""
    guides = guides_due_for_review(today).filter(reviewed_by=person)
    faqs = faqs_due_for_review(today).filter(reviewed_by=person)
    return sorted([*guides, *faqs], key=lambda item: (item.next_review_due, str(item)))


def may_approve(obj, user):
    """The Clinical review task's own rule (what its on_action enforces beyond
    group membership): nobody whose words are in `obj` approves it."""
    return approval_refusal(obj, user) is None


def awaiting_approval_by(user):
    """In-progress reviews `user` may approve, newest first: their groups' tasks
    (what Wagtail lists under "Awaiting your review") less those the four-eyes
    rule keeps them from signing off."""
    states = (
        TaskState.objects.reviewable_by(user)
        .select_related("revision")
        .prefetch_related("revision__content_object")
        .order_by("-started_at")
    )
    return [
        state
        for state in states
        if state.revision.content_object is not None
        and may_approve(state.revision.content_object, user)
    ]


def content_label(obj):
    """“Guide”, “FAQ”: what a reviewer is looking at."""
    return capfirst(obj._meta.verbose_name)


def language_of(obj):
    """The content's language: its locale's, or for content without one (FAQs)
    the site's default language, which it is written in."""
    locale = obj.locale if getattr(obj, "locale_id", None) else Locale.get_default()
    return locale.get_display_name()
