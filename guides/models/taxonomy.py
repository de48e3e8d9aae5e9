"""The taxonomies editors tag guides with, which frontends filter by."""

from django.db import models
from django.utils.text import slugify
from grapple.models import (
    GraphQLString,
)
from wagtail.admin.panels import (
    FieldPanel,
)


class TaxonomyTerm(models.Model):
    """A named term with a slug that frontends filter by."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        blank=True,
        help_text="Used in API filters. Left blank, it is made from the name.",
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]
    graphql_fields = [GraphQLString("name", required=True), GraphQLString("slug", required=True)]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class GuideCategory(TaxonomyTerm):
    """The kind of guide, e.g. Communication Guide, Decision Guide, Caregiver Guide."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = "guide category"
        verbose_name_plural = "guide categories"


class CancerType(TaxonomyTerm):
    """A cancer type a guide is about, e.g. lymphoma or multiple myeloma."""

    code = models.CharField(
        max_length=20,
        blank=True,
        help_text="Optional clinical code, e.g. C90.0 for multiple myeloma.",
    )
    coding_system = models.CharField(
        max_length=20, blank=True, default="ICD-10", help_text="The system the code comes from."
    )

    panels = [*TaxonomyTerm.panels, FieldPanel("code"), FieldPanel("coding_system")]

    class Meta(TaxonomyTerm.Meta):
        verbose_name = "cancer type"


class Audience(TaxonomyTerm):
    """Who a guide is written for, e.g. patients, caregivers, international patients."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = "audience"
