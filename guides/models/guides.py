"""Patient-facing guides: the page, its admin form, and the FAQs and related guides placed in it."""

import datetime
import json

import graphene
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.html import strip_tags
from grapple.models import (
    GraphQLField,
    GraphQLForeignKey,
    GraphQLImage,
    GraphQLRichText,
    GraphQLSnippet,
    GraphQLString,
)
from grapple.registry import registry
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page
from wagtail.search import index

from cms.caching import cache_tags
from cms.graphql.fields import GraphQLList, GraphQLStreamBlocks
from cms.models import EDIT_CHANGE_TYPES, ClinicallyReviewed
from cms.publishing.clinical import ClinicalPublishingPage, LiveOnlyByReview
from cms.publishing.preview import HeadlessPreview
from cms.rest import fields as api
from cms.rich_text.graphql import GraphQLRichTextTree
from cms.site_settings import SiteSettings
from cms.visibility import is_visible
from cms.widgets import FilterableCheckboxSelectMultiple
from faqs.models import FAQ
from guides import readability
from guides.blocks import GuideBodyBlock
from guides.models.change_log import ChangeLogEntry, ChangeType
from guides.models.guide_form import SUMMARY_MAX_LENGTH, GuidePageForm
from guides.models.hubs import GuideIndexPage
from guides.models.publishers import Publisher
from guides.models.references import Reference
from guides.models.taxonomy import Audience, CancerType, GuideCategory
from guides.readability import ReadabilityPanel, ReadabilityResult
from guides.structured_data import guide_json_ld


def _guide_type():
    return registry.pages[GuidePage]


def reader_text(title, standfirst, summary, quick_answer, key_highlights, important_facts, body):
    parts = [
        f"{title}.",
        standfirst,
        summary,
        readability.rich_text_lines(quick_answer),
        *(f"{child.value}." for child in key_highlights),
        *(f"{child.value}." for child in important_facts),
        # One line per heading, list item and paragraph: headings and list
        # items are not sentences, and the readability grade knows them apart.
        *readability.stream_text(body.stream_block, body),
    ]
    return "\n".join(strip_tags(part) for part in parts if part)


GUIDE_REVIEW_PANELS = [
    MultiFieldPanel(
        [
            FieldPanel("author"),
            FieldPanel("reviewed_by", read_only=True),
            FieldPanel("last_reviewed", read_only=True),
            FieldPanel("next_review_due"),
        ],
        heading="Clinical review",
        help_text="The reviewer and review date are recorded when a clinical reviewer approves "
        "the guide in the Clinical review workflow.",
    )
]


