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
