"""The home page."""

from django.db import models
from grapple.models import GraphQLString
from grapple.registry import registry
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.models import Orderable, Page

from cms.graphql.fields import GraphQLList
from cms.publishing.preview import HeadlessPreview
from cms.site_settings import SiteSettings  # noqa: F401  (moved to cms; old import path)
from cms.visibility import is_visible


class HomePage(HeadlessPreview, Page):
    """The root of the site: a welcome and the hubs and guides to start from."""

    # The CMS serves no public site; this plain page is for editors' preview.
    template = "page_preview.html"

    hero_title = models.CharField(
        max_length=120, blank=True, help_text="Large heading; the page title is used when blank."
    )
    hero_text = models.TextField(blank=True, help_text="One or two sentences under the heading.")

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("hero_title"), FieldPanel("hero_text")], heading="Hero"),
        InlinePanel("featured_hub_links", label="Featured hub", heading="Featured hubs"),
        InlinePanel("featured_guide_links", label="Featured guide", heading="Featured guides"),
    ]

    graphql_fields = [
        GraphQLString("hero_title", required=True, source="api_hero_title"),
        GraphQLString("hero_text"),
        GraphQLList(
            "featured_hubs", lambda: _page_type("guides.GuideIndexPage"), source="api_featured_hubs"
        ),
        GraphQLList(
            "featured_guides", lambda: _page_type("guides.GuidePage"), source="api_featured_guides"
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["guides.GuideIndexPage", "faqs.FAQIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def api_hero_title(self, info, **kwargs):
        return self.hero_title or self.title

    def api_featured_hubs(self, info, **kwargs):
        links = self.featured_hub_links.select_related("hub")
        return [link.hub for link in links if is_visible(link.hub, info.context)]

    def api_featured_guides(self, info, **kwargs):
        from guides.queries import prefetch_guides

        links = self.featured_guide_links.select_related("guide", "guide__category")
        return prefetch_guides(
            [link.guide for link in links if is_visible(link.guide, info.context)]
        )


def _page_type(model_label):
    from django.apps import apps

    return registry.pages[apps.get_model(model_label)]


class FeaturedHub(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_hub_links")
    hub = models.ForeignKey("guides.GuideIndexPage", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("hub")]


class FeaturedGuide(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_guide_links")
    guide = models.ForeignKey("guides.GuidePage", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("guide")]
