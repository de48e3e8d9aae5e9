"""Stored rich text as a JSON document tree, for apps that render it natively.

The shape is documented by schema/rich-text.schema.json. Wagtail stores
rich text as HTML with its own link and embed tags (`<a linktype="page"
id="3">`, `<embed embedtype="image" …/>`); BeautifulSoup parses it and
this module only decides what each element means. Page links are looked up
with cms.rich_text.links.load_pages, so they follow the HTML's rules: one query for
the request, and a page the public cannot read leaves its words as plain text.
Images and documents pass the same gate (cms.visibility.is_visible): one in a
collection behind a view restriction is left out, its file address with it.
"""

import re
from contextlib import contextmanager

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.formats import get_image_format
from wagtail.images.shortcuts import get_rendition_or_not_found

from cms.ids import stored_id
from cms.rich_text.links import load_pages
from cms.visibility import is_visible

MARKS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "sup": "superscript",
    "sub": "subscript",
    "s": "strikethrough",
    "del": "strikethrough",
    "strike": "strikethrough",
    "code": "code",
}
# Canonical order, so equal marks compare equal and payloads are stable.
MARK_ORDER = ("bold", "italic", "superscript", "subscript", "strikethrough", "code")
HEADINGS = {f"h{level}": level for level in range(1, 7)}
BLOCKS = {"p", "div", "blockquote", "ul", "ol", "li", "hr", "embed", "img", *HEADINGS}
# Their content is never text a reader sees.
DROPPED = {"script", "style", "template", "head", "title", "iframe", "object", "noscript"}
# Kind of a page link when its model sets no `rich_text_link_kind`.
DEFAULT_PAGE_KIND = "PAGE"
# Elements nested deeper than this (only hostile HTML does) keep their words
# as plain text, so building the tree never runs out of stack.
MAX_DEPTH = 40
# The image format used when an embed names none (or an unknown one).
DEFAULT_IMAGE_FORMAT = "fullwidth"

_WHITESPACE = re.compile(r"[ \t\n\r\f]+")


def rich_text_tree(html):
    """The document tree of one stored rich text string (None or "" is empty)."""
    soup = BeautifulSoup(html or "", "html.parser")
    targets = _Targets(soup)
    return {"type": "document", "children": _Builder(targets).blocks(soup.contents)}


class _Targets:
    """Everything the text links to or embeds, looked up once per document."""

    def __init__(self, soup):
        ids = {"page": set(), "document": set(), "image": set()}
        for tag in soup.find_all(["a", "embed"]):
            kind = tag.get("linktype") if tag.name == "a" else tag.get("embedtype")
            if kind in ids and _id(tag):
                ids[kind].add(_id(tag))
        self.pages = load_pages(ids["page"]) if ids["page"] else {}
        self.documents = _public(get_document_model().objects.all(), ids["document"])
        self.images = _public(get_image_model().objects.all(), ids["image"])

    def link(self, tag):
        """The link target of an <a>, or None when it must be plain text."""
        linktype, id_ = tag.get("linktype"), _id(tag)
        if linktype == "page":
            page = self.pages.get(id_)
            if page is None or page.url is None:
                return None
            kind = getattr(page.specific_class, "rich_text_link_kind", DEFAULT_PAGE_KIND)
            return {"kind": kind, "id": str(page.pk), "slug": page.slug, "url": page.url}
        if linktype == "document":
            document = self.documents.get(id_)
            if document is None:
                return None
            return {"kind": "DOCUMENT", "id": id_, "title": document.title, "url": document.url}
        if linktype is not None:
            return None
        return _href_target(str(tag.get("href") or "").strip())

    def image(self, tag):
        image = self.images.get(_id(tag))
        if image is None:
            return None
        try:
            image_format = get_image_format(tag.get("format") or DEFAULT_IMAGE_FORMAT)
        except KeyError:
            image_format = get_image_format(DEFAULT_IMAGE_FORMAT)
        # As the HTML does: a missing file gives a placeholder, not an error.
        rendition = get_rendition_or_not_found(image, image_format.filter_spec)
        return {
            "type": "image",
            "id": str(image.pk),
            "alt": str(tag.get("alt") or ""),
            "format": image_format.name,
            "url": rendition.url,
            "width": rendition.width,
            "height": rendition.height,
        }


