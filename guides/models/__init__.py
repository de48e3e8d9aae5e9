"""Guides, the topic hubs that list them, and the taxonomies editors tag them
with: one module per concept, all importable from here."""

# Imported in the order the models were first defined in one module: Django
# orders reverse relations, and grapple the schema's types, by that order, and
# the checked-in schema.graphql pins it.
# ruff: noqa: I001
from guides.models.taxonomy import Audience, CancerType, GuideCategory, TaxonomyTerm
from guides.models.publishers import Publisher
from guides.models.hubs import GuideIndexPage
from guides.models.guide_faqs import GuideFAQ
from guides.models.references import CITATION, DOI_PATTERN, PMID_PATTERN, GuideReference, Reference
from guides.models.related_guides import RelatedGuide
from guides.models.change_log import ChangeLogEntry, ChangeType, GuideChange
from guides.models.plain_language import PlainLanguageTerm
from guides.models.guides import (
    GUIDE_REVIEW_PANELS,
    SUMMARY_MAX_LENGTH,
    GuidePage,
    GuidePageForm,
    reader_text,
)
from guides.clinical_review import ClinicalReviewTask
from guides.readability import ReadabilityPanel, ReadabilityResult
from cms.site_settings import CallToAction

__all__ = [
    "CITATION",
    "DOI_PATTERN",
    "GUIDE_REVIEW_PANELS",
    "PMID_PATTERN",
    "SUMMARY_MAX_LENGTH",
    "Audience",
    "CallToAction",
    "CancerType",
    "ChangeLogEntry",
    "ChangeType",
    "ClinicalReviewTask",
    "GuideCategory",
    "GuideChange",
    "GuideFAQ",
    "GuideIndexPage",
    "GuidePage",
    "GuidePageForm",
    "GuideReference",
    "PlainLanguageTerm",
    "Publisher",
    "ReadabilityPanel",
    "ReadabilityResult",
    "Reference",
    "RelatedGuide",
    "TaxonomyTerm",
    "reader_text",
]
