"""The segmenter's vocabulary: which elements are blocks, wrappers or dropped,
the labels and titles it recognises, text and rich text of an element, and
the pieces it makes (pending blocks, questions, references)."""

import re
from dataclasses import dataclass, field
from functools import cache

from bs4 import Comment, NavigableString, Tag
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

# Elements whose content is never reader text: dropped with what they hold.
DROPPED = {
    "script", "style", "template", "noscript", "iframe", "object", "embed", "applet",
    "svg", "math", "head", "link", "meta", "base", "frame", "frameset", "canvas",
    "audio", "video", "select", "textarea", "button", "input",
}  # fmt: skip
# Containers looked through: their children are the blocks.
WRAPPERS = {
    "html", "body", "div", "section", "article", "main", "header", "footer", "aside",
    "nav", "center", "details", "form", "fieldset", "hgroup",
}  # fmt: skip
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCKS = HEADINGS | {"p", "ul", "ol", "table", "blockquote", "pre", "figure", "img", "hr", "dl"}
TEXT_BREAKS = BLOCKS | {"li", "br", "tr", "td", "th", "dt", "dd", "caption", "figcaption"}
# The only attributes kept before Wagtail's own whitelist runs.
KEPT_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
SAFE_LINK = re.compile(r"^(https?:|mailto:|tel:|#|/|[\w\-./]+$)", re.IGNORECASE)

HEADING_MAX = 160
STEP_TITLE_MAX = 120
NUMBERED_TITLE_MAX = 160
BLOCK_TITLE_MAX = 120
QUESTION_MAX = 255

STEP = re.compile(r"^step\s+(\d+)\s*(?:[:.\-–—)]\s*|\s+)(.*)$", re.IGNORECASE | re.DOTALL)
NUMBERED = re.compile(r"^(\d+)[.)]\s+(\S.*)$", re.DOTALL)
DISCLAIMER_LABEL = re.compile(r"^(disclaimer|important)\s*[:.\-–—]\s*", re.IGNORECASE)
CLOSING_LABEL = re.compile(r"^(final note|a final note|summary|in conclusion)\s*[:\-–—]\s*", re.I)
QUESTION_LABEL = re.compile(r"^(q|question)\s*[:.]\s*", re.IGNORECASE)
ANSWER_LABEL = re.compile(r"^(a|answer)\s*[:.]\s*", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")

FAQ_TITLES = {
    "faq",
    "faqs",
    "frequently asked questions",
    "common questions",
    "questions and answers",
}
REFERENCE_TITLES = {"references", "sources", "bibliography", "citations", "evidence"}
CLOSING_TITLES = {
    "final note",
    "a final note",
    "summary",
    "in summary",
    "in conclusion",
    "conclusion",
}
DISCLAIMER_TITLES = {"disclaimer", "important information", "medical disclaimer"}


def normalise(text):
    """Text as compared: lower case, words only, single spaces."""
    return " ".join(re.findall(r"\w+", text.lower()))


def text_of(node):
    """An element's text with one space where blocks meet, whitespace collapsed."""
    parts = []

    def walk(element):
        for child in element.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                parts.append(str(child))
            elif isinstance(child, Tag):
                breaks = child.name in TEXT_BREAKS
                if breaks:
                    parts.append(" ")
                walk(child)
                if breaks:
                    parts.append(" ")

    if isinstance(node, NavigableString):
        return " ".join(str(node).split())
    walk(node)
    return " ".join("".join(parts).split())


@cache
def _converter(features):
    return EditorHTMLConverter(features=list(features))


def rich_text(html, features):
    """HTML as Wagtail stores it for a rich-text field with these features:
    Wagtail's own whitelist drops what the features do not allow."""
    html = _converter(tuple(features)).to_database_format(html).strip()
    if html and not re.match(r"^<(p|ul|ol|h[1-6]|blockquote)\b", html):
        html = f"<p>{html}</p>"  # loose inline text, e.g. a list item's
    return html


def _html(elements):
    return "".join(str(element) for element in elements)


@dataclass
@dataclass
class Pending:
    """A body block before `build` resolves it: `value` is the block's raw value,
    except for "faqs" (questions and answers to match or create) and "image"
    (where the image comes from)."""

    type: str
    value: object
    note: str = ""


@dataclass
class Question:
    question: str
    answer_html: str
    answer_text: str


@dataclass
class ParsedReference:
    source_text: str
    title: str
    doi: str = ""
    pmid: str = ""
    url: str = ""
    year: int | None = None
    cut: bool = False  # the title was longer than the field holds


@dataclass
class Segmented:
    title: str = ""
    standfirst: str = ""
    disclaimer: str = ""
    blocks: list[Pending] = field(default_factory=list)
    references: list[ParsedReference] = field(default_factory=list)
    remote_images: list[str] = field(default_factory=list)


def _all_bold(element):
    bold = "".join(text_of(b) for b in element.find_all(["strong", "b"]))
    return bool(bold) and normalise(bold) == normalise(text_of(element))


def _escape(text):
    from django.utils.html import escape

    return escape(text)


def _p(soup, text):
    paragraph = soup.new_tag("p")
    paragraph.string = text
    return paragraph


def _short(text, length=70):
    return text if len(text) <= length else text[: length - 1] + "…"