def _id(tag):
    return stored_id(tag.get("id"))


def _href_target(href):
    lowered = href.lower()
    if lowered.startswith(("http://", "https://")):
        return {"kind": "EXTERNAL", "url": href}
    if lowered.startswith("mailto:") and len(href) > len("mailto:"):
        return {"kind": "EMAIL", "url": href, "email": href[len("mailto:") :].split("?")[0]}
    if lowered.startswith("tel:") and len(href) > len("tel:"):
        return {"kind": "PHONE", "url": href}
    if href.startswith("#") and len(href) > 1:
        return {"kind": "ANCHOR", "url": href}
    # javascript:, data:, relative or empty addresses: nothing an app can open.
    return None


def _public(queryset, ids):
    """The objects with these ids, in one query, that the public may read."""
    if not ids:
        return {}
    return {str(obj.pk): obj for obj in queryset.filter(pk__in=ids) if is_visible(obj)}


class _Builder:
    def __init__(self, targets):
        self.targets = targets
        self.depth = 0

    @contextmanager
    def nested(self):
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1

    def blocks(self, nodes, wrap=None):
        """Block nodes from a run of HTML nodes: inline content between blocks
        becomes a paragraph (or what `wrap` makes of it, e.g. a heading)."""
        wrap = wrap or (lambda children: {"type": "paragraph", "children": children})
        out, run = [], []

        def flush():
            children = _tidy(self.inlines(run, ()))
            if children:
                out.append(wrap(children))
            run.clear()

        for node in nodes:
            if isinstance(node, Tag) and node.name in BLOCKS:
                flush()
                out += self.block(node)
            else:
                run.append(node)
        flush()
        return out

    def block(self, tag):
        if self.depth >= MAX_DEPTH:
            words = _tidy([{"type": "text", "text": tag.get_text()}])
            return [{"type": "paragraph", "children": words}] if words else []
        with self.nested():
            return self._block(tag)

    def _block(self, tag):
        name = tag.name
        if name in HEADINGS:
            level = HEADINGS[name]
            return self.blocks(
                tag.contents,
                lambda children: {"type": "heading", "level": level, "children": children},
            )
        if name == "blockquote":
            return self.blocks(
                tag.contents, lambda children: {"type": "blockquote", "children": children}
            )
        if name in ("ul", "ol"):
            items = self.list(tag)
            return [items] if items["children"] else []
        if name == "hr":
            return [{"type": "horizontalRule"}]
        if name == "embed":
            return self.embed(tag)
        if name == "img":
            # Wagtail stores images as <embed>; a bare <img> has nothing to resolve.
            return []
        return self.blocks(tag.contents)  # p, div, a stray li

    def list(self, tag):
        with self.nested():
            return self._list(tag)

    def _list(self, tag):
        items = []
        for node in tag.contents:
            if isinstance(node, Tag) and node.name == "li":
                items.append({"type": "listItem", "children": self.list_item(node.contents)})
            elif isinstance(node, Tag) and node.name in ("ul", "ol") and items:
                # A list nested directly in a list belongs to the item before it.
                items[-1]["children"] += self.list_item([node])
            elif not (isinstance(node, NavigableString) and not node.strip()):
                items.append({"type": "listItem", "children": self.list_item([node])})
        items = [item for item in items if item["children"]]
        return {"type": "list", "ordered": tag.name == "ol", "children": items}

    def list_item(self, nodes):
        """An item's words and the lists nested in it; other blocks inside it
        (paragraphs, headings) keep their words, one line each."""
        out, run = [], []

        def flush():
            children = _tidy(self.inlines(run, ()))
            if children:
                if out and out[-1]["type"] != "list":
                    out.append({"type": "lineBreak"})
                out.extend(children)
            run.clear()

        for node in nodes:
            if isinstance(node, Tag) and node.name in ("ul", "ol") and self.depth < MAX_DEPTH:
                flush()
                nested = self.list(node)
                if nested["children"]:
                    out.append(nested)
            elif isinstance(node, Tag) and node.name in BLOCKS:
                flush()
                run.extend(node.contents)
                flush()
            else:
                run.append(node)
        flush()
        return out

    def embed(self, tag):
        embedtype = tag.get("embedtype")
        if embedtype == "image":
            image = self.targets.image(tag)
            return [image] if image else []
        url = str(tag.get("url") or "")
        if embedtype == "media" and url.lower().startswith(("http://", "https://")):
            return [{"type": "embed", "url": url}]
        return []

    def inlines(self, nodes, marks):
        if self.depth >= MAX_DEPTH:
            words = "".join(
                node.get_text() if isinstance(node, Tag) else str(node)
                for node in nodes
                if not isinstance(node, PreformattedString)
            )
            return [{"type": "text", "text": words, **({"marks": list(marks)} if marks else {})}]
        with self.nested():
            return self._inlines(nodes, marks)

    def _inlines(self, nodes, marks):
        out = []
        for node in nodes:
            if isinstance(node, PreformattedString):  # comments, CDATA, doctypes
                continue
            if isinstance(node, NavigableString):
                text = {"type": "text", "text": str(node)}
                if marks:
                    text["marks"] = list(marks)
                out.append(text)
            elif node.name in DROPPED:
                continue
            elif node.name == "br":
                out.append({"type": "lineBreak"})
            elif node.name in MARKS:
                added = {*marks, MARKS[node.name]}
                out += self.inlines(node.contents, tuple(m for m in MARK_ORDER if m in added))
            elif node.name == "a":
                out += self.link(node, marks)
            elif node.name in BLOCKS:
                # A block inside inline content (hostile HTML): its words on their own line.
                out += [{"type": "lineBreak"}, *self.inlines(node.contents, marks)]
            else:
                out += self.inlines(node.contents, marks)  # span and unknown tags: their content
        return out

    def link(self, tag, marks):
        children = self.inlines(tag.contents, marks)
        target = self.targets.link(tag)
        if target is None:
            return children
        # Links do not nest: an inner link's words stay, its target goes.
        flat = []
        for child in children:
            flat += child["children"] if child["type"] == "link" else [child]
        return [{"type": "link", "target": target, "children": flat}]


