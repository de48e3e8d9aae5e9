"""Building blocks shared by every page body: headings, text, callouts, quotes,
calls to action, images and tables.

The snake_case names these blocks are registered under in a StreamBlock are the
contract frontends switch on: renaming one is a breaking change.
"""

import graphene
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.text import slugify
from grapple.helpers import register_streamfield_block
from grapple.models import GraphQLField, GraphQLImage, GraphQLPage, GraphQLRichText, GraphQLString
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock as WagtailTableBlock
from wagtail.images.blocks import ImageChooserBlock

from cms.rich_text.graphql import RichTextDocument
from cms.visibility import visible_page_or_none


def list_item(label, **kwargs):
    """A one-line item of a ListBlock, e.g. a checklist's item. Wagtail shows a
    ListBlock's items without a label, so the input gets `label` as its
    accessible name (a screen reader says "Item", not just "edit text"). A plain
    CharBlock, so migrations see no new block type."""
    block = blocks.CharBlock(label=label, **kwargs)
    block.field.widget.attrs["aria-label"] = label
    return block


def optional_text(placeholder, **kwargs):
    """An optional one-line text whose usual value is shown as a placeholder,
    not pre-filled: typing replaces it instead of adding to it, and an empty
    value means the usual one. A plain CharBlock, so migrations see no new type."""
    block = blocks.CharBlock(required=False, **kwargs)
    block.field.widget.attrs["placeholder"] = placeholder
    return block


class PrefetchingImageChooserBlock(ImageChooserBlock):
    """Loads chosen images with their renditions and placeholders, so a list of pages asks the
    database once for all images instead of once per image."""

    def bulk_to_python(self, values):
        values = list(values)
        ids = [value for value in values if value is not None]
        images = (
            self.model_class.objects.prefetch_renditions()
            .select_related("placeholder")
            .in_bulk(ids)
            if ids
            else {}
        )
        return [images.get(value) for value in values]


class SettingChoiceBlock(blocks.ChoiceBlock):
    """A choice that sets how something looks (a heading level, a callout
    type), not words a reader reads: kept out of search text."""

    def get_searchable_content(self, value):
        return []


@register_streamfield_block
class HeadingBlock(blocks.StructBlock):
    """A section heading. Frontends build the table of contents from these."""

    text = blocks.CharBlock(max_length=160, help_text="Short and specific, e.g. 'Before you ask'.")
    level = SettingChoiceBlock(
        choices=[("2", "Section (H2)"), ("3", "Sub-section (H3)"), ("4", "Minor (H4)")],
        default="2",
        help_text="Use H2 for main sections; H3 and H4 only inside a section.",
    )
    anchor = blocks.CharBlock(
        required=False,
        max_length=80,
        help_text="Optional link target, e.g. 'what-to-ask'. Left blank, it is made from the text.",
    )

    graphql_fields = [
        GraphQLString("text", required=True),
        GraphQLField("level", graphene.Int, required=True, source="api_level"),
        GraphQLString("anchor", required=True, source="api_anchor"),
    ]

    def api_level(self, info, values, **kwargs):
        return int(values["level"])

    def api_anchor(self, info, values, **kwargs):
        return slugify(values["anchor"] or values["text"])

    class Meta:
        icon = "title"
        label = "Heading"
        template = "blocks/heading.html"
        description = "A section heading with its level and link target"
        preview_value = {"text": "Questions to ask your care team", "level": "2"}