class GuidePage(
    LiveOnlyByReview, ClinicalPublishingPage, HeadlessPreview, ClinicallyReviewed, Page
):
    """A patient-facing guide: what it covers at a glance, then the full text. It goes
    live only by approval of its clinical review (LiveOnlyByReview)."""

    # What a rich-text link to this page is in the API's document trees.
    rich_text_link_kind = "GUIDE"
    # The CMS serves no public site; this plain page is for editors' preview.
    template = "page_preview.html"

    standfirst = models.TextField(
        blank=True,
        help_text="One or two sentences under the title saying what the reader will learn.",
    )
    summary = models.TextField(
        max_length=SUMMARY_MAX_LENGTH,
        validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)],
        help_text=f"Plain text shown on guide cards and in search results. At most {SUMMARY_MAX_LENGTH} characters.",
    )
    published_date = models.DateField(
        "date shown to readers",
        default=datetime.date.today,
        help_text="The date readers see on the guide. Change it when the content changes meaningfully.",
    )
    category = models.ForeignKey(
        GuideCategory,
        on_delete=models.PROTECT,
        related_name="guides",
        help_text="The kind of guide, shown as a label on cards.",
    )
    publisher = models.ForeignKey(
        Publisher, null=True, blank=True, on_delete=models.SET_NULL, related_name="guides"
    )
    cancer_types = ParentalManyToManyField(
        CancerType,
        blank=True,
        related_name="guides",
        help_text="Leave empty if the guide applies to any cancer.",
    )
    audiences = ParentalManyToManyField(Audience, blank=True, related_name="guides")
    key_highlights = StreamField(
        [("highlight", blocks.CharBlock(max_length=250, label="Highlight"))],
        blank=True,
        help_text="Three to five short points a reader should take away.",
    )
    important_facts = StreamField(
        [("fact", blocks.CharBlock(max_length=250, label="Fact"))],
        blank=True,
        help_text="Checked facts, e.g. time limits or who to contact. Each must be clinically verified.",
    )
    quick_answer = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="The short answer to the question in the title, in two or three sentences.",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(GuideBodyBlock(), blank=True)
    disclaimer = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="Leave blank to use the site-wide default disclaimer.",
    )
    author_organisation = models.ForeignKey(
        "guides.Publisher",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="An organisation credited as author, for articles not written by one person.",
    )
    # Where an imported article came from: readers and search engines are told.
    source_url = models.URLField(
        "original address",
        blank=True,
        max_length=500,
        help_text="Where this article was first published, if it was published elsewhere.",
    )
    source_publisher = models.CharField(
        "original publisher",
        blank=True,
        max_length=200,
        help_text="The organisation that first published it.",
    )
    source_licence = models.CharField(
        "licence or permission",
        blank=True,
        max_length=300,
        help_text="e.g. 'CC BY 4.0' or 'Reproduced with permission of the publisher'.",
    )
    source_first_published = models.DateField(
        "first published elsewhere",
        null=True,
        blank=True,
        help_text="The date it first appeared at the original address.",
    )
    # The file name an imported draft came from (guides/importing/): importing
    # the same file into the same hub again updates this guide.
    imported_from = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        help_text="The file this guide was imported from, if any.",
    )
    promotes_commercial_service = models.BooleanField(
        default=False,
        help_text="Tick if the article promotes a paid or commercial service: readers are told.",
    )
    # Measured from the guide's text every time it is saved (see clean()).
    readability_grade = models.FloatField("Flesch-Kincaid grade", null=True, editable=False)
    reading_ease = models.FloatField("Flesch reading ease", null=True, editable=False)
    smog_grade = models.FloatField("SMOG grade", null=True, editable=False)
    word_count = models.PositiveIntegerField(null=True, editable=False)
    reading_time_minutes = models.PositiveSmallIntegerField(null=True, editable=False)
    # What the next publish changes; recorded in the public change log when it
    # is published (guides.change_log), then cleared for the next edit.
    change_type = models.CharField(
        "type of change",
        max_length=20,
        choices=EDIT_CHANGE_TYPES,
        default=ChangeType.MINOR_EDIT,
        help_text="A guide's first publication is always recorded as new.",
    )
    change_summary = models.CharField(
        "what changed",
        max_length=250,
        blank=True,
        help_text="One public sentence for readers, e.g. 'Updated the waiting times for a second opinion.' "
        "Required for clinical updates and full reviews.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("standfirst"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("category"),
                FieldPanel("published_date"),
                FieldPanel("publisher"),
                FieldPanel(
                    "cancer_types",
                    widget=FilterableCheckboxSelectMultiple(filter_label="Filter cancer types"),
                ),
                FieldPanel(
                    "audiences",
                    widget=FilterableCheckboxSelectMultiple(filter_label="Filter audiences"),
                ),
            ],
            heading="Labels and filters",
            help_text="Shown on guide cards; frontends filter guides by these.",
        ),
        FieldPanel("quick_answer"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        ReadabilityPanel(heading="Readability and plain language"),
        MultiFieldPanel(
            [FieldPanel("change_type"), FieldPanel("change_summary")],
            heading="About this change",
            help_text="Shown to readers in the guide's change log when you publish.",
        ),
    ]
    highlights_panels = [
        FieldPanel("key_highlights"),
        FieldPanel("important_facts"),
    ]
    faq_panels = [
        InlinePanel("faq_placements", label="FAQ", heading="FAQs, in the order shown"),
    ]
    promote_panels = [
        *Page.promote_panels,
        InlinePanel("related_guide_links", label="Related guide", heading="Related guides"),
    ]
    reference_panels = [
        InlinePanel(
            "references",
            label="Reference",
            heading="References",
            help_text="Cite a reference in the text by its number in square brackets, e.g. [1].",
        )
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(highlights_panels, heading="Highlights and facts"),
            ObjectList(faq_panels, heading="FAQs"),
            ObjectList(reference_panels, heading="References"),
            ObjectList(promote_panels, heading="Promote"),
            ObjectList(
                [
                    *GUIDE_REVIEW_PANELS,
                    FieldPanel("disclaimer"),
                    FieldPanel("author_organisation"),
                    FieldPanel("promotes_commercial_service"),
                    MultiFieldPanel(
                        [
                            FieldPanel("source_url"),
                            FieldPanel("source_publisher"),
                            FieldPanel("source_licence"),
                            FieldPanel("source_first_published"),
                        ],
                        heading="Source (articles first published elsewhere)",
                    ),
                    *Page.settings_panels,
                ],
                heading="Settings",
            ),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("published_date"),
    ]

    graphql_fields = [
        GraphQLString("standfirst"),
        GraphQLString("summary", required=True),
        GraphQLField("published_date", graphene.Date, required=True),
        GraphQLSnippet("category", "guides.GuideCategory", required=True),
        GraphQLSnippet("publisher", "guides.Publisher"),
        GraphQLList(
            "cancer_types", lambda: registry.snippets[CancerType], source="api_cancer_types"
        ),
        GraphQLList("audiences", lambda: registry.snippets[Audience], source="api_audiences"),
        GraphQLList("key_highlights", graphene.String, source="api_key_highlights"),
        GraphQLList("important_facts", graphene.String, source="api_important_facts"),
        GraphQLRichText("quick_answer"),
        GraphQLRichTextTree("quick_answer"),
        GraphQLImage("hero_image"),
        GraphQLStreamBlocks("body", GuideBodyBlock, "GuideBodyBlock"),
        GraphQLList("faqs", lambda: registry.snippets[_faq_model()], source="api_faqs"),
        GraphQLRichText("disclaimer", source="api_disclaimer"),
        GraphQLRichTextTree("disclaimer", source="api_disclaimer"),
        GraphQLSnippet("author_organisation", "guides.Publisher"),
        GraphQLString("source_url"),
        GraphQLString("source_publisher"),
        GraphQLString("source_licence"),
        GraphQLField("source_first_published", graphene.Date),
        GraphQLField("promotes_commercial_service", graphene.Boolean, required=True),
        GraphQLList("related_guides", _guide_type, source="api_related_guides"),
        GraphQLForeignKey("hub", GuideIndexPage, source="api_hub"),
        *ClinicallyReviewed.review_graphql_fields,
        GraphQLField("readability", ReadabilityResult, source="api_readability"),
        GraphQLList("references", Reference, source="api_references"),
        GraphQLList(
            "change_log",
            lambda: ChangeLogEntry,
            source="api_change_log",
            description="Published changes, newest first.",
        ),
        GraphQLString(
            "json_ld",
            required=True,
            source="api_json_ld",
            description="schema.org JSON-LD (MedicalWebPage and FAQPage) for the page's <head>.",
        ),
    ]

    # The guide's own columns each field above reads when it is not the column
    # of its name; a query loads only the columns its fields read
    # (cms/graphql/reader_columns.py). A field missing here (jsonLd) loads them all.
    graphql_field_columns = {
        "url": (),
        "cancerTypes": (),
        "audiences": (),
        "quickAnswerTree": ("quick_answer",),
        "disclaimerTree": ("disclaimer",),
        "faqs": ("body",),  # the FAQs placed in the body come first
        "references": (),
        "relatedGuides": (),
        "hub": (),
        "reviewStatus": ("next_review_due",),
        "changeLog": (),
        "readability": (
            "readability_grade",
            "reading_ease",
            "smog_grade",
            "word_count",
            "reading_time_minutes",
        ),
    }

    # Wagtail's REST API (/api/v2/pages/): what a frontend needs to show a guide.
    api_fields = [
        APIField("standfirst"),
        APIField("summary"),
        APIField("published_date"),
        APIField("category", serializer=api.TermSerializer()),
        APIField("publisher", serializer=api.PublisherSerializer(allow_null=True)),
        APIField("cancer_types", serializer=api.TermSerializer(many=True)),
        APIField("audiences", serializer=api.TermSerializer(many=True)),
        APIField("key_highlights", serializer=api.StreamTextsField()),
        APIField("important_facts", serializer=api.StreamTextsField()),
        APIField("quick_answer", serializer=api.RichTextHTMLField()),
        APIField("hero_image", serializer=ImageRenditionField("width-640")),
        APIField("body", serializer=api.BodyField()),
        APIField("faqs", serializer=api.GuideFAQsField(source="faq_placements")),
        APIField("disclaimer", serializer=api.DisclaimerField()),
        APIField("related_guides", serializer=api.RelatedGuidesField(source="related_guide_links")),
        APIField("references", serializer=api.ReferencesField()),
        APIField("last_reviewed"),
        APIField("next_review_due"),
        APIField("readability_grade"),
        APIField("word_count"),
        APIField("reading_time_minutes"),
    ]

    parent_page_types = ["guides.GuideIndexPage"]
    subpage_types = []
    base_form_class = GuidePageForm

    class Meta:
        verbose_name = "guide"
        # Lists are newest first: with this index a page of a hub of thousands
        # of guides reads a page's worth of rows, not the whole hub.
        indexes = [models.Index(fields=["-published_date"], name="guide_newest_first")]

    def reader_text(self):
        """Everything a reader reads on the guide, as plain text."""
        return reader_text(
            self.title,
            self.standfirst,
            self.summary,
            self.quick_answer,
            self.key_highlights,
            self.important_facts,
            self.body,
        )

    def clean(self):
        super().clean()
        measured = readability.measure(self.reader_text())
        self.readability_grade = measured.grade if measured else None
        self.reading_ease = measured.reading_ease if measured else None
        self.smog_grade = measured.smog if measured else None
        self.word_count = measured.word_count if measured else None
        self.reading_time_minutes = measured.reading_time_minutes if measured else None

    def api_readability(self, info, **kwargs):
        if self.readability_grade is None:
            return None
        return ReadabilityResult(
            grade=self.readability_grade,
            reading_ease=self.reading_ease,
            smog=self.smog_grade,
            word_count=self.word_count,
            reading_time_minutes=self.reading_time_minutes,
        )

    def api_json_ld(self, info, **kwargs):
        return json.dumps(guide_json_ld(self, info.context), ensure_ascii=False)

    def api_references(self, info, **kwargs):
        return [
            Reference(
                number=number,
                title=ref.title,
                source=ref.source or None,
                year=ref.year,
                url=ref.url or None,
                doi=ref.doi or None,
                pmid=ref.pmid or None,
                accessed=ref.accessed,
            )
            for number, ref in enumerate(self.references.all(), start=1)
        ]

    def api_change_log(self, info, **kwargs):
        return [
            ChangeLogEntry(
                type=entry.change_type, date=entry.published_at.date(), summary=entry.summary
            )
            for entry in self.change_log.all()
        ]

    def api_cancer_types(self, info, **kwargs):
        return list(self.cancer_types.all())

    def api_audiences(self, info, **kwargs):
        return list(self.audiences.all())

    def api_key_highlights(self, info, **kwargs):
        return [child.value for child in self.key_highlights]

    def api_important_facts(self, info, **kwargs):
        return [child.value for child in self.important_facts]

    def faqs_in_order(self):
        """The FAQs placed in the body, in body order, then the FAQs tab's others."""
        faqs = [
            faq
            for block in self.body
            if block.block_type == "faqs"
            for faq in block.value["faqs"]
            if faq is not None
        ]
        faqs += [placement.faq for placement in self.faq_placements.all()]
        # Each FAQ once, where it first appears.
        return list({faq.pk: faq for faq in faqs}.values())

    def api_faqs(self, info, **kwargs):
        return [faq for faq in self.faqs_in_order() if is_visible(faq, info.context)]

    def api_disclaimer(self, info, **kwargs):
        if self.disclaimer:
            return self.disclaimer
        return SiteSettings.load(request_or_site=info.context).default_disclaimer or None

    def api_related_guides(self, info, **kwargs):
        links = self.related_guide_links.all()
        # Every linked guide, hidden ones too: publishing one changes this list.
        cache_tags.record_page_ids(link.guide_id for link in links)
        guides = [link.visible_guide_or_none for link in links]
        return [guide for guide in guides if is_visible(guide, info.context)]

    def api_hub(self, info, **kwargs):
        hub = getattr(self, "_api_hub", None)
        if hub is None:
            hub = self.get_parent().specific
        return hub if is_visible(hub, info.context) else None


def _faq_model():
    return FAQ
