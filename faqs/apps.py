from django.apps import AppConfig


class FaqsConfig(AppConfig):
    name = "faqs"
    verbose_name = "FAQs"

    def ready(self):
        from grapple.registry import registry

        from cms import sync
        from cms.rich_text.links import load_pages, page_link_ids
        from faqs.models import FAQ, FAQTopic

        def load_faqs(ids, _selection):
            faqs = list(
                FAQ.objects.filter(pk__in=ids).select_related("topic", "reviewed_by", "author")
            )
            load_pages(page_link_ids(faq.answer for faq in faqs))  # their links, at once
            return faqs

        # Offline apps sync FAQs (cms/sync/).
        sync.register_kind(
            "FAQ",
            FAQ,
            "faq",
            lambda: registry.snippets[FAQ],
            "The FAQ, when `kind` is FAQ.",
            load_faqs,
        )
        sync.register_dependency(FAQTopic)  # FAQs show their topic
