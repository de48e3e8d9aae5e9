"""Which live guides use an FAQ: an edit or a deletion of the FAQ changes them,
so editors see them before saving and their change logs record it."""

from django.contrib.contenttypes.models import ContentType
from wagtail.admin.panels import Panel
from wagtail.models import Page, ReferenceIndex


def live_pages_using(faq):
    """Live pages that place `faq` (in their FAQ section or a body FAQs block), by
    title. Read from Wagtail's reference index, which the usage view also lists."""
    if faq.pk is None:
        return Page.objects.none()
    page_type = ContentType.objects.get_for_model(Page)
    ids = (
        ReferenceIndex.get_references_to(faq)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    return Page.objects.live().filter(pk__in=[int(pk) for pk in ids]).order_by("title")


class GuidesUsingFAQPanel(Panel):
    """At the top of the FAQ form: the live guides that publishing this FAQ changes."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "faqs/guides_using_faq.html"

        def is_shown(self):
            return self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["guides"] = live_pages_using(self.instance)
            context["action"] = "Publishing this FAQ changes"
            return context
