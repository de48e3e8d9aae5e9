"""Guides, the topic hubs that list them, and the taxonomies editors tag them with."""

import datetime
import json
import re

import graphene
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.html import strip_tags
from django.utils.text import slugify
from grapple.models import (
    GraphQLField,
    GraphQLForeignKey,
    GraphQLImage,
    GraphQLRichText,
    GraphQLSnippet,
    GraphQLStreamfield,
    GraphQLString,
)
from grapple.registry import registry
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    Panel,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import AbstractGroupApprovalTask, Orderable, Page
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index

from cms import api
from cms.graphql.fields import GraphQLList
from cms.models import ClinicallyReviewed
from cms.preview import HeadlessPreview
from cms.visibility import is_visible
from guides import readability
from guides.blocks import GuideBodyBlock

SUMMARY_MAX_LENGTH = 600


class TaxonomyTerm(models.Model):
    """A named term with a slug that frontends filter by."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        blank=True,
        help_text="Used in API filters. Left blank, it is made from the name.",
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]
    graphql_fields = [GraphQLString("name", required=True), GraphQLString("slug", required=True)]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class GuideCategory(TaxonomyTerm):
    """The kind of guide, e.g. Communication Guide, Decision Guide, Caregiver Guide."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = "guide category"
        verbose_name_plural = "guide categories"


class CancerType(TaxonomyTerm):
    """A cancer type a guide is about, e.g. lymphoma or multiple myeloma."""

    code = models.CharField(
        max_length=20,
        blank=True,
        help_text="Optional clinical code, e.g. C90.0 for multiple myeloma.",
    )
    coding_system = models.CharField(
        max_length=20, blank=True, default="ICD-10", help_text="The system the code comes from."
    )

    panels = [*TaxonomyTerm.panels, FieldPanel("code"), FieldPanel("coding_system")]

    class Meta(TaxonomyTerm.Meta):
        verbose_name = "cancer type"


class Audience(TaxonomyTerm):
    """Who a guide is written for, e.g. patients, caregivers, international patients."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = "audience"


class Publisher(models.Model):
    """The organisation that publishes a guide and stands behind it."""

    name = models.CharField(max_length=120, unique=True)
    url = models.URLField(blank=True, help_text="The publisher's home page.")

    panels = [FieldPanel("name"), FieldPanel("url")]
    graphql_fields = [GraphQLString("name", required=True), GraphQLString("url")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def _guide_type():
    return registry.pages[GuidePage]


def _guide_list_type():
    from guides.queries import GuideList

    return GuideList


class GuideIndexPage(HeadlessPreview, Page):
    """A topic hub, e.g. 'Cancer Care > Second Opinion', listing its guides newest first."""

    # The CMS serves no public site; this plain page is for editors' preview.
    template = "page_preview.html"

    eyebrow = models.CharField(
        max_length=80, blank=True, help_text="Section label above the title, e.g. 'Cancer Care'."
    )
    tagline = models.CharField(max_length=200, blank=True, help_text="One line under the title.")
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    cta_heading = models.CharField("heading", max_length=120, blank=True)
    cta_text = models.TextField("text", blank=True)
    cta_button_label = models.CharField("button label", max_length=60, blank=True)
    cta_page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="page",
    )
    cta_url = models.URLField("web address", blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("eyebrow"),
        FieldPanel("tagline"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("cta_heading"),
                FieldPanel("cta_text"),
                FieldPanel("cta_button_label"),
                PageChooserPanel("cta_page"),
                FieldPanel("cta_url"),
            ],
            heading="Closing call to action",
            help_text="Shown after the list of guides. Link to a page or a web address.",
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("tagline"), index.SearchField("intro")]

    graphql_fields = [
        GraphQLString("eyebrow"),
        GraphQLString("tagline"),
        GraphQLRichText("intro"),
        GraphQLField(
            "closing_call_to_action", lambda: CallToAction, source="api_closing_call_to_action"
        ),
        (
            GraphQLField("guides", _guide_list_type, required=True, source="api_guides"),
            lambda field_type: graphene.Field(
                field_type,
                page=graphene.Int(description="1-based page number."),
                per_page=graphene.Int(
                    description="Guides per page, at most the configured maximum."
                ),
                description="This hub's live guides, newest first.",
            ),
        ),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["guides.GuidePage"]

    class Meta:
        verbose_name = "guide hub"

    def clean(self):
        super().clean()
        filled = [
            self.cta_heading,
            self.cta_text,
            self.cta_button_label,
            self.cta_page_id,
            self.cta_url,
        ]
        if not any(filled):
            return
        errors = {}
        if not self.cta_heading:
            errors["cta_heading"] = "Give the call to action a heading, or clear all its fields."
        if not self.cta_button_label:
            errors["cta_button_label"] = "Give the button a label, e.g. 'Contact our team'."
        if bool(self.cta_page_id) == bool(self.cta_url):
            message = "Choose either a page or a web address for the button, not both."
            errors["cta_page"] = errors["cta_url"] = message
        if errors:
            raise ValidationError(errors)

    def api_closing_call_to_action(self, info, **kwargs):
        if not self.cta_heading:
            return None
        page = self.cta_page if is_visible(self.cta_page, info.context) else None
        return CallToAction(
            heading=self.cta_heading,
            text=self.cta_text,
            button_label=self.cta_button_label,
            url=page.url if page else (self.cta_url or None),
        )

    def api_guides(self, info, page=None, per_page=None, **kwargs):
        from guides.queries import guide_list

        return guide_list(info, hub=self, page=page, per_page=per_page)


class CallToAction(graphene.ObjectType):
    heading = graphene.String(required=True)
    text = graphene.String()
    button_label = graphene.String()
    url = graphene.String()


class GuideFAQ(Orderable):
    """An FAQ placed in a guide's FAQ section."""

    page = ParentalKey("guides.GuidePage", on_delete=models.CASCADE, related_name="faq_placements")
    faq = models.ForeignKey(
        "faqs.FAQ", on_delete=models.CASCADE, related_name="+", verbose_name="FAQ"
    )

    panels = [FieldPanel("faq")]


DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_PATTERN = re.compile(r"^[1-9]\d{0,8}$")
CITATION = re.compile(r"\[(\d+)\]")


class GuideReference(Orderable):
    """A source the guide relies on. Body text cites it by its number, e.g. [1]."""

    page = ParentalKey("guides.GuidePage", on_delete=models.CASCADE, related_name="references")
    title = models.CharField(max_length=300, help_text="Title of the article, guideline or page.")
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="Journal or organisation, e.g. 'Lancet Oncology' or 'NICE'.",
    )
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    url = models.URLField("web address", max_length=500, blank=True)
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        help_text="e.g. 10.1056/NEJMoa2102758 (without https://doi.org/).",
    )
    pmid = models.CharField(
        "PubMed ID", max_length=9, blank=True, help_text="Digits only, e.g. 34379901."
    )
    accessed = models.DateField("date accessed", null=True, blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("source"),
        FieldPanel("year"),
        FieldPanel("url"),
        FieldPanel("doi"),
        FieldPanel("pmid"),
        FieldPanel("accessed"),
    ]

    graphql_fields = [
        GraphQLString("title", required=True),
        GraphQLString("source"),
        GraphQLField("year", graphene.Int),
        GraphQLString("url"),
        GraphQLString("doi"),
        GraphQLString("pmid"),
        GraphQLField("accessed", graphene.Date),
    ]

    def clean(self):
        super().clean()
        errors = {}
        self.doi = self.doi.strip().removeprefix("https://doi.org/").removeprefix("doi:")
        if self.doi and not DOI_PATTERN.match(self.doi):
            errors["doi"] = "Enter a DOI like 10.1056/NEJMoa2102758."
        self.pmid = self.pmid.strip()
        if self.pmid and not PMID_PATTERN.match(self.pmid):
            errors["pmid"] = "A PubMed ID is 1 to 9 digits, e.g. 34379901."
        if not (self.url or self.doi or self.pmid):
            errors["url"] = (
                "Give a web address, a DOI or a PubMed ID so readers can find the source."
            )
        if errors:
            raise ValidationError(errors)


