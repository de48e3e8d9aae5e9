"""Readability is measured from a guide's text when it is saved, offline,
shown to editors beside the target and exposed to frontends."""

import socket

import pytest
import textstat
from django.contrib.auth import get_user_model

from tests.admin_workflow import publish_reviewed

SHORT_SENTENCES = " ".join(["Ask your nurse. Bring a friend. Write it down."] * 4)


def paragraph(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_scores_are_measured_offline_when_a_guide_is_saved(no_network, graphql, make_guide):
    guide = make_guide(
        "Plain words", slug="plain", summary="Short and clear.", body=[paragraph(SHORT_SENTENCES)]
    )
    text = guide.reader_text()
    assert "Ask your nurse." in text and "Short and clear." in text
    assert guide.readability_grade == round(
        textstat.flesch_kincaid_grade(" ".join(text.split())), 1
    )
    assert guide.reading_ease > 80
    assert guide.word_count == textstat.lexicon_count(" ".join(text.split()))
    assert guide.reading_time_minutes == 1

    data = graphql.data(
        '{ guide(slug: "plain") { readability { grade readingEase smog wordCount readingTimeMinutes } } }'
    )
    assert data["guide"]["readability"] == {
        "grade": guide.readability_grade,
        "readingEase": guide.reading_ease,
        "smog": None,  # fewer than 30 sentences
        "wordCount": guide.word_count,
        "readingTimeMinutes": 1,
    }


def test_smog_needs_thirty_sentences(make_guide):
    long_text = " ".join(
        f"Sentence number {n} explains one more step of the treatment plan." for n in range(32)
    )
    guide = make_guide(body=[paragraph(long_text)])
    assert guide.smog_grade is not None and guide.smog_grade > 0


def test_scores_follow_edits(make_guide):
    guide = make_guide(summary="Short.", body=[paragraph(SHORT_SENTENCES)])
    easy = guide.readability_grade
    guide.body = '[{"type": "paragraph", "value": "<p>Immunohistochemical characterisation notwithstanding, multidisciplinary deliberation necessitates comprehensive documentation.</p>"}]'
    publish_reviewed(guide)
    guide.refresh_from_db()
    assert guide.readability_grade > easy + 5


def test_editors_see_scores_beside_the_target(client, make_guide):
    guide = make_guide(
        body=[
            paragraph(
                "Notwithstanding considerable immunohistochemical heterogeneity, prognostication remains uncertain."
            )
        ]
    )
    client.force_login(get_user_model().objects.create_superuser("editor", "e@example.org", "pw"))
    html = client.get(f"/admin/pages/{guide.pk}/edit/").content.decode()
    assert "Flesch-Kincaid grade" in html
    assert "above the target of grade 8 or lower" in html
