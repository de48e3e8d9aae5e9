from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "guides"

    def ready(self):
        from wagtail.signals import page_published

        from guides.change_log import record_publish
        from guides.models import GuidePage

        page_published.connect(record_publish, sender=GuidePage, dispatch_uid="guide-change-log")
