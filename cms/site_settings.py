"""The settings that apply to the whole site, and the call-to-action type
pages and settings share in GraphQL."""

import graphene
from django.db import models
from grapple.models import GraphQLField, GraphQLRichText
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField

from cms import visibility
from cms.caching import cache_tags
from cms.rich_text.graphql import GraphQLRichTextTree
from cms.visibility import site_facts


class CallToAction(graphene.ObjectType):
    heading = graphene.String(required=True)
    text = graphene.String()
    button_label = graphene.String()
    url = graphene.String()


@register_setting(icon="cog")
class SiteSettings(BaseGenericSetting):
    """Text every guide and page can fall back on."""

    default_disclaimer = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="Shown on every guide that has no disclaimer of its own.",
    )
    contact_heading = models.CharField(
        max_length=120, blank=True, help_text="e.g. 'Need to talk to someone?'"
    )
    contact_text = models.TextField(blank=True)
    contact_button_label = models.CharField(max_length=60, blank=True)
    contact_url = models.URLField(blank=True, help_text="Where the contact button goes.")

    panels = [
        FieldPanel("default_disclaimer"),
        MultiFieldPanel(
            [
                FieldPanel("contact_heading"),
                FieldPanel("contact_text"),
                FieldPanel("contact_button_label"),
                FieldPanel("contact_url"),
            ],
            heading="Contact call to action",
        ),
    ]

    graphql_fields = [
        GraphQLRichText("default_disclaimer"),
        GraphQLRichTextTree("default_disclaimer"),
        GraphQLField("contact_call_to_action", lambda: CallToAction, source="api_contact"),
    ]

    class Meta:
        app_label = "cms"
        # The table it had in the home app, where it began (cms migration 0004).
        db_table = "home_sitesettings"
        verbose_name = "site settings"

    @classmethod
    def load(cls, request_or_site=None):
        # One row every answer with a disclaimer reads: kept between requests
        # until it is saved (cms/visibility/site_facts.py).
        settings = site_facts.read(
            "site settings",
            visibility.request_memo(request_or_site),
            lambda: (super(SiteSettings, cls).load(request_or_site=request_or_site), None),
        )
        cache_tags.record_object(settings)  # answers that fall back on it change with it
        return settings

    def api_contact(self, info, **kwargs):
        if not self.contact_heading:
            return None
        return CallToAction(
            heading=self.contact_heading,
            text=self.contact_text,
            button_label=self.contact_button_label,
            url=self.contact_url or None,
        )


site_facts.fact("site settings", cache_tags.collection_tags(SiteSettings))
