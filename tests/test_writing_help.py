"""Writing help beside the guide's body: live readability with the hard
sentences, the plain-language list, and an honest summary limit."""

import pytest
from django.contrib.auth import get_user_model

from guides import readability
from guides.models import PlainLanguageTerm

LONG_SENTENCE = (
    "Following the administration of adjuvant chemotherapeutic regimens, "
    "individuals frequently experience considerable fatigue, gastrointestinal "
    "disturbances and immunological vulnerability necessitating comprehensive "
    "multidisciplinary supportive interventions."
)


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("writer", "writer@example.org", "pw")
    client.force_login(user)
    return client


def test_only_sentences_above_the_target_grade_are_listed():
    text = f"Ask your nurse. Bring a friend to the clinic. {LONG_SENTENCE}"
    found = readability.hard_sentences(text, target=8)
    assert [item["sentence"] for item in found] == [LONG_SENTENCE]
    assert found[0]["grade"] > 8


def test_target_grade_is_a_named_setting(settings):
    assert readability.TARGET_GRADE == settings.GUIDES_READABILITY_TARGET_GRADE == 8


def test_terms_match_whole_words_any_case_and_plurals(db):
    terms = [
        PlainLanguageTerm(term="lesion", alternative="an area of change"),
        PlainLanguageTerm(term="metastasis", alternative="spread to other parts of the body"),
    ]
    text = "Lesions were seen. A LESION is small. Metastasisx is not a word."
    found = readability.plain_language_matches(text, terms)
    assert found == [{"term": "lesion", "alternative": "an area of change", "note": "", "count": 2}]


def test_the_list_is_seeded_by_its_migration(db):
    term = PlainLanguageTerm.objects.get(term="metastasis")
    assert term.alternative == "spread to other parts of the body"


def test_check_endpoint_scores_the_text_being_written(admin_client):
    response = admin_client.post(
        "/admin/readability/check/",
        {"text": f"Ask your nurse. The metastasis grew. {LONG_SENTENCE}"},
    )
    assert response.status_code == 200
    result = response.json()
    assert result["target"] == 8
    assert (
        result["grade"]
        == readability.measure(f"Ask your nurse. The metastasis grew. {LONG_SENTENCE}").grade
    )
    assert [item["sentence"] for item in result["hard_sentences"]] == [LONG_SENTENCE]
    found = {item["term"]: item["alternative"] for item in result["plain_language"]}
    assert found == {
        "adjuvant": "extra treatment after the main one",
        "metastasis": "spread to other parts of the body",
    }


def test_check_endpoint_needs_an_admin_login(client, db):
    response = client.post("/admin/readability/check/", {"text": "Hello."})
    assert response.status_code == 302


def test_readability_panel_sits_on_the_content_tab_after_the_body():
    from guides.models import GuidePage

    content = GuidePage.edit_handler.children[0]
    names = [getattr(panel, "field_name", type(panel).__name__) for panel in content.children]
    assert names.index("ReadabilityPanel") == names.index("body") + 1


def test_summary_is_not_cut_by_the_browser_but_checked_on_save(db):
    from guides.models import GuidePage

    form_class = GuidePage.get_edit_handler().get_form_class()
    form = form_class(for_user=get_user_model()(is_superuser=True))
    attrs = form.fields["summary"].widget.attrs
    assert "maxlength" not in attrs
    assert attrs["data-character-limit"] == 600
    # A soft limit only: the database has none, and a longer one is saved.
    assert form.fields["search_description"].widget.attrs["data-character-recommended"] == 160


def test_a_publisher_is_added_from_inside_the_chooser(admin_client):
    from guides.models import Publisher

    page = admin_client.get("/admin/snippets/choose/guides/publisher/").json()
    assert "Add new publisher" in page["html"]
    response = admin_client.post(
        "/admin/snippets/choose/guides/publisher/create/",
        {"name": "Northern Cancer Network", "url": "https://example.org/"},
    )
    assert response.json()["step"] == "chosen"
    assert Publisher.objects.filter(name="Northern Cancer Network").exists()


