"""Patient search through GraphQL: live content only, ranked by where the words
are, filtered, with excerpts, synonyms, suggestions, promotions and a log."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from guides.models import GuideCategory
from search.models import SearchEntry, SearchQueryLog, SearchSynonym
from tests.admin_workflow import publish_reviewed

SEARCH = """query ($q: String!, $kinds: [SearchKind!], $category: String, $cancerType: String,
                   $audience: String, $page: Int, $perPage: Int) {
  search(query: $q, kinds: $kinds, category: $category, cancerType: $cancerType,
         audience: $audience, page: $page, perPage: $perPage) {
    total page perPage
    items { kind title url excerpt score promoted guide { slug } faq { question } hub { title } }
  }
}"""


def search(graphql, q, **variables):
    return graphql.data(SEARCH, {"q": q, **variables})["search"]


def titles(graphql, q, **variables):
    return [item["title"] for item in search(graphql, q, **variables)["items"]]


def paragraph(text):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def test_title_match_ranks_above_summary_above_body(graphql, make_guide):
    make_guide(
        "Eating well", summary="Food during treatment.", body=[paragraph("Myeloma diet tips.")]
    )
    make_guide("Coping at work", summary="Myeloma and your job.")
    make_guide("Myeloma explained", summary="What it is.")
    assert titles(graphql, "myeloma") == ["Myeloma explained", "Coping at work", "Eating well"]


def test_highlights_count_like_the_summary(graphql, make_guide):
    make_guide("Body mention", body=[paragraph("Travel insurance matters.")])
    make_guide(
        "Highlight mention",
        key_highlights='[{"type": "highlight", "value": "Check travel insurance."}]',
    )
    assert titles(graphql, "insurance") == ["Highlight mention", "Body mention"]


def test_newest_first_breaks_ties(graphql, make_guide):
    make_guide("Lymphoma guide A", published_date=datetime.date(2024, 1, 1))
    make_guide("Lymphoma guide B", published_date=datetime.date(2026, 1, 1))
    make_guide("Lymphoma guide C", published_date=datetime.date(2025, 1, 1))
    assert titles(graphql, "lymphoma") == [
        "Lymphoma guide B",
        "Lymphoma guide C",
        "Lymphoma guide A",
    ]


def test_results_of_every_kind_carry_their_typed_object(graphql, make_guide, make_hub, make_faq):
    make_hub("Travel for treatment", slug="travel-hub")
    make_guide("Travel checklist", slug="travel-checklist")
    make_faq("Can my carer travel with me?", "<p>Usually.</p>")
    result = search(graphql, "travel")
    by_kind = {item["kind"]: item for item in result["items"]}
    assert result["total"] == 3
    assert by_kind["GUIDE"]["guide"] == {"slug": "travel-checklist"}
    assert by_kind["GUIDE"]["url"].endswith("/travel-checklist/")
    assert by_kind["HUB"]["hub"] == {"title": "Travel for treatment"}
    assert by_kind["FAQ"]["faq"] == {"question": "Can my carer travel with me?"}
    assert by_kind["FAQ"]["url"] is None
    assert all(item["guide"] is None for item in result["items"] if item["kind"] != "GUIDE")


def test_filters_combine_with_the_query_and_each_other(graphql, make_guide, make_faq, taxonomy):
    caregiver = GuideCategory.objects.create(name="Caregiver Guide")
    a = make_guide("Fatigue for patients")
    a.cancer_types.set([taxonomy["lymphoma"]])
    a.audiences.set([taxonomy["patients"]])
    publish_reviewed(a)
    b = make_guide("Fatigue for carers", category=caregiver)
    b.audiences.set([taxonomy["caregivers"]])
    publish_reviewed(b)
    make_faq("Is fatigue normal?")

    assert sorted(titles(graphql, "fatigue")) == [
        "Fatigue for carers",
        "Fatigue for patients",
        "Is fatigue normal?",
    ]
    assert titles(graphql, "fatigue", kinds=["FAQ"]) == ["Is fatigue normal?"]
    assert titles(graphql, "fatigue", category="caregiver-guide") == ["Fatigue for carers"]
    assert titles(graphql, "fatigue", cancerType="lymphoma") == ["Fatigue for patients"]
    assert titles(graphql, "fatigue", audience="caregivers") == ["Fatigue for carers"]
    assert titles(graphql, "fatigue", audience="patients", category="caregiver-guide") == []
    assert titles(graphql, "sleep", audience="patients") == []


def test_pagination_has_a_total_and_a_bounded_page_size(graphql, make_guide):
    for day in range(1, 6):
        make_guide(f"Nausea guide {day}", published_date=datetime.date(2026, 1, day))
    first = search(graphql, "nausea", perPage=2)
    third = search(graphql, "nausea", perPage=2, page=3)
    assert first["total"] == third["total"] == 5
    assert [i["title"] for i in first["items"]] == ["Nausea guide 5", "Nausea guide 4"]
    assert [i["title"] for i in third["items"]] == ["Nausea guide 1"]
    status, body = graphql.post(SEARCH, {"q": "nausea", "perPage": 51})
    assert body["errors"][0]["message"] == "perPage must be between 1 and 50."


def test_only_live_public_content_is_found(graphql, make_guide, make_hub, make_faq):
    make_guide("Scanxiety: visible")
    make_guide("Scanxiety: never published", publish=False)
    withdrawn = make_guide("Scanxiety: withdrawn")
    withdrawn.unpublish()
    password = make_guide("Scanxiety: password")
    PageViewRestriction.objects.create(page=password, restriction_type="password", password="x")
    private_hub = make_hub("Private hub")
    make_guide("Scanxiety: group only", parent=private_hub)
    restriction = PageViewRestriction.objects.create(page=private_hub, restriction_type="groups")
    restriction.groups.add(Group.objects.create(name="Staff"))
    expired = make_guide("Scanxiety: expired")
    expired.expire_at = timezone.now() - datetime.timedelta(hours=1)
    expired.save()
    make_faq("Scanxiety: unpublished FAQ?", publish=False)
    live_faq = make_faq("Scanxiety: withdrawn FAQ?")
    live_faq.unpublish()

    assert titles(graphql, "scanxiety") == ["Scanxiety: visible"]
    assert search(graphql, "scanxiety")["total"] == 1


def test_a_pending_draft_is_not_searchable_until_published(graphql, make_guide):
    guide = make_guide("Mouth care", slug="mouth")
    guide.title = "Mouth ulcers and chemotherapy"
    guide.save_revision()
    assert titles(graphql, "ulcers") == []
    assert titles(graphql, "mouth") == ["Mouth care"]
    publish_reviewed(guide)
    assert titles(graphql, "ulcers") == ["Mouth ulcers and chemotherapy"]


def test_excerpt_marks_matches_and_escapes_text(graphql, make_guide):
    make_guide(
        "Blood tests",
        summary="Results <b>matter</b> & neutrophil counts below <1.0 need a call.",
    )
    [item] = search(graphql, "neutrophil")["items"]
    assert "<mark>neutrophil</mark>" in item["excerpt"]
    assert "&lt;b&gt;matter&lt;/b&gt; &amp;" in item["excerpt"]
    assert "&lt;1.0" in item["excerpt"]
    assert "<b>" not in item["excerpt"]


def test_excerpt_is_a_short_passage_around_the_match(graphql, make_guide):
    long_text = (
        " ".join(["Filler words about appointments."] * 40)
        + " Radiotherapy starts here. "
        + ("More filler text. " * 40)
    )
    make_guide("Treatment planning", body=[paragraph(long_text)])
    [item] = search(graphql, "radiotherapy")["items"]
    assert "<mark>Radiotherapy</mark>" in item["excerpt"]
    assert item["excerpt"].startswith("… ") and item["excerpt"].endswith(" …")
    assert len(item["excerpt"]) < 260


def test_synonyms_managed_by_editors_apply_at_query_time(graphql, make_guide):
    make_guide("Your multidisciplinary team")
    make_guide("Tumour markers")
    assert titles(graphql, "MDT") == []
    SearchSynonym.objects.create(terms="MDT, multidisciplinary team, tumour board")
    SearchSynonym.objects.create(terms="tumor, tumour")
    assert titles(graphql, "MDT") == ["Your multidisciplinary team"]
    assert titles(graphql, "tumor markers") == ["Tumour markers"]


def test_suggestions_complete_guide_titles_and_faq_questions(graphql, make_guide, make_faq):
    make_guide("Travelling for treatment")
    make_guide("Travel insurance explained")
    make_guide("Travel draft", publish=False)
    make_faq("Can my carer travel with me?")
    make_guide("Eating well")

    data = graphql.data('{ searchSuggestions(prefix: "trav") { text kind url } }')[
        "searchSuggestions"
    ]
    # Titles that start with the prefix, alphabetically, then those with a word that does.
    assert [s["text"] for s in data] == [
        "Travel insurance explained",
        "Travelling for treatment",
        "Can my carer travel with me?",
    ]
    assert {s["kind"] for s in data} == {"GUIDE", "FAQ"}
    two_words = graphql.data('{ searchSuggestions(prefix: "travel ins") { text } }')[
        "searchSuggestions"
    ]
    assert two_words == [{"text": "Travel insurance explained"}]
    assert graphql.data('{ searchSuggestions(prefix: "   ") { text } }')["searchSuggestions"] == []


def test_promoted_pages_come_first_and_are_marked(graphql, make_guide):
    make_guide("Hair loss and chemotherapy")
    pinned = make_guide("Looking after your scalp", summary="Practical tips.")
    make_guide("Wigs and headwear")
    SearchPromotion.objects.create(query=Query.get("hair loss"), page=pinned, sort_order=0)

    items = search(graphql, "Hair  LOSS")["items"]
    assert items[0] == {**items[0], "title": "Looking after your scalp", "promoted": True}
    assert [i["promoted"] for i in items[1:]] == [False] * (len(items) - 1)
    assert [i["title"] for i in items].count("Looking after your scalp") == 1
    assert search(graphql, "hair loss")["total"] == len(items)


def test_searches_are_logged_without_personal_data(graphql, make_guide):
    make_guide("Mouth care")
    search(graphql, "  Mouth   CARE ")
    search(graphql, "mouth care")
    search(graphql, "mouth care", page=2)  # paging through is not a new search
    search(graphql, "xylophone")
    log = {row.query: row for row in SearchQueryLog.objects.all()}
    assert set(log) == {"mouth care", "xylophone"}
    # One client asking twice counts once (tests/test_search_log.py).
    assert (log["mouth care"].searches, log["mouth care"].zero_result_searches) == (1, 0)
    assert log["mouth care"].last_result_count == 1
    assert (log["xylophone"].searches, log["xylophone"].zero_result_searches) == (1, 1)
    assert log["xylophone"].day == timezone.localdate()
    field_names = {f.name for f in SearchQueryLog._meta.get_fields()}
    assert field_names == {
        "id",
        "query",
        "day",
        "searches",
        "zero_result_searches",
        "last_result_count",
        "asked_by_several",
    }


def test_search_terms_report_lists_top_and_zero_result_queries(client, db):
    today = timezone.localdate()
    shown = {"asked_by_several": True}
    SearchQueryLog.objects.create(
        query="myeloma", day=today, searches=5, last_result_count=3, **shown
    )
    SearchQueryLog.objects.create(
        query="myeloma", day=today - datetime.timedelta(days=1), searches=2
    )
    SearchQueryLog.objects.create(
        query="xylophone", day=today, searches=1, zero_result_searches=1, **shown
    )
    client.force_login(get_user_model().objects.create_superuser("admin", "a@example.org", "pw"))

    page = client.get("/admin/reports/search-terms/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("myeloma") < html.index("xylophone")

    zero = client.get("/admin/reports/search-terms/?zero_results=true").content.decode()
    assert "xylophone" in zero and "myeloma" not in zero

    export = client.get("/admin/reports/search-terms/?export=csv")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0] == [
        "Search text",
        "Searches",
        "Searches that found nothing",
        "Results last time",
        "Last searched",
    ]
    assert rows[1][:3] == ["myeloma", "7", "0"]
    assert rows[2][:3] == ["xylophone", "1", "1"]


BAD_INPUT = [
    "&",
    "|",
    ":*",
    "!",
    "'",
    '"unclosed',
    "myeloma & | !",
    "a:* | b",
    "'; DROP TABLE search_searchentry; --",
    "1 OR 1=1",
    "\\",
    "%_%",
    "🎗️ ribbon",
    "🎗️",
    "癌症治疗",
    "NEAR(travel insurance)",
    "title:travel",
    "-travel",
]


@pytest.mark.parametrize("query", BAD_INPUT)
def test_odd_input_gets_results_not_server_errors(graphql, make_guide, query):
    make_guide("Travel insurance", summary="Check your ribbon and 癌症治疗 cover.")
    status, body = graphql.post(SEARCH, {"q": query})
    assert status == 200
    assert "errors" not in body, body
    assert body["data"]["search"]["total"] >= 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Enter a word or phrase to search for."),
        ("   \t ", "Enter a word or phrase to search for."),
        # Longer strings are refused before anything runs (GRAPHQL_MAX_STRING_LENGTH, 1,000).
        ("x" * 1_000, "Search text is too long (1000 characters); the most is 200."),
    ],
)
def test_unsearchable_input_gets_a_clear_error(graphql, query, message):
    status, body = graphql.post(SEARCH, {"q": query})
    assert status == 400
    assert body["errors"][0]["message"] == message
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_chinese_text_is_found(graphql, make_guide):
    make_guide("癌症治疗指南")
    assert titles(graphql, "癌症治疗指南") == ["癌症治疗指南"]


def test_index_follows_publish_unpublish_move_and_delete(graphql, make_guide, make_hub):
    guide = make_guide("Neuropathy", slug="neuropathy", publish=False)
    assert titles(graphql, "neuropathy") == []
    publish_reviewed(guide)
    assert titles(graphql, "neuropathy") == ["Neuropathy"]

    other_hub = make_hub("Side effects", slug="side-effects")
    guide.refresh_from_db()
    guide.move(other_hub, pos="last-child")
    [item] = search(graphql, "neuropathy")["items"]
    assert item["url"].startswith("/side-effects/")
    assert SearchEntry.objects.get(kind="guide", object_id=guide.pk).url.startswith(
        "/side-effects/"
    )

    guide.refresh_from_db()
    guide.unpublish()
    assert titles(graphql, "neuropathy") == []
    publish_reviewed(guide)
    assert titles(graphql, "neuropathy") == ["Neuropathy"]

    guide.delete()
    assert titles(graphql, "neuropathy") == []
    assert not SearchEntry.objects.filter(object_id=guide.pk, kind="guide").exists()


def test_update_index_rebuilds_the_search_entries(graphql, make_guide, make_faq):
    make_guide("Lymphoedema")
    make_faq("What is lymphoedema?")
    SearchEntry.objects.all().delete()
    assert titles(graphql, "lymphoedema") == []
    call_command("update_index", stdout=io.StringIO())
    assert sorted(titles(graphql, "lymphoedema")) == ["Lymphoedema", "What is lymphoedema?"]


def test_hyphenated_and_possessive_words_find_their_parts(graphql, make_guide):
    make_guide("Getting a second opinion")
    make_guide("Your oncologist and you")
    assert titles(graphql, "second-opinion", kinds=["GUIDE"]) == ["Getting a second opinion"]
    assert titles(graphql, "oncologist's advice", kinds=["GUIDE"]) == ["Your oncologist and you"]


def test_layout_choices_are_not_searchable_text(graphql, make_guide):
    make_guide(
        "Sleep and fatigue",
        body=[
            {"type": "heading", "value": {"text": "Resting well", "level": "2", "anchor": ""}},
            {
                "type": "callout",
                "value": {"variant": "tip", "title": "", "body": "<p>Nap early.</p>"},
            },
        ],
    )
    assert titles(graphql, "section") == []
    assert titles(graphql, "tip") == []
    assert titles(graphql, "resting") == ["Sleep and fatigue"]


def test_filtered_searches_are_not_logged_and_last_count_is_the_latest_day(
    graphql, make_guide, client
):
    make_guide("Mouth care")
    search(graphql, "mouth care", category="no-such-category")
    assert not SearchQueryLog.objects.exists()
    SearchQueryLog.objects.create(
        query="mouth care",
        day=timezone.localdate() - datetime.timedelta(days=3),
        searches=1,
        last_result_count=7,
        asked_by_several=True,
    )
    search(graphql, "mouth care")
    client.force_login(get_user_model().objects.create_superuser("admin", "a@example.org", "pw"))
    export = client.get("/admin/reports/search-terms/?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[1][:4] == ["mouth care", "2", "0", "1"]


def test_bounded_ranking_still_puts_older_title_matches_first(graphql, make_guide, settings):
    # PostgreSQL ranks only the newest few matches of each field (search/engine.py):
    # with 3, title matches older than every summary match must still lead,
    # the pages within those 3 must not repeat, and hidden guides stay out.
    settings.SEARCH_RANK_CANDIDATES = 3
    for day in range(1, 5):
        make_guide(
            f"Guide {day}",
            summary="Mucositis and mouth care.",
            published_date=datetime.date(2026, 1, day + 10),
        )
    for day in range(1, 4):
        make_guide(f"Mucositis guide {day}", published_date=datetime.date(2026, 1, day))
    make_guide("Mucositis: hidden", publish=False, published_date=datetime.date(2026, 2, 1))
    pages = [titles(graphql, "mucositis", perPage=1, page=page) for page in range(1, 4)]
    assert pages == [["Mucositis guide 3"], ["Mucositis guide 2"], ["Mucositis guide 1"]]
    assert search(graphql, "mucositis")["total"] == 7
    assert "Mucositis: hidden" not in titles(graphql, "mucositis", perPage=50)


def test_total_is_a_lower_bound_past_the_counting_limit(graphql, make_guide, settings):
    for day in range(1, 5):
        make_guide(f"Neuropathy guide {day}", published_date=datetime.date(2026, 1, day))
    query = "query ($q: String!) { search(query: $q) { total totalIsExact items { title } } }"
    exact = graphql.data(query, {"q": "neuropathy"})["search"]
    assert (exact["total"], exact["totalIsExact"], len(exact["items"])) == (4, True, 4)
    settings.SEARCH_EXACT_TOTAL_LIMIT = 2
    bounded = graphql.data(query, {"q": "neuropathy"})["search"]
    assert (bounded["total"], bounded["totalIsExact"], len(bounded["items"])) == (3, False, 4)
