"""Stage: sequences the article numbers (steps, reasons) become one block each."""

from bs4 import NavigableString, Tag

from guides.importing.html_blocks import (
    NUMBERED,
    NUMBERED_TITLE_MAX,
    SENTENCE_END,
    STEP,
    STEP_TITLE_MAX,
    _html,
    normalise,
    rich_text,
    text_of,
)


class Runs:
    """Runs of numbered headings, 'Step 1' paragraphs and numbered reasons,
    each made into one steps or numbered-list block."""

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
