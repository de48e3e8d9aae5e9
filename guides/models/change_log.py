"""The public change log's kinds of change and its entries (written by guides.change_log)."""

import graphene
from django.db import models

from cms.models import ChangeType

__all__ = ["ChangeLogEntry", "ChangeType", "GuideChange"]


class ChangeLogEntry(graphene.ObjectType):
    type = graphene.Field(graphene.Enum.from_enum(ChangeType, name="ChangeType"), required=True)
    date = graphene.Date(required=True)
    summary = graphene.String(required=True, description="Empty for minor edits.")


class GuideChange(models.Model):
    """One published change to a guide, as readers see it in its change log.
    Written when a revision is published; never edited through the page form,
    so publishing an older revision cannot rewrite history."""

    guide = models.ForeignKey(
        "guides.GuidePage", on_delete=models.CASCADE, related_name="change_log"
    )
    change_type = models.CharField(max_length=20, choices=ChangeType.choices)
    summary = models.CharField(max_length=250, blank=True)
    published_at = models.DateTimeField()
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return f"{self.get_change_type_display()} on {self.published_at:%d %B %Y}"
