"""Rich text as every API output answers it: `public_html`.

GraphQL fields and blocks (cms/rich_text/graphql.py), REST fields and block
values (cms/rest/fields.py) and FAQ answers all pass through it. Links and embeds are
expanded by the handlers in cms/rich_text/links.py, so a hidden page, image or
document loses its address; then the HTML is sanitised by an allow-list of
tags, attributes and URL schemes (nh3), whatever was stored: imported or
hand-edited HTML reaches frontends that render it as it comes.

Importable while models load (guides' `api_fields` name it).
"""

import nh3
from wagtail.rich_text import expand_db_html

# What rich text may hold once rendered: the editor's formatting, links,
# images and media embeds. Anything else (scripts, event handlers, styles,
# forms, javascript: or data: addresses) is dropped, whatever was stored:
# imported or hand-edited HTML reaches frontends that render it as it comes.
PUBLIC_TAGS = frozenset(
    {
        *(f"h{level}" for level in range(1, 7)),
        *("p", "br", "hr", "blockquote", "div", "span", "ul", "ol", "li"),
        *("b", "strong", "i", "em", "u", "s", "sup", "sub", "code"),
        *("a", "img", "iframe", "figure", "figcaption"),
    }
)
PUBLIC_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "class"},
    # Media embeds (videos) are the provider's player in a frame.
    "iframe": {"src", "width", "height", "title", "allow", "allowfullscreen", "frameborder"},
}
PUBLIC_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def public_html(source):
    """Stored rich text (a string or Wagtail's RichText) as the HTML every
    API output answers: links and embeds expanded by cms/rich_text/links.py's handlers, so
    hidden pages, images and documents lose their address, then sanitised by
    an allow-list of tags, attributes and URL schemes (nh3). Empty stays empty."""
    source = getattr(source, "source", source)
    if not source:
        return source
    return nh3.clean(
        expand_db_html(source),
        tags=set(PUBLIC_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in PUBLIC_ATTRIBUTES.items()},
        url_schemes=set(PUBLIC_URL_SCHEMES),
        link_rel=None,
    )
