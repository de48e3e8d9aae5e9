"""The sources a guide relies on, cited in its text by number, e.g. [1]."""

import re

import graphene
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from grapple.models import (
    GraphQLField,
    GraphQLString,
)
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
)
from wagtail.models import Orderable

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_PATTERN = re.compile(r"^[1-9]\d{0,8}$")
CITATION = re.compile(r"\[(\d+)\]")


class GuideReference(Orderable):
    """A source the guide relies on. Body text cites it by its number, e.g. [1]."""

    page = ParentalKey("guides.GuidePage", on_delete=models.CASCADE, related_name="references")
    title = models.CharField(max_length=300, help_text="Title of the article, guideline or page.")
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="Journal or organisation, e.g. 'Lancet Oncology' or 'NICE'.",
    )
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    url = models.URLField("web address", max_length=500, blank=True)
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        help_text="e.g. 10.1056/NEJMoa2102758 (without https://doi.org/).",
    )
    pmid = models.CharField(
        "PubMed ID", max_length=9, blank=True, help_text="Digits only, e.g. 34379901."
    )
    accessed = models.DateField("date accessed", null=True, blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("source"),
        FieldPanel("year"),
        FieldPanel("url"),
        FieldPanel("doi"),
        FieldPanel("pmid"),
        FieldPanel("accessed"),
    ]

    graphql_fields = [
        GraphQLString("title", required=True),
        GraphQLString("source"),
        GraphQLField("year", graphene.Int),
        GraphQLString("url"),
        GraphQLString("doi"),
        GraphQLString("pmid"),
        GraphQLField("accessed", graphene.Date),
    ]

    def clean(self):
        super().clean()
        errors = {}
        self.doi = self.doi.strip().removeprefix("https://doi.org/").removeprefix("doi:")
        if self.doi and not DOI_PATTERN.match(self.doi):
            errors["doi"] = "Enter a DOI like 10.1056/NEJMoa2102758."
        self.pmid = self.pmid.strip()
        if self.pmid and not PMID_PATTERN.match(self.pmid):
            errors["pmid"] = "A PubMed ID is 1 to 9 digits, e.g. 34379901."
        if not (self.url or self.doi or self.pmid):
            errors["url"] = (
                "Give a web address, a DOI or a PubMed ID so readers can find the source."
            )
        if errors:
            raise ValidationError(errors)


class Reference(graphene.ObjectType):
    number = graphene.Int(required=True, description="What body text cites, e.g. [1].")
    title = graphene.String(required=True)
    source = graphene.String()
    year = graphene.Int()
    url = graphene.String()
    doi = graphene.String()
    pmid = graphene.String()
    accessed = graphene.Date()
