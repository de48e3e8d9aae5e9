"""Stage: the special sections (FAQs, references, closing note, disclaimer)."""

import re

from bs4 import BeautifulSoup, Tag

from guides.importing.html_blocks import (
    ANSWER_LABEL,
    BLOCK_TITLE_MAX,
    DISCLAIMER_LABEL,
    HEADINGS,
    QUESTION_LABEL,
    QUESTION_MAX,
    ParsedReference,
    Question,
    _all_bold,
    _html,
    _p,
    _short,
    rich_text,
    text_of,
)


class Sections:
    """The sections the article names: FAQs, references, a closing note and
    disclaimers."""

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
