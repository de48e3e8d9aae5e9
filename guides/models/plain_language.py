"""The plain-language list: medical words editors replace with everyday ones."""

from django.db import models
from wagtail.admin.panels import FieldPanel


class PlainLanguageTerm(models.Model):
    """A word patients may not know, and the plain words to say instead."""

    term = models.CharField(
        max_length=80, unique=True, help_text="The medical word, e.g. “metastasis”."
    )
    alternative = models.CharField(
        max_length=200,
        help_text="What to write instead, e.g. “spread to other parts of the body”.",
    )
    note = models.CharField(
        max_length=300, blank=True, help_text="Optional: when the medical word is still right."
    )

    panels = [FieldPanel("term"), FieldPanel("alternative"), FieldPanel("note")]

    class Meta:
        ordering = ["term"]
        verbose_name = "plain-language term"

    def __str__(self):
        return self.term
