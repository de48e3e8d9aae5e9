"""One segmenter for every format: article HTML in, the guide's fields and
body blocks out (FAQs and images still to be resolved by `build`).

It reads the HTML as a sequence of block elements (headings, paragraphs,
lists, tables, images) and recognises, conservatively, the article's parts:
the title, the standfirst, a disclaimer, "Step 1 / Step 2" sequences, numbered
reasons, an FAQ section, a references section and a closing note. Whatever it
does not recognise stays in the body as a paragraph, and the report says so:
every sentence of the source ends up somewhere in the draft.
"""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bs4 import (
    BeautifulSoup,
    Comment,
    Declaration,
    Doctype,
    NavigableString,
    ProcessingInstruction,
    Tag,
)
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

from guides.importing.report import ImportReport
from guides.importing.sources import ImportRefused

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


def title_from_file_name(name):
    stem = Path(name).stem
    words = re.sub(r"[-_]+", " ", stem).strip()
    return (words[:1].upper() + words[1:]) or "Imported guide"


class Segmenter:
    def __init__(self, html, file_name, features, report: ImportReport):
        self.file_name = file_name
        self.features = features  # paragraph, short, disclaimer, answer: rich-text features
        self.report = report
        self.soup = BeautifulSoup(html, "html.parser")
        self.out = Segmented()
        self.body_started = False  # anything placed in the body or standfirst yet
        self.seen_heading = False
        self.level_shift = 0  # 1 when the article's sections are H1s

    # ---- reading the HTML -------------------------------------------------

    def _clean(self):
        dropped = 0
        for element in self.soup.find_all(DROPPED):
            if element.name not in ("head", "meta", "link", "base") and text_of(element):
                dropped += 1
            element.decompose()
        not_text = (Comment, Doctype, Declaration, ProcessingInstruction)
        for node in self.soup.find_all(string=lambda s: isinstance(s, not_text)):
            node.extract()
        for element in self.soup.find_all(True):
            kept = KEPT_ATTRIBUTES.get(element.name, set())
            element.attrs = {k: v for k, v in element.attrs.items() if k in kept}
            href = element.attrs.get("href")
            if href is not None and not SAFE_LINK.match(str(href).strip()):
                del element.attrs["href"]
                self.report.check(f"Removed an unsafe link address from '{text_of(element)}'.")
        if dropped:
            self.report.check(
                f"Dropped {dropped} script, style or embedded element(s) with their content: "
                "they are not article text."
            )

    def _flatten(self, node):
        """The block elements in reading order; loose inline content becomes a <p>."""
        blocks, inline = [], []

        def flush():
            if inline and any(text_of(n) for n in inline):
                paragraph = self.soup.new_tag("p")
                for item in inline:
                    paragraph.append(item)
                blocks.append(paragraph)
            inline.clear()

        for child in list(node.children):
            if isinstance(child, Tag) and child.name in WRAPPERS:
                flush()
                blocks.extend(self._flatten(child))
            elif isinstance(child, Tag) and child.name in BLOCKS:
                flush()
                blocks.append(child)
            elif isinstance(child, Tag) and child.name in ("li", "dt", "dd", "caption", "summary"):
                flush()
                paragraph = self.soup.new_tag("p")
                paragraph.extend(list(child.children))
                blocks.append(paragraph)
            else:
                inline.append(child.extract())
        flush()
        return blocks

    # ---- the article ------------------------------------------------------

    def run(self):
        self._clean()
        elements = self._flatten(self.soup)
        h1 = next((e for e in elements if e.name == "h1" and text_of(e)), None)
        if h1 is not None:
            full = text_of(h1)
            self.out.title = full[:255]
            elements.remove(h1)
            self.report.mapped(f"Title: '{self.out.title}' (the first top-level heading).")
            if len(full) > 255:
                self._place("paragraph", f"<p>{_escape(full)}</p>")
                self.body_started = False
                self.report.check(
                    "The title is longer than 255 characters: cut, and kept whole in a paragraph."
                )
        else:
            self.out.title = title_from_file_name(self.file_name)
            self.report.guessed(
                f"Title: '{self.out.title}', made from the file name (the article has no "
                "top-level heading)."
            )
        if any(e.name == "h1" for e in elements):
            # Sections as top-level headings (Word's Heading 1 under a Title): every
            # heading moves down a level, so sub-sections stay below their sections.
            self.level_shift = 1
            self.report.guessed(
                "The article's sections are top-level headings: H1 became H2, H2 became H3 …"
            )
        self._sections(elements)
        if not self.out.blocks and not self.out.standfirst:
            raise ImportRefused(f"{self.file_name} has no text to import.")
        if not self.out.standfirst:
            self.report.check("No standfirst: the article does not open with a paragraph.")
        return self.out

    def _sections(self, elements):
        i = 0
        while i < len(elements):
            element = elements[i]
            if element.name not in HEADINGS:
                end = i
                while end < len(elements) and elements[end].name not in HEADINGS:
                    end += 1
                self._content(elements[i:end])
                i = end
                continue
            level = int(element.name[1])
            title = text_of(element)
            key = normalise(title)
            end = i + 1
            while end < len(elements) and not (
                elements[end].name in HEADINGS and int(elements[end].name[1]) <= level
            ):
                end += 1
            section = elements[i + 1 : end]
            run = self._heading_run(elements, i)
            if run:
                i = run
                continue
            handled = (
                (key in FAQ_TITLES and self._faqs(title, section))
                or (key in REFERENCE_TITLES and self._references(title, section))
                or (key in CLOSING_TITLES and self._closing(title, section))
                or (key in DISCLAIMER_TITLES and self._disclaimer(title, section))
            )
            if handled:
                i = end
            else:
                self._heading(element)
                i += 1

    def _heading(self, element):
        text = text_of(element)
        if not text:
            return
        source_level = int(element.name[1])
        level = source_level + self.level_shift
        self.seen_heading = True
        if len(text) > HEADING_MAX:
            self._place("paragraph", f"<p>{_escape(text)}</p>")
            self.report.check(
                f"A heading longer than {HEADING_MAX} characters is kept as a paragraph: "
                f"'{text[:60]}…'."
            )
            return
        if level > 4:
            self.report.guessed(f"Heading '{text}' (H{source_level}) became a minor heading (H4).")
            level = 4
        self._place("heading", {"text": text, "level": str(level), "anchor": ""})

    def _place(self, block_type, value, note=""):
        self.body_started = True
        self.out.blocks.append(Pending(block_type, value, note))

    # ---- headings that number steps or reasons ------------------------------

    def _heading_run(self, elements, i):
        """'Step 1: …' or '1. …' headings of one level, each followed by text:
        a steps or numbered-list block. Returns the index after the run, or None."""
        first = elements[i]
        level = first.name
        title = text_of(first)
        pattern = STEP if STEP.match(title) else NUMBERED if NUMBERED.match(title) else None
        if pattern is None or int(pattern.match(title).group(1)) != 1:
            return None
        # A step's text is plain paragraphs; a numbered point's may hold lists.
        allowed = ("p",) if pattern is STEP else ("p", "ul", "ol")
        items, j, expected = [], i, 1
        while j < len(elements) and elements[j].name == level:
            match = pattern.match(text_of(elements[j]))
            if not match or int(match.group(1)) != expected:
                break
            k = j + 1
            while (
                k < len(elements)
                and elements[k].name in allowed
                and text_of(elements[k])
                and not elements[k].find("img")
            ):
                k += 1
            items.append((match.group(2).strip(), elements[j + 1 : k]))
            j, expected = k, expected + 1
        if len(items) < 2 or any(not body for _, body in items):
            return None
        block = self._steps_block(items) if pattern is STEP else self._numbered_block(items)
        if block is None:
            return None
        self.seen_heading = True
        return j

    # ---- the content between headings ---------------------------------------

    def _content(self, elements):
        run = []  # paragraphs and lists merged into one paragraph block

        def flush():
            if run:
                html = rich_text(_html(run), self.features["paragraph"])
                if html:
                    self._place("paragraph", html)
                run.clear()

        i = 0
        while i < len(elements):
            element = elements[i]
            text = text_of(element)
            name = element.name
            if name == "p" and element.find("img"):
                flush()
                self._paragraph_with_images(element)
                i += 1
                continue
            if name in ("p", "ul", "ol") and not text:
                i += 1
                continue
            opening = name == "p" and not self.body_started and not self.out.standfirst
            if opening and self._opening_disclaimer(element):
                i += 1
                continue
            if name == "p" and DISCLAIMER_LABEL.match(text) and text.lower().startswith("discl"):
                flush()
                self._disclaimer_paragraphs([element], label=True)
                i += 1
                continue
            if not run and self._could_be_standfirst(element, text):
                self._standfirst(element)
                i += 1
                continue
            if name == "p" and STEP.match(text):
                end = self._step_run(elements, i)
                if end:
                    flush()
                    i = end
                    continue
            if self._is_numbered_line(element):
                end = self._numbered_run(elements, i)
                if end:
                    flush()
                    i = end
                    continue
            if name == "ol" and self._bold_title_list(element):
                flush()
                i += 1
                continue
            if name == "p" and CLOSING_LABEL.match(text):
                flush()
                label = CLOSING_LABEL.match(text).group(1)
                self._strip_prefix(element, CLOSING_LABEL)
                self._closing_block(label[:1].upper() + label[1:], [element])
                i += 1
                continue
            if name in ("p", "ul", "ol"):
                run.append(element)
                i += 1
                continue
            flush()
            self._other(element)
            i += 1
        flush()

    def _could_be_standfirst(self, element, text):
        """The article's first paragraph, before any heading or other block."""
        return (
            element.name == "p"
            and not self.out.standfirst
            and not self.seen_heading
            and not self._is_numbered_line(element)
            and not STEP.match(text)
            and all(block.type == "notice" for block in self.out.blocks)
        )

    def _other(self, element):
        name = element.name
        text = text_of(element)
        if name == "table":
            self._table(element)
        elif name in ("img", "figure"):
            self._images(element)
        elif name == "hr":
            pass
        elif name == "blockquote":
            if text:
                paragraphs = [t for c in self._flatten(element) if (t := text_of(c))] or [text]
                self._place("quote", {"text": "\n\n".join(paragraphs), "attribution": ""})
                self.report.guessed(f"A quotation became a quote block: '{_short(text)}'.")
        elif name == "dl":
            html = "".join(
                f"<p>{_escape(text_of(item))}</p>" for item in element.find_all(["dt", "dd"])
            )
            self._place("paragraph", rich_text(html, self.features["paragraph"]))
            self.report.check(f"A definition list was kept as paragraphs: '{_short(text)}'.")
        elif text:
            self._place("paragraph", f"<p>{_escape(text)}</p>")
            self.report.check(f"Not placed: a <{name}> kept as a paragraph: '{_short(text)}'.")

    def _standfirst(self, element):
        self.out.standfirst = text_of(element)
        self.body_started = True
        self.report.mapped(f"Standfirst: the first paragraph ('{_short(self.out.standfirst)}').")
        if element.find("a", href=True):
            links = ", ".join(a["href"] for a in element.find_all("a", href=True))
            self.report.check(f"The standfirst is plain text: its links were dropped ({links}).")

    def _paragraph_with_images(self, element):
        images = element.find_all("img")
        for image in images:
            image.extract()
        if text_of(element):
            self._place("paragraph", rich_text(str(element), self.features["paragraph"]))
        for image in images:
            self._image(image, caption="")

    def _images(self, element):
        caption_element = element.find("figcaption") if element.name == "figure" else None
        caption = text_of(caption_element) if caption_element else ""
        images = [element] if element.name == "img" else element.find_all("img")
        for image in images:
            self._image(image, caption)
        if caption_element:
            caption_element.extract()
        rest = text_of(element) if element.name == "figure" else ""
        if rest:
            self._place("paragraph", f"<p>{_escape(rest)}</p>")
            self.report.check(f"Text inside a figure was kept as a paragraph: '{_short(rest)}'.")

    def _image(self, image, caption):
        src = (image.get("src") or "").strip()
        alt = " ".join((image.get("alt") or "").split())
        if len(caption) > 250:
            self._place("paragraph", f"<p>{_escape(caption)}</p>")
            self.report.check("An image caption longer than 250 characters is kept as a paragraph.")
            caption = ""
        if re.match(r"^(https?:)?//", src, re.IGNORECASE):
            self.out.remote_images.append(src)
            self.report.check(
                f"Image not imported: {src} is on another site, and the importer fetches "
                "nothing. Download it and add it to the image library yourself"
                + (f" (its alt text: '{alt}')." if alt else ".")
            )
            if caption:
                self._place("paragraph", f"<p>{_escape(caption)}</p>")
            return
        self._place("image", {"src": src, "alt_text": alt, "caption": caption})

    def _table(self, element):
        rows = []
        header = bool(element.find("thead")) or bool(
            (first := element.find("tr")) and first.find("th") and not first.find("td")
        )
        merged = False
        for row in element.find_all("tr"):
            cells = row.find_all(["td", "th"])
            merged = merged or any(c.get("colspan") or c.get("rowspan") for c in cells)
            rows.append([text_of(cell) for cell in cells])
        if not rows:
            text = text_of(element)
            if text:
                self._place("paragraph", f"<p>{_escape(text)}</p>")
            return
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        caption_element = element.find("caption")
        caption = text_of(caption_element) if caption_element else ""
        first_col = (
            all(
                row.find(["td", "th"]) and row.find(["td", "th"]).name == "th"
                for row in element.find_all("tr")[1:]
            )
            and len(rows) > 1
        )
        self._place(
            "table",
            {
                "table": {
                    "data": rows,
                    "first_row_is_table_header": header,
                    "first_col_is_header": bool(first_col),
                    "table_caption": caption,
                }
            },
        )
        self.report.mapped(
            f"Table: {len(rows)} rows × {width} columns"
            + (", first row as header" if header else "")
            + (f", caption '{caption}'" if caption else "")
            + "."
        )
        if merged:
            self.report.check("A table had merged cells: they are now separate cells. Check it.")
        if element.find("a", href=True) or element.find(["ul", "ol", "strong", "b", "em"]):
            self.report.check(
                "Table cells are plain text: links, lists and emphasis in them were dropped."
            )

    # ---- "Step 1 …" paragraphs ----------------------------------------------

    def _step_run(self, elements, i):
        items, j, expected = [], i, 1
        while j < len(elements) and elements[j].name == "p":
            element = elements[j]
            match = STEP.match(text_of(element))
            if not match or int(match.group(1)) != expected:
                break
            title, text = self._split_title(element, match.group(2), STEP)
            j += 1
            extra = []
            while j < len(elements) and elements[j].name == "p" and text_of(elements[j]):
                if STEP.match(text_of(elements[j])):
                    break
                extra.append(elements[j])
                j += 1
            items.append((title, text, extra))
            expected += 1
        if len(items) < 2:
            return None
        steps = []
        for title, text, extra in items:
            parts = [text] if text else []
            parts += [text_of(p) for p in extra]
            steps.append((title, "\n\n".join(parts), extra))
        if any(not text or not title or len(title) > STEP_TITLE_MAX for title, text, _ in steps):
            self.report.check(
                "'Step 1, Step 2 …' paragraphs were kept as paragraphs: a step has no text or "
                f"a title longer than {STEP_TITLE_MAX} characters."
            )
            return None
        self._place("steps", {"title": "", "steps": [{"title": t, "text": x} for t, x, _ in steps]})
        self.report.mapped(f"Steps: {len(steps)} steps ('{steps[0][0]}' …).")
        links = [a["href"] for e in elements[i:j] for a in e.find_all("a", href=True)]
        if links:
            self.report.check(
                f"Steps are plain text: their links were dropped ({', '.join(links)})."
            )
        return j

    def _split_title(self, element, rest, pattern):
        """A step's or item's title and text from one paragraph: the bold lead-in if there
        is one, else the whole line if it is one short sentence, else its first sentence."""
        bold = element.find(["strong", "b"])
        if bold is not None:
            lead = text_of(bold)
            match = pattern.match(lead)
            lead_rest = (match.group(2) if match else lead).strip()
            full = text_of(element)
            if full.startswith(lead) and lead_rest:
                return lead_rest.rstrip(" .:–—-"), full[len(lead) :].strip()
        sentences = SENTENCE_END.split(rest.strip(), maxsplit=1)
        if len(sentences) == 1:
            return rest.strip().rstrip(" .:"), ""
        self.report.guessed(f"Took the first sentence as the title: '{sentences[0]}'.")
        return sentences[0].rstrip(" .:"), sentences[1]

    def _steps_block(self, items):
        steps = []
        for title, body in items:
            if any(e.name != "p" for e in body) or len(title) > STEP_TITLE_MAX or not title:
                return None
            steps.append(
                {"title": title.rstrip(" .:"), "text": "\n\n".join(text_of(p) for p in body)}
            )
        if any(not s["text"] for s in steps):
            return None
        self._place("steps", {"title": "", "steps": steps})
        self.report.mapped(f"Steps: {len(steps)} steps from 'Step 1 …' headings.")
        return True

    # ---- numbered reasons -----------------------------------------------------

    def _is_numbered_line(self, element):
        """'1. Title' as a paragraph, or as Markdown's one-item <ol start=…>."""
        if element.name == "p":
            return bool(NUMBERED.match(text_of(element)))
        if element.name == "ol":
            items = element.find_all("li", recursive=False)
            return len(items) == 1 and not items[0].find(["ul", "ol", "p"])
        return False

    def _line_number_and_title(self, element):
        if element.name == "p":
            match = NUMBERED.match(text_of(element))
            return int(match.group(1)), match.group(2).strip()
        start = element.get("start") or "1"
        number = int(start) if str(start).isdigit() else 1
        return number, text_of(element)

    def _numbered_run(self, elements, i):
        items, j, expected = [], i, 1
        while j < len(elements) and self._is_numbered_line(elements[j]):
            number, title = self._line_number_and_title(elements[j])
            if number != expected:
                break
            j += 1
            body = []
            while (
                j < len(elements)
                and elements[j].name in ("p", "ul")
                and not self._is_numbered_line(elements[j])
                and not STEP.match(text_of(elements[j]))
            ):
                body.append(elements[j])
                j += 1
            items.append((title, body))
            expected += 1
        if len(items) < 2 or any(not body for _, body in items):
            return None
        if self._numbered_block(items) is None:
            return None
        return j

    def _numbered_block(self, items):
        values = []
        for title, body in items:
            if len(title) > NUMBERED_TITLE_MAX or any(
                e.name not in ("p", "ul", "ol") for e in body
            ):
                return None
            text = rich_text(_html(body), self.features["short"])
            if not text:
                return None
            values.append({"title": title.rstrip(" .:"), "text": text})
        self._place("numbered_list", {"title": "", "items": values})
        self.report.mapped(f"Numbered list: {len(values)} points ('{values[0]['title']}' …).")
        return True

    def _bold_title_list(self, element):
        """An <ol> whose every item starts with a bold title: a numbered list."""
        items = element.find_all("li", recursive=False)
        if len(items) < 2:
            return False
        leads = []
        for item in items:
            holder = item.find("p", recursive=False) or item
            first = next(
                (
                    c
                    for c in holder.children
                    if not (isinstance(c, NavigableString) and not c.strip())
                ),
                None,
            )
            if not (isinstance(first, Tag) and first.name in ("strong", "b")):
                return False
            title = text_of(first).rstrip(" .:–—-")
            if not title or len(title) > NUMBERED_TITLE_MAX or item.find(["table", "img"]):
                return False
            if len(normalise(text_of(item))) <= len(normalise(text_of(first))):
                return False  # a bold line with no text after it
            leads.append((item, first, title))
        values = []
        for item, first, title in leads:
            first.extract()
            values.append(
                {"title": title, "text": rich_text(_html(item.children), self.features["short"])}
            )
        self._place("numbered_list", {"title": "", "items": values})
        self.report.mapped(
            f"Numbered list: {len(values)} points with bold titles ('{values[0]['title']}' …)."
        )
        return True

    # ---- special sections ---------------------------------------------------

    def _faqs(self, title, section):
        questions, before, after, current = [], [], [], None
        for element in section:
            text = text_of(element)
            is_heading = element.name in HEADINGS
            stripped = QUESTION_LABEL.sub("", text)
            looks_like_question = (is_heading and stripped.endswith("?")) or (
                element.name == "p"
                and stripped.endswith("?")
                and len(stripped) <= QUESTION_MAX
                and (
                    QUESTION_LABEL.match(text)
                    or _all_bold(element)
                    or current is None
                    or current[1]
                )
            )
            if element.name == "dl":
                for dt in element.find_all("dt"):
                    dd = dt.find_next_sibling("dd")
                    questions.append([text_of(dt), [dd] if dd else []])
                current = None
                continue
            if looks_like_question and len(stripped) <= QUESTION_MAX and stripped:
                current = [stripped, []]
                questions.append(current)
            elif current is None:
                before.append(element)
            elif element.name in ("p", "ul", "ol") and not is_heading:
                current[1].append(element)
            else:
                after.append(element)
        parsed = []
        for question, answer in questions:
            if answer and answer[0].name == "p":
                self._strip_prefix(answer[0], ANSWER_LABEL)
            html = rich_text(_html(answer), self.features["answer"])
            text = text_of(BeautifulSoup(html, "html.parser"))
            if not text:
                after.insert(0, _p(self.soup, question))
                self.report.check(
                    f"A question without an answer was kept as a paragraph: '{question}'."
                )
                continue
            parsed.append(Question(question, html, text))
        if not parsed:
            self.report.check(
                f"'{title}' looks like an FAQ section but no question was recognised: kept as text."
            )
            return False
        self._keep(before, f"Text before the first question of '{title}' was kept as a paragraph.")
        self._place("faqs", {"title": title[:BLOCK_TITLE_MAX], "questions": parsed})
        self.seen_heading = True
        self._keep(
            after, f"Content in '{title}' that is not a question or answer was kept after the FAQs."
        )
        return True

    def _keep(self, elements, message):
        """Place what a section held besides what it was recognised as, and say so."""
        if elements:
            self._content(elements)
            self.report.check(message)

    def _references(self, title, section):
        items = []
        rest = []
        for element in section:
            if element.name in ("ol", "ul"):
                items += [li for li in element.find_all("li", recursive=False) if text_of(li)]
            elif element.name == "p" and text_of(element):
                items.append(element)
            else:
                rest.append(element)
        if not items:
            return False
        for item in items:
            self.out.references.append(parse_reference(item))
        self.report.mapped(f"References: {len(items)} from '{title}'.")
        for number, reference in enumerate(self.out.references, start=1):
            found = [name for name in ("doi", "pmid", "url") if getattr(reference, name)]
            if reference.cut:
                self.report.check(
                    f"Reference [{number}] is longer than 300 characters: its title was cut. "
                    f"The whole reference: {reference.source_text}"
                )
            if not found:
                self.report.check(
                    f"Reference [{number}] has no DOI, PubMed ID or web address: add one "
                    f"('{_short(reference.title)}')."
                )
            if reference.title != reference.source_text:
                self.report.guessed(
                    f"Reference [{number}]: title '{_short(reference.title)}'"
                    + "".join(f", {name} {getattr(reference, name)}" for name in found)
                    + (f", year {reference.year}" if reference.year else "")
                    + "."
                )
        self.seen_heading = True
        self._keep(rest, f"Content in '{title}' that is not a reference was kept as a paragraph.")
        return True

    def _closing(self, title, section):
        # The note is the section's text up to anything else (a table, an image,
        # a sub-heading, a disclaimer), which is placed after it as usual.
        count = 0
        for element in section:
            if element.name not in ("p", "ul", "ol") or element.find("img"):
                break
            if element.name == "p" and DISCLAIMER_LABEL.match(text_of(element)):
                break
            count += 1
        body, others = section[:count], section[count:]
        if not any(text_of(e) for e in body) or len(title) > BLOCK_TITLE_MAX:
            return False
        self._closing_block(title, body)
        self.seen_heading = True
        if others:
            self._content(others)
            self.report.mapped(
                f"What follows the text of '{title}' is placed after the closing note."
            )
        return True

    def _closing_block(self, title, body):
        html = rich_text(_html(body), self.features["short"])
        self._place("closing_note", {"title": title, "body": html})
        self.report.mapped(f"Closing note: '{title}'.")

    def _opening_disclaimer(self, element):
        if DISCLAIMER_LABEL.match(text_of(element)):
            self._disclaimer_paragraphs([element], label=True)
            return True
        return False

    def _disclaimer(self, title, section):
        body = [e for e in section if e.name in ("p", "ul", "ol") and text_of(e)]
        if not body or len(body) != len([e for e in section if text_of(e) or e.find("img")]):
            return False
        self._disclaimer_paragraphs(body, label=False, title=title)
        return True

    def _disclaimer_paragraphs(self, elements, label, title="Disclaimer"):
        if label:
            match = DISCLAIMER_LABEL.match(text_of(elements[0]))
            title = match.group(1).capitalize()
            self._strip_prefix(elements[0], DISCLAIMER_LABEL)
        opens = not self.body_started and not self.out.blocks
        if opens:
            html = rich_text(_html(elements), self.features["short"])
            self._place(
                "notice", {"placement": "top", "title": title[:BLOCK_TITLE_MAX], "body": html}
            )
            self.report.mapped(f"Notice at the top: '{title}' (the article opens with it).")
            # A notice is not the standfirst: the next paragraph may still be.
            self.body_started = False
            return
        html = rich_text(_html(elements), self.features["disclaimer"])
        if self.out.disclaimer:
            self.out.disclaimer += html
            self.report.check("A second disclaimer was added to the guide's disclaimer.")
        else:
            self.out.disclaimer = html
            self.report.mapped(
                f"Disclaimer: '{_short(text_of(elements[0]))}' (the guide's disclaimer field)."
            )
        if any(e.name != "p" for e in elements):
            self.report.check(
                "The disclaimer had a list: the disclaimer field keeps its text, not the list."
            )

    def _strip_prefix(self, element, pattern):
        """Removes a leading label ('Disclaimer:', 'A:') from an element's text,
        wherever the label's characters sit (e.g. 'Disclaimer' bold, ':' not)."""
        match = pattern.match(text_of(element))
        if not match:
            return
        remaining = re.sub(r"\s+", "", match.group(0))
        for string in list(element.find_all(string=True)):
            if not remaining:
                break
            value, k = str(string), 0
            while k < len(value) and remaining:
                if value[k].isspace():
                    k += 1
                elif value[k] == remaining[0]:
                    remaining, k = remaining[1:], k + 1
                else:
                    remaining = ""
            string.replace_with("" if remaining else value[k:].lstrip())
        first = next((s for s in element.find_all(string=True) if s.strip()), None)
        if first is not None:
            first.replace_with(first.lstrip())
        for bold in element.find_all(["strong", "b"]):
            if not text_of(bold):
                bold.decompose()


