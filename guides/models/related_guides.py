"""Guides suggested at the end of another."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import PageChooserPanel
from wagtail.models import Orderable


class RelatedGuide(Orderable):
    """A guide suggested at the end of another."""

    page = ParentalKey(
        "guides.GuidePage", on_delete=models.CASCADE, related_name="related_guide_links"
    )
    guide = models.ForeignKey("guides.GuidePage", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("guide", "guides.GuidePage")]
