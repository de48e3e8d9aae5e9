"""Serializer fields for Wagtail's REST API (`api_fields` on page models).

Rich text comes out as HTML with links to pages the public may not read
emptied, and lists such as FAQs or related guides drop what the public may not
read, as their GraphQL fields do.
"""

from rest_framework import serializers
from wagtail.blocks import RichTextBlock
from wagtail.rich_text import expand_db_html

from cms.site_settings import SiteSettings
from cms.visibility import is_visible


class RichTextHTMLField(serializers.Field):
    """Stored rich text as HTML, with links to pages the public may not read emptied."""

    def to_representation(self, value):
        return expand_db_html(value) if value else None


class TermSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class PublisherSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.CharField()


class StreamTextsField(serializers.Field):
    """A StreamField of plain text items (highlights, facts) as a list of strings."""

    def to_representation(self, value):
        return [child.value for child in value]


class BodyField(serializers.Field):
    """The guide body as Wagtail's API gives it, with paragraph rich text as HTML."""

    def to_representation(self, value):
        blocks = []
        for child in value:
            if isinstance(child.block, RichTextBlock):
                rendered = expand_db_html(child.value.source)
            else:
                rendered = child.block.get_api_representation(child.value, self.context)
            blocks.append({"type": child.block_type, "id": child.id, "value": rendered})
        return blocks


class GuideFAQsField(serializers.Field):
    """The guide's published FAQs, in order."""

    def to_representation(self, placements):
        return [
            {
                "id": placement.faq.pk,
                "question": placement.faq.question,
                "answer": expand_db_html(placement.faq.answer),
                "topic": TermSerializer(placement.faq.topic).data if placement.faq.topic else None,
            }
            for placement in placements.all()
            if is_visible(placement.faq)
        ]


class RelatedGuidesField(serializers.Field):
    """Related guides the public may read."""

    def to_representation(self, links):
        request = self.context.get("request")
        return [
            {"id": link.guide.pk, "title": link.guide.title, "slug": link.guide.slug}
            for link in links.all()
            if is_visible(link.guide, request)
        ]


class ReferencesField(serializers.Field):
    """References numbered as body text cites them, e.g. [1]."""

    def to_representation(self, references):
        return [
            {
                "number": number,
                "title": ref.title,
                "source": ref.source or None,
                "year": ref.year,
                "url": ref.url or None,
                "doi": ref.doi or None,
                "pmid": ref.pmid or None,
                "accessed": ref.accessed.isoformat() if ref.accessed else None,
            }
            for number, ref in enumerate(references.all(), start=1)
        ]


class DisclaimerField(serializers.Field):
    """The guide's own disclaimer, else the site-wide default."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, page):
        request = self.context.get("request")
        text = page.disclaimer or SiteSettings.load(request_or_site=request).default_disclaimer
        return expand_db_html(text) if text else None
