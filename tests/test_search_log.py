"""The search log counts people, not requests: each client once a day per
query, and "What people search for" shows a query only once several
different clients asked it. Clients are known by a keyed digest of their
address, kept for SEARCH_REPORT_CLIENT_DAYS; the address itself is never stored."""

import csv
import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone

from search.models import SearchQueryClient, SearchQueryLog, record_search

SEARCH = "query ($q: String!) { search(query: $q) { total } }"


def search_from(address, text):
    response = Client(REMOTE_ADDR=address).post(
        "/graphql/",
        json.dumps({"query": SEARCH, "variables": {"q": text}}),
        content_type="application/json",
    )
    assert response.status_code == 200 and "errors" not in response.json(), response.json()


@pytest.fixture
def report(client, db):
    client.force_login(get_user_model().objects.create_superuser("admin", "a@example.org", "pw"))

    def rows():
        export = client.get("/admin/reports/search-terms/?export=csv")
        table = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
        return {row[0]: row[1:3] for row in table[1:]}

    return rows


@pytest.fixture(autouse=True)
def _answers_computed(settings):
    settings.GRAPHQL_RESPONSE_CACHE_ENABLED = False  # every request is a search


def junk(number):
    return f"buy cheap pills {number} casino"


def test_one_clients_junk_never_reaches_the_report(report, make_guide, settings):
    make_guide("Mouth care")
    for number in range(60):
        search_from("203.0.113.9", junk(number))
    for _ in range(20):
        search_from("203.0.113.9", "mouth care")
    assert report() == {}
    # Each client counts once a day, however often it asks.
    assert SearchQueryLog.objects.get(query="mouth care").searches == 1


@pytest.mark.parametrize("clients", [1, 2, 3, 5])
def test_a_query_is_shown_once_several_clients_asked_it(report, make_guide, settings, clients):
    settings.SEARCH_REPORT_MIN_CLIENTS = 3
    make_guide("Mouth care")
    for number in range(clients):
        for _ in range(3):
            search_from(f"198.51.100.{number}", "mouth care")
        search_from(f"198.51.100.{number}", "xylophone")
    expected = {"mouth care": [str(clients), "0"], "xylophone": [str(clients), str(clients)]}
    assert report() == (expected if clients >= 3 else {})


def test_the_same_client_on_another_day_is_still_one_client(report, make_guide, settings):
    settings.SEARCH_REPORT_MIN_CLIENTS = 2
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    record_search("xylophone", 0, address="203.0.113.9")
    SearchQueryLog.objects.update(day=yesterday)
    SearchQueryClient.objects.update(day=yesterday)
    record_search("xylophone", 0, address="203.0.113.9")
    assert SearchQueryLog.objects.filter(query="xylophone").count() == 2
    assert report() == {}
    record_search("xylophone", 0, address="192.0.2.1")
    assert report() == {"xylophone": ["3", "3"]}


def test_no_address_is_stored(db):
    address = "203.0.113.77"
    record_search("mouth care", 2, address=address)
    with connection.cursor() as cursor:
        for model in (SearchQueryLog, SearchQueryClient):
            cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608
            assert address not in repr(cursor.fetchall())
    digest = SearchQueryClient.objects.get().client
    assert len(digest) == 32 and "203" not in digest


def test_which_clients_asked_is_forgotten_after_the_retention(db, settings):
    settings.SEARCH_REPORT_CLIENT_DAYS = 30
    record_search("mouth care", 2, address="203.0.113.9")
    SearchQueryClient.objects.update(day=timezone.localdate() - datetime.timedelta(days=31))
    from search import models

    models._pruned_on["day"] = None  # a new day for this process
    record_search("sleep", 2, address="203.0.113.9")
    assert list(SearchQueryClient.objects.values_list("query", flat=True)) == ["sleep"]
    assert SearchQueryLog.objects.filter(query="mouth care").exists()  # the counts remain