class Reference(graphene.ObjectType):
    number = graphene.Int(required=True, description="What body text cites, e.g. [1].")
    title = graphene.String(required=True)
    source = graphene.String()
    year = graphene.Int()
    url = graphene.String()
    doi = graphene.String()
    pmid = graphene.String()
    accessed = graphene.Date()


class RelatedGuide(Orderable):
    """A guide suggested at the end of another."""

    page = ParentalKey(
        "guides.GuidePage", on_delete=models.CASCADE, related_name="related_guide_links"
    )
    guide = models.ForeignKey("guides.GuidePage", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("guide", "guides.GuidePage")]


def reader_text(title, standfirst, summary, quick_answer, key_highlights, important_facts, body):
    parts = [
        f"{title}.",
        standfirst,
        summary,
        get_text_for_indexing(quick_answer or ""),
        *(f"{child.value}." for child in key_highlights),
        *(f"{child.value}." for child in important_facts),
        *body.stream_block.get_searchable_content(body),
    ]
    return "\n".join(strip_tags(part) for part in parts if part)


class GuidePageForm(WagtailAdminPageForm):
    """Checks that every [n] the text cites has a reference on the References tab,
    and that a clinical change says what changed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.instance
        if page.pk and page.live and not page.has_unpublished_changes:
            # The summary on the page describes the change already published:
            # a new edit starts a new entry.
            self.initial["change_type"] = ChangeType.MINOR_EDIT
            self.initial["change_summary"] = ""

    def add_error(self, field, error):
        # The reviewer is read-only here, so "reviewer is the author" is the author's to fix.
        errors = getattr(error, "error_dict", {})
        if field is None and "reviewed_by" in errors and "reviewed_by" not in self.fields:
            del errors["reviewed_by"]
            super().add_error(
                "author",
                "The author cannot be this guide's clinical reviewer: choose someone else.",
            )
            if not errors:
                return
        super().add_error(field, error)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("change_type") in (
            ChangeType.CLINICAL_UPDATE,
            ChangeType.FULL_REVIEW,
        ) and not cleaned_data.get("change_summary"):
            self.add_error(
                "change_summary",
                "Say in one sentence what changed: readers see it in the guide's change log.",
            )
        fields = (
            "standfirst",
            "summary",
            "quick_answer",
            "key_highlights",
            "important_facts",
            "body",
        )
        if any(name not in cleaned_data for name in (*fields, "title")):
            return cleaned_data  # other errors first
        text = reader_text(cleaned_data["title"], *(cleaned_data[name] for name in fields))
        formset = self.formsets["references"]
        available = sum(
            1
            for form in formset.forms
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        )
        missing = sorted(
            number
            for number in {int(n) for n in CITATION.findall(text)}
            if not 1 <= number <= available
        )
        if missing:
            listed = ", ".join(f"[{number}]" for number in missing)
            self.add_error(
                None,
                f"The text cites {listed} but the guide has {available} reference(s). "
                "Add the reference on the References tab or correct the number.",
            )
        return cleaned_data


class ReadabilityPanel(Panel):
    """Shows the last measured readability beside the target, in the edit view."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "guides/readability_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context.update(
                readability_grade=page.readability_grade,
                reading_ease=page.reading_ease,
                smog_grade=page.smog_grade,
                word_count=page.word_count,
                reading_time_minutes=page.reading_time_minutes,
                target=readability.TARGET_GRADE,
                over_target=page.readability_grade is not None
                and page.readability_grade > readability.TARGET_GRADE,
            )
            return context


class ChangeType(models.TextChoices):
    NEW = "new", "New guide"
    MINOR_EDIT = "minor_edit", "Minor edit (wording, links, layout)"
    CLINICAL_UPDATE = "clinical_update", "Clinical update (facts or advice changed)"
    FULL_REVIEW = "full_review", "Full review (every fact checked again)"


