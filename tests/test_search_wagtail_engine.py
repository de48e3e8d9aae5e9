"""With SEARCH_ENGINE = "wagtail", patient search ranks through a Wagtail
search backend (here Wagtail's database backend, standing in for OpenSearch
or Elasticsearch) and keeps the same contract: live content only, filters,
promotions, excerpts and the log."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from guides.models import GuideCategory
from search.models import SearchQueryLog
from tests.admin_workflow import publish_reviewed
from tests.test_search import SEARCH, search, titles


@pytest.fixture(autouse=True)
def wagtail_engine(settings):
    settings.SEARCH_ENGINE = "wagtail"
    settings.SEARCH_WAGTAIL_BACKEND = "default"


def test_finds_guides_hubs_and_faqs_with_typed_objects(graphql, make_guide, make_hub, make_faq):
    make_hub("Radiotherapy hub")
    make_guide("Radiotherapy guide", slug="rt", summary="What radiotherapy feels like.")
    make_faq("Does radiotherapy hurt?")
    result = search(graphql, "radiotherapy")
    kinds = {item["kind"]: item for item in result["items"]}
    assert result["total"] == 3
    assert kinds["GUIDE"]["guide"] == {"slug": "rt"}
    assert kinds["FAQ"]["faq"] == {"question": "Does radiotherapy hurt?"}
    assert kinds["HUB"]["hub"] == {"title": "Radiotherapy hub"}
    assert kinds["GUIDE"]["excerpt"] == "What <mark>radiotherapy</mark> feels like."


def test_only_live_public_unexpired_content(graphql, make_guide, make_hub, make_faq):
    make_guide("Scanxiety visible")
    make_guide("Scanxiety draft", publish=False)
    hidden = make_guide("Scanxiety password")
    PageViewRestriction.objects.create(page=hidden, restriction_type="password", password="x")
    private_hub = make_hub("Private")
    make_guide("Scanxiety group", parent=private_hub)
    PageViewRestriction.objects.create(page=private_hub, restriction_type="groups").groups.add(
        Group.objects.create(name="Staff")
    )
    expired = make_guide("Scanxiety expired")
    expired.expire_at = timezone.now() - datetime.timedelta(minutes=5)
    expired.save()
    make_faq("Scanxiety unpublished?", publish=False)
    assert titles(graphql, "scanxiety") == ["Scanxiety visible"]


def test_filters_and_kinds(graphql, make_guide, make_faq, taxonomy):
    caregiver = GuideCategory.objects.create(name="Caregiver Guide")
    carers = make_guide("Fatigue for carers", category=caregiver)
    carers.audiences.set([taxonomy["caregivers"]])
    publish_reviewed(carers)
    make_guide("Fatigue for patients")
    make_faq("Is fatigue normal?")
    assert titles(graphql, "fatigue", category="caregiver-guide") == ["Fatigue for carers"]
    assert titles(graphql, "fatigue", audience="caregivers") == ["Fatigue for carers"]
    assert titles(graphql, "fatigue", kinds=["FAQ"]) == ["Is fatigue normal?"]


def test_promotions_come_first_and_searches_are_logged(graphql, make_guide):
    make_guide("Hair loss and chemotherapy")
    pinned = make_guide("Looking after your scalp")
    SearchPromotion.objects.create(query=Query.get("hair loss"), page=pinned, sort_order=0)
    result = search(graphql, "hair loss")
    assert result["items"][0]["title"] == "Looking after your scalp"
    assert result["items"][0]["promoted"] is True
    assert result["total"] == len(result["items"])
    assert SearchQueryLog.objects.get(query="hair loss").searches == 1


@pytest.mark.parametrize("query", ["&", ":*", "'; DROP TABLE x; --", "🎗️", "癌症", '"unclosed'])
def test_odd_input_is_not_a_server_error(graphql, make_guide, query):
    make_guide("Travel insurance")
    status, body = graphql.post(SEARCH, {"q": query})
    assert status == 200 and "errors" not in body, body


def test_update_index_fills_the_wagtail_backend_too(graphql, make_guide):
    make_guide("Lymphoedema care")
    call_command("update_index", verbosity=0)
    assert titles(graphql, "lymphoedema") == ["Lymphoedema care"]