def test_an_faq_added_from_the_chooser_is_a_draft_for_clinical_review(admin_client):
    from faqs.models import FAQ, FAQTopic

    topic = FAQTopic.objects.create(name="Travel", slug="travel")
    page = admin_client.get("/admin/snippets/choose/faqs/faq/").json()
    assert "Add new FAQ" in page["html"]
    assert 'name="reviewed_by"' not in page["html"]
    response = admin_client.post(
        "/admin/snippets/choose/faqs/faq/create/",
        {
            "question": "Can I fly after treatment?",
            "answer": '{"blocks":[{"key":"a","type":"unstyled","depth":0,"text":"Ask your team first.","inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
            "topic": topic.pk,
        },
    )
    assert response.json()["step"] == "chosen"
    faq = FAQ.objects.get(question="Can I fly after treatment?")
    assert not faq.live
    assert faq.latest_revision is not None
    assert faq.reviewed_by is None


def test_faq_answers_are_checked_against_the_plain_language_list_faq_by_faq(make_faq):
    terms = [PlainLanguageTerm(term="metastasis", alternative="spread to other parts of the body")]
    plain = make_faq("Can I bring someone?", answer="<p>Yes, bring a friend.</p>")
    flagged = make_faq("Has it spread?", answer="<p>A <b>metastasis</b> shows on a scan.</p>")
    result = readability.check("Ask your nurse.", terms, faqs=[plain, flagged])
    assert result["plain_language"] == []
    assert result["faq_plain_language"] == [
        {
            "id": flagged.pk,
            "question": "Has it spread?",
            "plain_language": [
                {
                    "term": "metastasis",
                    "alternative": "spread to other parts of the body",
                    "note": "",
                    "count": 1,
                }
            ],
        }
    ]


def test_check_endpoint_reads_the_latest_answer_of_the_faqs_the_guide_shows(admin_client, make_faq):
    shown = make_faq("Has it spread?", answer="<p>No.</p>")
    # A draft edit in review: the panel advises on the answer being written.
    shown.answer = "<p>A metastasis shows on a scan.</p>"
    shown.save_revision()
    other = make_faq("Is it adjuvant?", answer="<p>The adjuvant treatment.</p>")
    response = admin_client.post(
        "/admin/readability/check/", {"text": "Ask your nurse.", "faq": [str(shown.pk), "x"]}
    )
    found = response.json()["faq_plain_language"]
    assert [(faq["question"], [t["term"] for t in faq["plain_language"]]) for faq in found] == [
        ("Has it spread?", ["metastasis"])
    ]
    assert other.pk not in [faq["id"] for faq in found]


def test_cancer_types_and_audiences_are_filterable_checkbox_lists(db):
    from cms.widgets import FilterableCheckboxSelectMultiple
    from guides.models import GuidePage

    form_class = GuidePage.get_edit_handler().get_form_class()
    form = form_class(for_user=get_user_model()(is_superuser=True))
    for name, label in [("cancer_types", "Filter cancer types"), ("audiences", "Filter audiences")]:
        widget = form.fields[name].widget
        assert isinstance(widget, FilterableCheckboxSelectMultiple)
        html = form[name].as_widget()
        assert "data-filterable-choices" in html
        assert f'data-filter-label="{label}"' in html


def test_list_items_in_blocks_are_named_for_screen_readers():
    from guides.blocks import ChecklistBlock, ComparisonBlock, QuestionListBlock

    items = [
        ChecklistBlock().child_blocks["items"].child_block,
        QuestionListBlock().child_blocks["questions"].child_block,
        ComparisonBlock().child_blocks["columns"].child_block.child_blocks["points"].child_block,
    ]
    assert [item.field.widget.attrs["aria-label"] for item in items] == [
        "Item",
        "Question",
        "Point",
    ]