class ReadabilityResult(graphene.ObjectType):
    grade = graphene.Float(required=True, description="Flesch-Kincaid grade level.")
    reading_ease = graphene.Float(required=True, description="Flesch reading ease, 0 to 100+.")
    smog = graphene.Float(description="SMOG grade; null under 30 sentences.")
    word_count = graphene.Int(required=True)
    reading_time_minutes = graphene.Int(required=True)


# Only an approved clinical review sets who reviewed a guide and when
# (guides.clinical_review); an ordinary edit cannot change them.
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


class GuidePage(HeadlessPreview, ClinicallyReviewed, Page):
    """A patient-facing guide: what it covers at a glance, then the full text."""

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
        choices=[choice for choice in ChangeType.choices if choice[0] != ChangeType.NEW],
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
                FieldPanel("cancer_types"),
                FieldPanel("audiences"),
            ],
            heading="Labels and filters",
            help_text="Shown on guide cards; frontends filter guides by these.",
        ),
        FieldPanel("quick_answer"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("change_type"), FieldPanel("change_summary")],
            heading="About this change",
            help_text="Shown to readers in the guide's change log when you publish.",
        ),
    ]
    highlights_panels = [
        FieldPanel("key_highlights"),
        FieldPanel("important_facts"),
        ReadabilityPanel(heading="Readability"),
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
        GraphQLImage("hero_image"),
        GraphQLStreamfield("body", required=True),
        GraphQLList("faqs", lambda: registry.snippets[_faq_model()], source="api_faqs"),
        GraphQLRichText("disclaimer", source="api_disclaimer"),
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
        from guides.structured_data import guide_json_ld

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

    def api_faqs(self, info, **kwargs):
        return [placement.faq for placement in self.faq_placements.all() if placement.faq.live]

    def api_disclaimer(self, info, **kwargs):
        if self.disclaimer:
            return self.disclaimer
        from home.models import SiteSettings

        return SiteSettings.load(request_or_site=info.context).default_disclaimer or None

    def api_related_guides(self, info, **kwargs):
        return [
            link.guide
            for link in self.related_guide_links.all()
            if is_visible(link.guide, info.context)
        ]

    def api_hub(self, info, **kwargs):
        hub = getattr(self, "_api_hub", None)
        if hub is None:
            hub = self.get_parent().specific
        return hub if is_visible(hub, info.context) else None


class ChangeLogEntry(graphene.ObjectType):
    type = graphene.Field(graphene.Enum.from_enum(ChangeType, name="ChangeType"), required=True)
    date = graphene.Date(required=True)
    summary = graphene.String(required=True, description="Empty for minor edits.")


class GuideChange(models.Model):
    """One published change to a guide, as readers see it in its change log.
    Written when a revision is published; never edited through the page form,
    so publishing an older revision cannot rewrite history."""

    guide = models.ForeignKey(GuidePage, on_delete=models.CASCADE, related_name="change_log")
    change_type = models.CharField(max_length=20, choices=ChangeType.choices)
    summary = models.CharField(max_length=250, blank=True)
    published_at = models.DateTimeField()
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return f"{self.get_change_type_display()} on {self.published_at:%d %B %Y}"


class ClinicalReviewTask(AbstractGroupApprovalTask):
    """Approval by a clinical reviewer. Approving a guide records the reviewer
    and today's date as its last clinical review (guides.clinical_review)."""

    def get_actions(self, obj, user):
        from guides.clinical_review import approval_refusal

        actions = super().get_actions(obj, user)
        if actions and approval_refusal(obj, user):
            # The modal explains why this reviewer cannot approve this guide.
            return [action for action in actions if action[0] != "approve" or action[2]]
        return actions

    def get_template_for_action(self, action):
        return "guides/clinical_review_action.html" if action == "approve" else ""

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            from guides.clinical_review import record_review

            record_review(task_state.workflow_state.content_object, user)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return "Members of the chosen groups approve; approving records the clinical review."

    class Meta:
        verbose_name = "clinical review task"
        verbose_name_plural = "clinical review tasks"


def _faq_model():
    from faqs.models import FAQ

    return FAQ