def _tidy(inlines):
    """Whitespace as a browser shows it: runs collapsed to one space, none at
    the start or end of a line; empty text and links dropped, neighbours with
    the same marks merged."""
    leaves = []  # text nodes in reading order, across links

    def walk(nodes):
        for node in nodes:
            if node["type"] == "text":
                node["text"] = _WHITESPACE.sub(" ", node["text"])
                leaves.append(node)
            elif node["type"] == "link":
                walk(node["children"])
            else:
                leaves.append(node)

    walk(inlines)
    after_space = True  # the start of a line counts as a space
    for leaf in leaves:
        if leaf["type"] == "text":
            if after_space:
                leaf["text"] = leaf["text"].lstrip(" ")
            if leaf["text"]:
                after_space = leaf["text"].endswith(" ")
        else:
            after_space = True
    # Trailing spaces before a line break and at the end.
    at_line_end = True
    for leaf in reversed(leaves):
        if leaf["type"] == "text":
            if at_line_end:
                leaf["text"] = leaf["text"].rstrip(" ")
            if leaf["text"]:
                at_line_end = False
        else:
            at_line_end = True
    return _merged(_without_empty(inlines))


def _without_empty(nodes):
    out = []
    for node in nodes:
        if node["type"] == "text" and not node["text"]:
            continue
        if node["type"] == "link":
            node["children"] = _without_empty(node["children"])
            if not any(child["type"] == "text" for child in node["children"]):
                continue
        out.append(node)
    # A line break at the start or end of a line of text shows nothing.
    while out and out[0]["type"] == "lineBreak":
        out.pop(0)
    while out and out[-1]["type"] == "lineBreak":
        out.pop()
    return out


def _merged(nodes):
    out = []
    for node in nodes:
        if node["type"] == "link":
            node["children"] = _merged(node["children"])
        previous = out[-1] if out else None
        if (
            previous is not None
            and node["type"] == previous["type"] == "text"
            and node.get("marks") == previous.get("marks")
        ):
            previous["text"] += node["text"]
        else:
            out.append(node)
    return out
