"""Plain text to HTML: the article's outline inferred from its lines.

Plain text has no markup, so its structure is read from the shape of its lines
(the way an editor reads a text export): the first line is the title; every
other line is a paragraph (blank lines only separate); a short line without
closing punctuation is a heading; `1.`, `-`, `*`, `•` lines are list items; a
line wholly in quotation marks is a quotation; under a "Frequently asked
questions" heading, each question line starts a question. The segmenter then
reads the HTML as it reads any article ("Step 1:" paragraphs, "Disclaimer:",
FAQs, references), so plain text gets the same steps, FAQs and disclaimer.
"""

import re
from dataclasses import dataclass, field

from django.utils.html import escape

from guides.importing.html_blocks import FAQ_TITLES, STEP, normalise

HEADING_MAX_CHARS = 90
HEADING_MAX_WORDS = 14
BULLET = re.compile(r"^\s*[-*•–·▪◦]\s+(\S.*)$")
NUMBERED_ITEM = re.compile(r"^\s*(\d{1,3})[.)]\s+(\S.*)$")
QUOTED = re.compile(r'^\s*(["“‘«])(.+)(["”’»])\s*$', re.DOTALL)
DISCLAIMER_LINE = re.compile(r"^\s*((?:medical\s+)?disclaimer)\s*[:.\-–—]\s*(\S.*)$", re.IGNORECASE)
LABELLED = re.compile(r"^\s*[\w ]{1,30}:\s+\S")  # "Disclaimer: …", "Important: …"
GLUED_FAQ_TITLE = re.compile(
    r"^(.*[a-z])((?:" + "|".join(sorted(FAQ_TITLES, key=len, reverse=True)) + r")\s*)$",
    re.IGNORECASE,
)
SMALL_WORDS = {
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "is", "of",
    "on", "or", "the", "to", "vs", "with", "your", "you", "it", "its", "not", "when",
}  # fmt: skip


@dataclass
class Outline:
    """What was inferred, counted for the import report."""

    headings: list[str] = field(default_factory=list)
    subheadings: int = 0  # of the headings, those made H3
    lists: int = 0
    list_items: int = 0
    questions: int = 0
    quotes: int = 0
    paragraphs: int = 0
    joined_lines: int = 0

    def describe(self):
        parts = [
            f"{len(self.headings)} heading(s)"
            + (f" ({self.subheadings} in sentence case as H3)" if self.subheadings else ""),
            f"{self.lists} list(s) of {self.list_items} item(s)",
            f"{self.paragraphs} paragraph(s)",
        ]
        if self.questions:
            parts.append(f"{self.questions} FAQ question(s)")
        if self.quotes:
            parts.append(f"{self.quotes} quotation(s)")
        text = (
            "Plain text: its structure was inferred from the lines (the first line as the "
            "title, short lines without closing punctuation as headings, '1.', '-' and "
            "'•' lines as lists, each line as a paragraph): " + ", ".join(parts) + "."
        )
        if self.joined_lines:
            text += f" {self.joined_lines} line(s) wrapped mid-sentence were joined."
        return text + " Check the headings and their levels in the draft."


def is_heading(line):
    """A short line that does not end a sentence, and is not a list item or a label."""
    text = line.strip()
    if not text or len(text) > HEADING_MAX_CHARS or len(text.split()) > HEADING_MAX_WORDS:
        return False
    if BULLET.match(text) or NUMBERED_ITEM.match(text) or STEP.match(text):
        return False
    if LABELLED.match(text) or QUOTED.match(text):
        return False
    if text[-1] in '.,;:!…"”’)':
        return False
    if text[-1] == "?":
        return is_title_case(text)  # "What Should You Ask?" heads a section
    return text[0].isupper() or text[0].isdigit()


def is_title_case(text):
    """Most of the line's longer words are capitalised, as in a heading."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if w.lower() not in SMALL_WORDS]
    if len(words) < 2:
        return False
    return sum(w[0].isupper() for w in words) / len(words) >= 0.7


def _title_like(line):
    return len(re.findall(r"[A-Za-z]+", line)) < 2 or is_title_case(line)


def _lines(text):
    """Non-empty lines, with a line wrapped mid-sentence joined to the next one."""
    joined = 0
    out = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = " ".join(raw.split())
        if not line:
            out.append("")
            continue
        glued = GLUED_FAQ_TITLE.match(line)
        if glued:
            # A button's text run into the next heading by a text export.
            out += [glued.group(1), glued.group(2)]
            continue
        previous = out[-1] if out else ""
        wrapped = (
            previous
            and previous[-1] not in '.!?:;"”’)'
            and line[0].islower()
            and not BULLET.match(line)
            and not NUMBERED_ITEM.match(line)
            and len(previous) > HEADING_MAX_CHARS // 2
        )
        if wrapped:
            out[-1] = f"{previous} {line}"
            joined += 1
        else:
            out.append(line)
    return [line for line in out if line], joined


def to_html(text):
    """Plain text as HTML, with what was inferred."""
    lines, joined = _lines(text)
    outline = Outline(joined_lines=joined)
    parts = []
    in_faqs = False
    # Where an article writes its sections in Title Case and its sub-sections in
    # sentence case, the sentence-case headings are H3 under the others.
    kinds = {_title_like(line) for line in lines[1:] if is_heading(line)}
    two_levels = kinds == {True, False}
    seen_section = False
    open_list = None  # "ul" or "ol" while list items run

    def close_list():
        nonlocal open_list
        if open_list:
            parts.append(f"</{open_list}>")
            open_list = None

    for index, line in enumerate(lines):
        if index == 0:
            parts.append(f"<h1>{escape(line)}</h1>")
            continue
        bullet, numbered = BULLET.match(line), NUMBERED_ITEM.match(line)
        if bullet or numbered:
            kind = "ul" if bullet else "ol"
            if open_list != kind:
                close_list()
                start = int(numbered.group(1)) if numbered else 1
                parts.append(f"<{kind}>" if start == 1 else f'<ol start="{start}">')
                open_list = kind
                outline.lists += 1
            item = (bullet or numbered).group(bullet and 1 or 2)
            parts.append(f"<li>{escape(item)}</li>")
            outline.list_items += 1
            continue
        close_list()
        disclaimer = DISCLAIMER_LINE.match(line)
        if disclaimer:
            # Its own section, so it does not read as the last FAQ's answer.
            parts.append(
                f"<h2>{escape(disclaimer.group(1))}</h2><p>{escape(disclaimer.group(2))}</p>"
            )
            in_faqs = False
            continue
        question = in_faqs and line.endswith("?") and len(line) <= 255
        if question:
            # A question of the FAQ section: a sub-heading the FAQ reader takes as one.
            parts.append(f"<h3>{escape(line)}</h3>")
            outline.questions += 1
        elif is_heading(line):
            in_faqs = normalise(line) in FAQ_TITLES
            level = 3 if two_levels and seen_section and not (in_faqs or _title_like(line)) else 2
            seen_section = seen_section or level == 2
            parts.append(f"<h{level}>{escape(line)}</h{level}>")
            outline.headings.append(line)
            outline.subheadings += level == 3
        elif quoted := QUOTED.match(line):
            parts.append(f"<blockquote><p>{escape(quoted.group(2).strip())}</p></blockquote>")
            outline.quotes += 1
        else:
            parts.append(f"<p>{escape(line)}</p>")
            outline.paragraphs += 1
    close_list()
    return "\n".join(parts), outline
