"""Reusable FAQs: written once, placed in many guides, edited in one place."""

import graphene
from django.db import models
from django.db.models import Prefetch
from django.utils.html import format_html
from django.utils.text import slugify
from grapple.models import GraphQLField, GraphQLRichText, GraphQLSnippet, GraphQLString
from grapple.registry import registry
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, LockableMixin, Page, RevisionMixin, WorkflowMixin
from wagtail.search import index

from cms.graphql.fields import GraphQLList
from cms.models import EDIT_CHANGE_TYPES, ChangeType, ClinicallyReviewed
from cms.publishing.clinical import LiveOnlyByReview
from cms.publishing.preview import HeadlessPreview
from cms.publishing.review_forms import ClinicalChangeFormMixin
from cms.rich_text.graphql import GraphQLRichTextTree
from cms.visibility import visible_objects
from faqs.usage import GuidesUsingFAQPanel


class FAQTopic(models.Model):
    """A group of FAQs, e.g. 'Appointments' or 'Travel and visas'."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Used in web addresses and API filters."
    )
    sort_order = models.PositiveSmallIntegerField(
        default=0, help_text="Topics with lower numbers are listed first."
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    graphql_fields = [
        GraphQLString("name", required=True),
        GraphQLString("slug", required=True),
        GraphQLList("faqs", lambda: registry.snippets[FAQ], source="api_faqs"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "FAQ topic"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)

    def api_faqs(self, info, **kwargs):
        """Published FAQs only; prefetched as `published_faqs` by list queries."""
        if hasattr(self, "published_faqs"):
            return self.published_faqs
        return list(visible_objects(self.faqs.all()))


class FAQForm(ClinicalChangeFormMixin, WagtailAdminModelForm):
    change_summary_required = (
        "Say in one sentence what changed: readers see it in the change log of every "
        "guide that uses this FAQ."
    )
    author_is_reviewer = "The author cannot be this FAQ's clinical reviewer: choose someone else."


class FAQ(
    LiveOnlyByReview,
    ClinicallyReviewed,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    index.Indexed,
    models.Model,
):
    """One question and its answer. Only published FAQs reach patients; they
    go through the Clinical review workflow as guides do, and go live only by
    its approval (LiveOnlyByReview). LockableMixin is what
    makes the admin honour the workflow's lock: while an FAQ is in review only
    its reviewers may change it, so they approve the text they read."""

    question = models.CharField(
        max_length=255,
        help_text="Phrase it the way a patient would ask it, e.g. 'Will my insurance cover this?'",
    )
    answer = RichTextField(
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="Answer the question in the first sentence, then add detail. Aim for under 120 words.",
    )
    topic = models.ForeignKey(
        FAQTopic,
        on_delete=models.PROTECT,
        related_name="faqs",
        help_text="Where this FAQ is listed on the FAQ page.",
    )
    # When the FAQ's row last changed (publishing, unpublishing, a direct
    # edit); saving a draft revision leaves it alone.
    updated_at = models.DateTimeField(auto_now=True)
    # What the next publish changes, recorded in the change log of every live
    # guide that uses the FAQ (guides.change_log).
    change_type = models.CharField(
        "type of change",
        max_length=20,
        choices=EDIT_CHANGE_TYPES,
        default=ChangeType.MINOR_EDIT,
    )
    change_summary = models.CharField(
        "what changed",
        max_length=250,
        blank=True,
        help_text="One public sentence for readers of the guides that use this FAQ, e.g. "
        "'Updated the advice on flying after chemotherapy.' Required for clinical updates "
        "and full reviews.",
    )

    panels = [
        GuidesUsingFAQPanel(heading="Guides this FAQ changes"),
        FieldPanel("question"),
        FieldPanel("answer"),
        FieldPanel("topic"),
        MultiFieldPanel(
            [FieldPanel("change_type"), FieldPanel("change_summary")],
            heading="About this change",
            help_text="Shown to readers in the change log of each live guide that uses this "
            "FAQ when it is published.",
        ),
        *ClinicallyReviewed.review_panels,
    ]
    base_form_class = FAQForm
    search_fields = [
        index.SearchField("question", boost=2),
        index.SearchField("answer"),
        index.FilterField("live"),
        index.FilterField("id"),
    ]

    graphql_fields = [
        GraphQLField("id", graphene.ID, required=True),
        GraphQLString("question", required=True),
        GraphQLRichText("answer", required=True),
        GraphQLRichTextTree("answer", required=True),
        GraphQLSnippet("topic", "faqs.FAQTopic", required=True),
        GraphQLField("updated_at", graphene.DateTime, required=True),
        *ClinicallyReviewed.review_graphql_fields,
    ]

    class Meta:
        ordering = ["topic__sort_order", "question"]
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"

    def __str__(self):
        return self.question


class FAQIndexPage(HeadlessPreview, Page):
    """The FAQ page: every published FAQ, grouped by topic."""

    # What a rich-text link to this page is in the API's document trees.
    rich_text_link_kind = "FAQ"
    # The CMS serves no public site; this plain page is for editors' preview.
    template = "page_preview.html"

    intro = models.TextField(blank=True, help_text="One or two sentences shown above the FAQs.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    graphql_fields = [
        # RichText like every other intro, so one query can ask any page for it.
        GraphQLRichText("intro", source="api_intro"),
        GraphQLRichTextTree("intro", source="api_intro"),
        GraphQLList("topics", lambda: registry.snippets[FAQTopic], source="api_topics"),
    ]

    class Meta:
        verbose_name = "FAQ index page"

    def api_intro(self, info, **kwargs):
        """The plain-text intro as one HTML paragraph."""
        return format_html("<p>{}</p>", self.intro) if self.intro else None

    def api_topics(self, info, **kwargs):
        """Topics that have at least one published FAQ, in order."""
        return topics_with_published_faqs()

    def preview_topics(self):
        """The same topics for the built-in preview."""
        return topics_with_published_faqs()


def topics_with_published_faqs():
    from cms.rich_text.links import load_pages, page_link_ids  # needs the page model loaded

    published = visible_objects(FAQ.objects.all()).select_related("topic", "reviewed_by", "author")
    topics = list(
        FAQTopic.objects.filter(faqs__in=visible_objects(FAQ.objects.all()))
        .distinct()
        .prefetch_related(Prefetch("faqs", queryset=published, to_attr="published_faqs"))
    )
    # Every page the answers link to, in one query for the request.
    load_pages(page_link_ids(faq.answer for topic in topics for faq in topic.published_faqs))
    return topics
