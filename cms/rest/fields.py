"""Serializer fields for Wagtail's REST API (`api_fields` on page models).

Rich text comes out as the HTML GraphQL answers (cms.rich_text.public_html),
and lists such as FAQs or related guides drop what the public may not read, as
their GraphQL fields do. Block values pass the same gate (`public_block_value`):
a chosen page, FAQ, image or document the public may not read is null, or left
out of a list, so not even its id is told.
"""

from rest_framework import serializers
from wagtail import blocks

from cms.rich_text.public_html import public_html
from cms.site_settings import SiteSettings
from cms.visibility import is_visible


class RichTextHTMLField(serializers.Field):
    """Stored rich text as HTML, with links to pages the public may not read emptied."""

    def to_representation(self, value):
        return public_html(value) if value else None


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


def public_block_value(block, value, context=None):
    """A block's value as Wagtail's API gives it, through the visibility gate:
    rich text as public HTML, a chosen object the public may not read as None
    (left out of a list), structures and streams walked to every child."""
    if isinstance(block, blocks.RichTextBlock):
        return public_html(value) or ""
    if isinstance(block, blocks.ChooserBlock):
        return block.get_api_representation(value, context) if _readable(value, context) else None
    if isinstance(block, blocks.ListBlock):
        child = block.child_block
        # Wagtail answers a list as its values; a hidden choice is left out.
        return [
            public_block_value(child, item, context)
            for item in value
            if not isinstance(child, blocks.ChooserBlock) or _readable(item, context)
        ]
    if isinstance(block, blocks.StructBlock):
        return {
            name: public_block_value(block.child_blocks[name], child, context)
            for name, child in value.items()
            if name in block.child_blocks
        }
    if isinstance(block, blocks.StreamBlock):
        return public_stream(value, context)
    return block.get_api_representation(value, context)


def _readable(value, context):
    return value is not None and is_visible(value, context and context.get("request"))


def public_stream(value, context=None):
    """A StreamField's blocks, each value through `public_block_value`."""
    return [
        {
            "type": child.block_type,
            "id": child.id,
            "value": public_block_value(child.block, child.value, context),
        }
        for child in value
    ]


class BodyField(serializers.Field):
    """The guide body as Wagtail's API gives it, through the visibility gate."""

    def to_representation(self, value):
        return public_stream(value, self.context)


class GuideFAQsField(serializers.Field):
    """The guide's published FAQs, in order."""

    def to_representation(self, placements):
        return [
            {
                "id": placement.faq.pk,
                "question": placement.faq.question,
                "answer": public_html(placement.faq.answer),
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
        return public_html(text) if text else None
