"""FAQs placed in a guide's FAQ section (the FAQs themselves are the faqs app's)."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class GuideFAQ(Orderable):
    """An FAQ placed in a guide's FAQ section."""

    page = ParentalKey("guides.GuidePage", on_delete=models.CASCADE, related_name="faq_placements")
    faq = models.ForeignKey(
        "faqs.FAQ", on_delete=models.CASCADE, related_name="+", verbose_name="FAQ"
    )

    panels = [FieldPanel("faq")]
