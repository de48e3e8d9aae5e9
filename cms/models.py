"""Shared content models: the people who write and clinically review content,
and the review fields every patient-facing page and FAQ carries."""

import datetime
from calendar import monthrange

import graphene
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from grapple.models import GraphQLField, GraphQLSnippet, GraphQLString
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet

from cms.graphql.persisted_queries import PersistedQuery  # noqa: F401  (a model of this app)
from cms.images.placeholders import ImagePlaceholder  # noqa: F401  (a model of this app)
from cms.site_settings import SiteSettings  # noqa: F401  (a model of this app)


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, monthrange(year, month)[1]))


@register_snippet
class Person(models.Model):
    """Someone who writes or clinically reviews patient information."""

    name = models.CharField(max_length=120)
    credentials = models.CharField(
        max_length=120,
        blank=True,
        help_text="Post-nominals as readers should see them, e.g. 'MBBS, FRCP'.",
    )
    role = models.CharField(
        max_length=160,
        blank=True,
        help_text="e.g. 'Consultant haematologist' or 'Patient information editor'.",
    )
    # Approving a clinical review records this person as the reviewer, so a
    # reviewer's admin account must be linked to their entry here.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name="admin account",
        help_text="The Wagtail account this person signs in with to approve clinical reviews.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("credentials"),
        FieldPanel("role"),
        FieldPanel("user"),
    ]
    graphql_fields = [
        GraphQLString("name", required=True),
        GraphQLString("credentials"),
        GraphQLString("role"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class ChangeType(models.TextChoices):
    """Kinds of published change, as readers see them in a guide's change log.
    Clinical updates and full reviews need a public summary."""

    NEW = "new", "New guide"
    MINOR_EDIT = "minor_edit", "Minor edit (wording, links, layout)"
    CLINICAL_UPDATE = "clinical_update", "Clinical update (facts or advice changed)"
    FULL_REVIEW = "full_review", "Full review (every fact checked again)"


# What an editor may choose for an edit: "new" is only ever the first publish.
EDIT_CHANGE_TYPES = [choice for choice in ChangeType.choices if choice[0] != ChangeType.NEW]
CLINICAL_CHANGE_TYPES = (ChangeType.CLINICAL_UPDATE, ChangeType.FULL_REVIEW)


class ReviewStatus(graphene.Enum):
    """Where content stands in its clinical review cycle."""

    CURRENT = "current"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


def default_next_review_due():
    return add_months(timezone.localdate(), settings.CLINICAL_REVIEW_DEFAULT_MONTHS)


class ClinicallyReviewed(models.Model):
    """Review fields for anything a patient reads: when it was last checked
    by a clinician, by whom, who wrote it, and when the next check is due."""

    last_reviewed = models.DateField(
        "last clinical review",
        null=True,
        blank=True,
        help_text="The date a clinician last checked the facts; not the date of the last edit.",
    )
    next_review_due = models.DateField(
        default=default_next_review_due,
        help_text="When the content must be checked again: at most 36 months after the last review.",
    )
    reviewed_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The clinician who checked the facts.",
    )
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Only an approved clinical review sets who reviewed it and when
    # (guides.clinical_review): read-only here, so a form POST cannot set them.
    review_panels = [
        MultiFieldPanel(
            [
                FieldPanel("author"),
                FieldPanel("reviewed_by", read_only=True),
                FieldPanel("last_reviewed", read_only=True),
                FieldPanel("next_review_due"),
            ],
            heading="Clinical review",
            help_text="The reviewer and review date are recorded when a clinical reviewer "
            "approves it in the Clinical review workflow.",
        )
    ]

    review_graphql_fields = [
        GraphQLField("last_reviewed", graphene.Date),
        GraphQLField("next_review_due", graphene.Date, required=True),
        GraphQLSnippet("reviewed_by", "cms.Person"),
        GraphQLSnippet("author", "cms.Person"),
        GraphQLField("review_status", ReviewStatus, required=True, source="api_review_status"),
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = {}
        if self.reviewed_by_id and self.reviewed_by_id == self.author_id:
            errors["reviewed_by"] = "The clinical reviewer must be someone other than the author."
        if self.last_reviewed and self.last_reviewed > timezone.localdate():
            errors["last_reviewed"] = "The last review cannot be in the future."
        if self.last_reviewed and self.next_review_due:
            if self.next_review_due <= self.last_reviewed:
                errors["next_review_due"] = "The next review must come after the last review."
            elif self.next_review_due > add_months(
                self.last_reviewed, settings.CLINICAL_REVIEW_MAX_MONTHS
            ):
                errors["next_review_due"] = (
                    f"The next review can be at most {settings.CLINICAL_REVIEW_MAX_MONTHS} months after "
                    f"the last review ({add_months(self.last_reviewed, settings.CLINICAL_REVIEW_MAX_MONTHS):%d %B %Y})."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def review_status(self):
        today = timezone.localdate()
        if self.next_review_due < today:
            return ReviewStatus.OVERDUE.value
        if self.next_review_due <= add_months(today, settings.CLINICAL_REVIEW_DUE_SOON_MONTHS):
            return ReviewStatus.DUE_SOON.value
        return ReviewStatus.CURRENT.value

    def api_review_status(self, info, **kwargs):
        return self.review_status


class SyncEntry(models.Model):
    """One change that may alter what an app stores offline: an object of a
    synced kind (cms/sync/) was saved, published, unpublished, deleted,
    moved or restricted, or an ancestor page was. Append-only; `changes`
    reads the entries after a token's position, and entries older than
    SYNC_HISTORY_DAYS are pruned."""

    position = models.BigAutoField(primary_key=True)
    # Null for objects without a locale (FAQs, taxonomy terms, settings): every locale syncs them.
    locale = models.ForeignKey(
        "wagtailcore.Locale", null=True, on_delete=models.CASCADE, related_name="+"
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.BigIntegerField()
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "sync journal entry"
        verbose_name_plural = "sync journal"

    def __str__(self):
        return f"{self.position}: {self.content_type_id}/{self.object_id}"


class PendingRetirement(models.Model):
    """Cache tags a change retires (cms/caching/cache_tags.py), kept until the shared
    cache has them (cms/caching/pending_retirements.py). Written in the
    change's own transaction, so a retirement the cache missed (Redis stopped
    or frozen at the commit, the process gone) is still here, and the next
    process to look applies it."""

    tags = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    # The process that made the change could not retire the tags in the cache:
    # any other may apply them at once.
    failed = models.BooleanField(default=False)

    class Meta:
        verbose_name = "pending cache retirement"

    def __str__(self):
        return f"{self.pk}: {', '.join(self.tags[:5])}"
