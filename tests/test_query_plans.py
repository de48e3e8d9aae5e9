"""At 10,000 guides, the listings frontends read most (a page of 20 guides,
a hub with its guides, a search) reach the page tables and the search index
through indexes: no plan reads one of them from end to end, so their cost
does not grow with the library. PostgreSQL's plans, read with EXPLAIN."""

import pytest
from django.db import connection

from benchmarks import bulk_guides
from benchmarks.query_plans import explain, listing_requests, sequential_scans, statements

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans are PostgreSQL's"),
    # Committed, so that VACUUM can set the visibility map as autovacuum
    # does in production: the totals are counted from an index alone.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

GUIDES = 10_000


@pytest.fixture
def library(make_hub, make_guide, hub, taxonomy):
    """Two hubs with 10,000 live guides between them, copied in bulk from two
    guides as the benchmarks fill theirs, vacuumed and with statistics fresh."""
    other = make_hub(title="Living with treatment")
    # Pages as wide as a library's: the description search engines show (up to 160 characters).
    described = "What to expect, who to ask and how long it takes: " * 3
    originals = [
        make_guide(
            title="Asking your oncologist for a second opinion",
            summary="A second opinion.",
            search_description=described,
        ),
        make_guide(
            title="Travelling during and after cancer treatment",
            parent=other,
            summary="Travel.",
            search_description=described,
        ),
    ]
    bulk_guides.fill(GUIDES, out=None, originals=originals)
    return hub


def test_the_listings_read_no_page_table_from_end_to_end(library, graphql):
    checked = 0
    for name, body in listing_requests(library.slug):
        for sql in statements(body):
            assert sequential_scans(explain(sql)) == [], f"{name}: {sql}"
            checked += 1
    assert checked >= 5  # the list and its total, the hub's, the search's


def test_the_totals_are_exact(library, graphql):
    [(_name, body), (_hub, hub_body), _search] = listing_requests(library.slug)
    guides = graphql.data(body["query"], body["variables"])["guides"]
    assert guides["pagination"] == {"total": GUIDES, "totalPages": GUIDES // 20}
    hub = graphql.data(hub_body["query"], hub_body["variables"])["hub"]
    assert hub["guides"]["pagination"] == {"total": GUIDES // 2}