@register_streamfield_block
class ParagraphBlock(blocks.RichTextBlock):
    """Body text. Keep sentences short: patients read this under stress."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", ["bold", "italic", "link", "ol", "ul"])
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = "Paragraph"
        template = "blocks/paragraph.html"
        description = "Rich text: bold, italics, links and lists"
        preview_value = "<p>Bring a list of your current medicines to every appointment.</p>"


class CalloutVariant(graphene.Enum):
    """How a callout looks, and how urgent it is."""

    INFO = "info"
    IMPORTANT = "important"
    TIP = "tip"


@register_streamfield_block
class CalloutBlock(blocks.StructBlock):
    """A boxed note that stands out from the body text."""

    variant = SettingChoiceBlock(
        choices=[("info", "Information"), ("important", "Important"), ("tip", "Tip")],
        default="info",
        help_text="'Important' is for safety-critical points, e.g. when to call a doctor urgently.",
    )
    title = blocks.CharBlock(required=False, max_length=120)
    body = blocks.RichTextBlock(features=["bold", "italic", "link", "ul"])

    graphql_fields = [
        GraphQLField("variant", CalloutVariant, required=True),
        GraphQLString("title"),
        GraphQLRichText("body", required=True),
        GraphQLField("body_tree", RichTextDocument, required=True, source="api_body_tree"),
    ]

    def api_body_tree(self, info, values, **kwargs):
        return values["body"]

    class Meta:
        icon = "warning"
        label = "Callout"
        template = "blocks/callout.html"
        description = "An information, important or tip box"
        preview_value = {
            "variant": "important",
            "title": "Important",
            "body": "<p>Call your team straight away if you have a fever.</p>",
        }


@register_streamfield_block
class QuoteBlock(blocks.StructBlock):
    """A quotation, e.g. from a patient or a clinician."""

    text = blocks.TextBlock()
    attribution = blocks.CharBlock(
        required=False, max_length=160, help_text="Who said it, e.g. 'A haematology nurse'."
    )

    graphql_fields = [GraphQLString("text", required=True), GraphQLString("attribution")]

    class Meta:
        icon = "openquote"
        label = "Quote"
        template = "blocks/quote.html"
        description = "A quotation with who said it"
        preview_value = {
            "text": "Write your questions down before you go.",
            "attribution": "A nurse",
        }


@register_streamfield_block
class CallToActionBlock(blocks.StructBlock):
    """A prompt to act, with one button linking to a page of this site or another site."""

    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    button_label = blocks.CharBlock(max_length=60, help_text="Verb first, e.g. 'Contact our team'.")
    page = blocks.PageChooserBlock(required=False, help_text="A page on this site…")
    external_url = blocks.URLBlock(required=False, help_text="…or a full web address.")

    graphql_fields = [
        GraphQLString("heading", required=True),
        GraphQLString("text", required=True),
        GraphQLString("button_label", required=True),
        GraphQLString("url", source="api_url"),
        GraphQLPage("page", source="api_page"),
    ]

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("external_url")):
            message = "Choose either a page or a web address for the button, not both."
            raise StructBlockValidationError(
                block_errors={
                    "page": ErrorList([ValidationError(message)]),
                    "external_url": ErrorList([ValidationError(message)]),
                }
            )
        return value

    def api_page(self, info, values, **kwargs):
        return visible_page_or_none(values["page"], info.context)

    def api_url(self, info, values, **kwargs):
        page = visible_page_or_none(values["page"], info.context)
        if page is not None:
            return page.url
        return values["external_url"] or None

    class Meta:
        icon = "link"
        label = "Call to action"
        template = "blocks/call_to_action.html"
        description = "A heading, short text and one button"
        preview_value = {
            "heading": "Talk to a care coordinator",
            "button_label": "Contact us",
            "external_url": "https://example.org/contact",
        }


@register_streamfield_block
class ImageBlock(blocks.StructBlock):
    """An image with its caption and a text alternative for screen readers."""

    image = PrefetchingImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        help_text="Describe what the image shows for people who cannot see it.",
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    graphql_fields = [
        GraphQLImage("image"),
        GraphQLString("alt_text", required=True),
        GraphQLString("caption"),
    ]

    class Meta:
        icon = "image"
        label = "Image"
        template = "blocks/image.html"
        description = "An image with alt text and caption"


@register_streamfield_block
class TableBlock(blocks.StructBlock):
    """A simple table of text, e.g. appointment types and what to bring.
    Its caption is the table editor's own "Table caption"."""

    table = WagtailTableBlock(
        table_options={
            "contextMenu": [
                "row_above",
                "row_below",
                "col_left",
                "col_right",
                "remove_row",
                "remove_col",
                "undo",
                "redo",
            ]
        },
    )

    graphql_fields = [
        GraphQLString("caption", source="api_caption"),
        GraphQLField("has_header_row", graphene.Boolean, required=True, source="api_header_row"),
        GraphQLField(
            "has_header_column", graphene.Boolean, required=True, source="api_header_column"
        ),
        GraphQLField(
            "rows",
            graphene.List(graphene.NonNull(graphene.List(graphene.NonNull(graphene.String)))),
            required=True,
            source="api_rows",
        ),
    ]

    def api_caption(self, info, values, **kwargs):
        return (values["table"] or {}).get("table_caption") or None

    def api_header_row(self, info, values, **kwargs):
        return bool((values["table"] or {}).get("first_row_is_table_header"))

    def api_header_column(self, info, values, **kwargs):
        return bool((values["table"] or {}).get("first_col_is_header"))

    def api_rows(self, info, values, **kwargs):
        rows = (values["table"] or {}).get("data") or []
        return [[cell or "" for cell in row] for row in rows]

    class Meta:
        icon = "table"
        label = "Table"
        template = "blocks/table.html"
        description = "A table of text with an optional header row"
