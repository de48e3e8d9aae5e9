"""Topic hubs: the index pages that list their guides, newest first."""

import graphene
from django.core.exceptions import ValidationError
from django.db import models
from grapple.models import (
    GraphQLField,
    GraphQLRichText,
    GraphQLString,
)
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.publishing.clinical import ClinicalPublishingPage
from cms.publishing.preview import HeadlessPreview
from cms.rich_text.graphql import GraphQLRichTextTree
from cms.site_settings import CallToAction
from cms.visibility import is_visible


class GuideIndexPage(ClinicalPublishingPage, HeadlessPreview, Page):
    """A topic hub, e.g. 'Cancer Care > Second Opinion', listing its guides newest first."""

    # What a rich-text link to this page is in the API's document trees.
    rich_text_link_kind = "HUB"
    # The CMS serves no public site; this plain page is for editors' preview.
    template = "page_preview.html"
    # The `guides` field's type and resolver, set by guides.queries: the list
    # machinery reads these models, and cannot be imported while they load.
    guide_list_type = None
    list_guides = None

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
        GraphQLRichTextTree("intro"),
        GraphQLField(
            "closing_call_to_action", lambda: CallToAction, source="api_closing_call_to_action"
        ),
        (
            GraphQLField(
                "guides", lambda: GuideIndexPage.guide_list_type, required=True, source="api_guides"
            ),
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
        return type(self).list_guides(info, hub=self, page=page, per_page=per_page)
