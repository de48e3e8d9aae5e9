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
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction, Tag

from guides.importing.html_blocks import (
    BLOCKS,
    CLOSING_LABEL,
    CLOSING_TITLES,
    DISCLAIMER_LABEL,
    DISCLAIMER_TITLES,
    DROPPED,
    FAQ_TITLES,
    HEADING_MAX,
    HEADINGS,
    KEPT_ATTRIBUTES,
    REFERENCE_TITLES,
    SAFE_LINK,
    STEP,
    WRAPPERS,
    Pending,
    Segmented,
    _escape,
    _html,
    _short,
    normalise,
    rich_text,
    text_of,
)
from guides.importing.report import ImportReport
from guides.importing.runs import Runs
from guides.importing.sections import Sections
from guides.importing.sources import ImportRefused


def title_from_file_name(name):
    stem = Path(name).stem
    words = re.sub(r"[-_]+", " ", stem).strip()
    return (words[:1].upper() + words[1:]) or "Imported guide"


class Segmenter(Runs, Sections):
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

    # ---- the content between headings ---------------------------------------

    def _content(self, elements):
        run = []  # paragraphs and lists merged into one paragraph block

        def flush():
            if run:
                html = rich_text(_html(run), self.features["paragraph"])
                if html:
                    self._place("paragraph", html)
                run.clear()

        def placed_after_run(recognise, *args):
            """A recogniser that places its own block: the text before it goes first."""
            mark = len(self.out.blocks)
            result = recognise(*args)
            if result:
                made = self.out.blocks[mark:]
                del self.out.blocks[mark:]
                flush()
                self.out.blocks.extend(made)
            return result

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
                end = placed_after_run(self._step_run, elements, i)
                if end:
                    i = end
                    continue
            if self._is_numbered_line(element):
                end = placed_after_run(self._numbered_run, elements, i)
                if end:
                    i = end
                    continue
            if name == "ol" and placed_after_run(self._bold_title_list, element):
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


def segment(html, file_name, features, report):
    """The article's fields and blocks; findings go into `report`."""
    try:
        return Segmenter(html, file_name, features, report).run()
    except RecursionError:
        raise ImportRefused(
            f"{file_name} nests its elements too deeply to read: save it as a simpler document."
        ) from None
