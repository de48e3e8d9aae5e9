"""Writing help beside the guide's body: live readability with the hard
sentences, the plain-language list, and an honest summary limit."""

import re

import pytest
from django.contrib.auth import get_user_model
from wagtail import blocks
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import rich_text, streamfield

from guides import readability
from guides.models import PlainLanguageTerm
from tests.test_admin import GuideEditing

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


# Words that are hard on their own: a list of them is not a sentence.
FRAGMENTS = [
    "Chemotherapy immunotherapy radiotherapy surgery",
    "Multidisciplinary psychological support services",
    "Gastrointestinal complications afterwards",
    "Questions about immunotherapy medication",
]


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_headings_and_list_items_are_not_scored_as_sentences(fragment):
    prose = "Ask your nurse. Bring a friend to the clinic."
    text = f"{fragment}\n{prose}\n{fragment}"
    # On its own the fragment would be graded far above the target.
    assert readability.measure(fragment).grade > 15
    assert readability.hard_sentences(text, target=8) == []
    measured = readability.measure(text)
    assert measured.grade == readability.measure(prose).grade
    # Its words still count towards the length.
    assert measured.word_count == readability.measure(prose).word_count + 2 * len(fragment.split())


def test_a_sentence_the_text_repeats_is_listed_once():
    text = f"{LONG_SENTENCE}\nAsk your nurse.\n{LONG_SENTENCE}"
    assert [item["sentence"] for item in readability.hard_sentences(text, target=8)] == [
        LONG_SENTENCE
    ]


def test_rich_text_list_items_and_headings_are_lines_of_their_own(make_guide):
    items = "".join(f"<li>{fragment}</li>" for fragment in FRAGMENTS)
    guide = make_guide(
        "Plain words",
        slug="plain",
        body=[
            {"type": "heading", "value": {"text": "Treatments you may have", "level": "2"}},
            {"type": "paragraph", "value": f"<p>You may have these.</p><ul>{items}</ul>"},
        ],
    )
    lines = guide.reader_text().splitlines()
    assert "Treatments you may have" in lines
    for fragment in FRAGMENTS:
        assert fragment in lines
    assert readability.hard_sentences(guide.reader_text(), target=8) == []


def test_check_endpoint_gives_the_reading_time_it_shows_everywhere(admin_client):
    text = " ".join(["Ask your nurse."] * 150)  # 450 words
    result = admin_client.post("/admin/readability/check/", {"text": text}).json()
    assert result["word_count"] == 450
    assert result["reading_time_minutes"] == readability.measure(text).reading_time_minutes == 3


def text_blocks(block, path=()):
    """Every block inside `block`, with its path."""
    yield path, block
    children = getattr(block, "child_blocks", None)
    if children is None and hasattr(block, "child_block"):
        children = {"item": block.child_block}
    for name, child in (children or {}).items():
        yield from text_blocks(child, (*path, name))


def test_no_text_block_is_pre_filled():
    """Typing into a pre-filled title added to it ("Frequently asked
    questionsCommon questions"): the usual value is a placeholder instead."""
    from django.apps import apps
    from wagtail.fields import StreamField

    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, StreamField):
                continue
            for path, block in text_blocks(field.stream_block):
                if isinstance(block, blocks.CharBlock | blocks.TextBlock) and block.get_default():
                    found.append((model.__name__, field.name, *path))
    assert found == []


def test_the_faqs_blocks_usual_title_is_a_placeholder_and_the_api_default():
    from faqs.blocks import FAQsBlock

    block = FAQsBlock()
    title = block.child_blocks["title"]
    assert not title.get_default()
    assert title.field.widget.attrs["placeholder"] == "Frequently asked questions"
    value = block.to_python({"title": "", "faqs": []})
    assert block.api_title(None, value) == "Frequently asked questions"
    assert block.get_api_representation(value)["title"] == "Frequently asked questions"
    value = block.to_python({"title": "Common questions", "faqs": []})
    assert block.api_title(None, value) == "Common questions"


class CitationErrors(WagtailPageTestCase):
    """A citation with no reference is marked where it is, not only in the banner."""

    setUp = GuideEditing.setUp
    guide_form = GuideEditing.guide_form
    post_new_guide = GuideEditing.post_new_guide

    def test_the_block_that_cites_a_missing_reference_is_marked(self):
        body = streamfield(
            [
                ("paragraph", rich_text("<p>Most reviews agree.</p>")),
                ("paragraph", rich_text("<p>Most reviews agree with the first plan [1].</p>")),
                ("callout", {"variant": "info", "title": "", "body": rich_text("<p>See [2].</p>")}),
            ]
        )
        highlights = streamfield([("highlight", "It is normal."), ("highlight", "Ask [3].")])
        response = self.post_new_guide(
            body=body, key_highlights=highlights, standfirst="As reported [4]."
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        body_error = errors["body"].as_data()[0]
        assert sorted(body_error.block_errors) == [1, 2]
        assert "[1] but the guide has 0 reference(s)" in body_error.block_errors[1].messages[0]
        assert "[2] but the guide has 0 reference(s)" in body_error.block_errors[2].messages[0]
        assert sorted(errors["key_highlights"].as_data()[0].block_errors) == [1]
        assert "[4] but the guide has 0 reference(s)" in errors["standfirst"][0]
        assert "quick_answer" not in errors
        # Wagtail draws a block's error beside the block.
        html = response.content.decode()
        assert "blockErrors" in html


class NewFormsNotAutosaved(WagtailPageTestCase):
    """The first autosave of a new page's form created the page: an editor who
    abandoned the form left a draft guide behind."""

    setUp = GuideEditing.setUp

    def autosaves(self, url):
        response = self.client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        form = re.search(r"<form[^>]*data-edit-form[^>]*>", html).group(0)
        return "w-autosave" in form or 'id="w-autosave-indicator"' in html

    def test_a_new_guide_or_faq_form_is_not_autosaved_and_an_edit_form_is(self):
        assert not self.autosaves(f"/admin/pages/add/guides/guidepage/{self.hub.pk}/")
        assert not self.autosaves("/admin/snippets/faqs/faq/add/")
        self.hub.save_revision()
        assert self.autosaves(f"/admin/pages/{self.hub.pk}/edit/")
        self.faq.save_revision()
        assert self.autosaves(f"/admin/snippets/faqs/faq/edit/{self.faq.pk}/")
