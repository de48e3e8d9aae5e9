from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "guides"

    def ready(self):
        from django.db.models.signals import pre_delete
        from wagtail.signals import page_published, published

        from faqs.models import FAQ
        from guides.change_log import record_faq_deletion, record_faq_publish, record_publish
        from guides.models import GuidePage

        page_published.connect(record_publish, sender=GuidePage, dispatch_uid="guide-change-log")
        published.connect(record_faq_publish, sender=FAQ, dispatch_uid="faq-guides-change-log")
        # Before the delete, while the reference index still knows where the FAQ is used.
        pre_delete.connect(record_faq_deletion, sender=FAQ, dispatch_uid="faq-deleted-change-log")
        register_sync_kinds()


def register_sync_kinds():
    """What offline apps sync of this app (cms/sync/): guides and hubs with
    what their selected fields read prefetched, and the taxonomy terms."""
    from grapple.registry import registry

    from cms import sync
    from guides.models import Audience, CancerType, GuideCategory, GuideIndexPage, GuidePage
    from guides.queries import guide_queryset, hub_list, prefetch_guides

    def load_guides(ids, selection):
        guides = list(guide_queryset(selection, visible_only=False).filter(pk__in=ids))
        return prefetch_guides(guides, selection)

    def load_hubs(ids, _selection):
        return hub_list(GuideIndexPage.objects.filter(pk__in=ids).select_related("cta_page"))

    sync.register_kind(
        "GUIDE",
        GuidePage,
        "guide",
        lambda: registry.pages[GuidePage],
        "The guide, when `kind` is GUIDE.",
        load_guides,
    )
    sync.register_kind(
        "HUB",
        GuideIndexPage,
        "hub",
        lambda: registry.pages[GuideIndexPage],
        "The hub, when `kind` is HUB.",
        load_hubs,
    )
    for name, model, field in (
        ("GUIDE_CATEGORY", GuideCategory, "guide_category"),
        ("CANCER_TYPE", CancerType, "cancer_type"),
        ("AUDIENCE", Audience, "audience"),
    ):
        sync.register_kind(
            name,
            model,
            field,
            lambda model=model: registry.snippets[model],
            f"The term, when `kind` is {name}.",
        )