DOI = re.compile(
    r"(?:https?://(?:dx\.)?doi\.org/|\bdoi:\s*)?(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE
)
PMID = re.compile(
    r"(?:\bPMID:?\s*|https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/)(\d{1,9})/?",
    re.IGNORECASE,
)
URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
LEADING_NUMBER = re.compile(r"^\s*(\[\d+\]|\d+[.)])\s*")


def parse_reference(element):
    """A reference line's DOI, PubMed ID and address; what is left is its title."""
    text = text_of(element)
    source_text = LEADING_NUMBER.sub("", text)
    hrefs = (
        [a["href"] for a in element.find_all("a", href=True)] if isinstance(element, Tag) else []
    )
    rest = source_text
    doi = pmid = url = ""
    match = DOI.search(rest) or next((m for h in hrefs if (m := DOI.search(h))), None)
    if match:
        doi = match.group(1).rstrip(".,;)]")
        rest = rest.replace(match.group(0).rstrip(".,;)]"), " ") if match.group(0) in rest else rest
    match = PMID.search(rest) or next((m for h in hrefs if (m := PMID.search(h))), None)
    if match:
        pmid = match.group(1)
        rest = rest.replace(match.group(0), " ") if match.group(0) in rest else rest
    match = URL.search(rest)
    if match:
        url = match.group(0).rstrip(".,;)]")
        rest = rest.replace(url, " ")
    else:
        other = [h for h in hrefs if URL.match(h) and not DOI.search(h) and not PMID.search(h)]
        url = other[0] if other else ""
    if len(url) > 500:
        url = ""
    title = " ".join(rest.split())
    title = re.sub(r"(\s*[.,;:]\s*)+$", "", title)
    title = re.sub(r"\s+([.,;:])", r"\1", title)
    title = re.sub(
        r"(?:\bAvailable (?:at|from)|\bdoi|\bPMID)\s*:?\s*$", "", title, flags=re.I
    ).strip(" .,;:")
    year = YEAR.search(title)
    return ParsedReference(
        source_text=source_text,
        title=(title or source_text)[:300],
        cut=len(title or source_text) > 300,
        doi=doi[:200],
        pmid=pmid,
        url=url,
        year=int(year.group(1)) if year else None,
    )


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


def segment(html, file_name, features, report):
    """The article's fields and blocks; findings go into `report`."""
    try:
        return Segmenter(html, file_name, features, report).run()
    except RecursionError:
        raise ImportRefused(
            f"{file_name} nests its elements too deeply to read: save it as a simpler document."
        ) from None
