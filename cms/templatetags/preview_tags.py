"""Tags for the built-in preview (page_preview.html): every block reads as the
patient would see it, whether or not it has a template of its own yet.

`{% preview_block block %}` renders a block with its `Meta.template` when it has
one; otherwise it falls back to a readable rendering built from the block's
definition (a struct as labelled fields, a list as a list, rich text as HTML,
recursively), so a newly added block never shows as a Python repr.
"""

import re

from django import template
from django.db import models
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from wagtail import blocks
from wagtail.blocks.list_block import ListValue
from wagtail.blocks.stream_block import StreamValue
from wagtail.images.models import AbstractImage
from wagtail.models import Page

from cms.visibility import is_visible

register = template.Library()

CITATION = re.compile(r"\[(\d+)\](?![^<]*>)")  # [n] in text, not inside a tag


@register.simple_tag(takes_context=True)
def preview_block(context, bound_block):
    """A StreamField child (or any bound block) rendered for the preview."""
    return render_value(bound_block.block, bound_block.value, context.flatten())


def render_value(block, value, context):
    if block.get_template(value, context=context):
        return block.render(value, context=context)
    if isinstance(block, blocks.StreamBlock):
        return format_html_join(
            "\n", "{}", ((render_value(child.block, child.value, context),) for child in value)
        )
    if isinstance(block, blocks.StructBlock):
        rows = [
            (child.label, render_value(child, value.get(name), context))
            for name, child in block.child_blocks.items()
            if _has_content(value.get(name))
        ]
        return format_html(
            '<dl class="fields">{}</dl>',
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows),
        )
    if isinstance(block, blocks.ListBlock):
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}</li>",
                ((render_value(block.child_block, item, context),) for item in value),
            ),
        )
    if isinstance(block, blocks.RichTextBlock):
        return cite(value)
    if isinstance(block, blocks.ChoiceBlock):
        return dict(block.field.choices).get(value, value)
    if isinstance(block, blocks.BooleanBlock):
        return "Yes" if value else "No"
    if isinstance(value, AbstractImage):
        return image_tag(value)
    if isinstance(value, models.Model):
        if not is_visible(value, context.get("request")):
            return ""
        return value.title if isinstance(value, Page) else str(value)
    if value is None:
        return ""
    # Any other block: its own rendering (Wagtail's table block has one), else its text.
    return block.render(value, context=context)


def _has_content(value):
    return value not in (None, "", [], {}) and (
        not isinstance(value, (ListValue, StreamValue)) or len(value)
    )


def image_tag(image, alt=None, spec="max-800x600"):
    rendition = image.get_rendition(spec)
    return rendition.img_tag({"alt": alt if alt is not None else image.default_alt_text})


@register.filter
def visible(obj):
    """The object when the public can read it (the API's rule), else None."""
    return obj if is_visible(obj) else None


@register.filter
def visible_only(objects):
    return [obj for obj in objects if is_visible(obj)]


@register.filter
def cite(html):
    """Turn citations like [2] into links to the guide's reference list."""
    return mark_safe(  # noqa: S308 - the input is already-rendered HTML
        CITATION.sub(r'<sup><a href="#ref-\1">[\1]</a></sup>', str(conditional_escape(html)))
    )
