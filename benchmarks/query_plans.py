"""The database's plans for the listings frontends read most: a page of 20
guides, a hub with its first guides and a search, as the GraphQL API runs
them.

Sends each request through the real /graphql/ view, records the SQL it runs,
and prints PostgreSQL's EXPLAIN ANALYZE of each statement that reads the page
tables or the search index, with the time each took. The figures before and
after the listing indexes in docs/benchmarks.md come from it:

    DATABASE_URL=postgres://USER@127.0.0.1:5432/api_benchmark_g10000 \\
        .venv/bin/python benchmarks/query_plans.py

tests/test_query_plans.py reads the same plans and refuses a sequential scan
of the page tables.
"""

import json
import os
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LIST_QUERY = """query Guides($page: Int) {
  guides(perPage: 20, page: $page) {
    pagination { total totalPages }
    items {
      id title slug summary publishedDate
      category { name slug } cancerTypes { name slug }
      heroImage { rendition(width: 320) { url width height } }
    }
  }
}"""

HUB_QUERY = """query Hub($slug: String!) {
  hub(slug: $slug) {
    title eyebrow tagline intro
    guides(perPage: 10) {
      pagination { total }
      items { id title slug summary publishedDate category { name } }
    }
  }
}"""

SEARCH_QUERY = """query Search($q: String!) {
  search(query: $q) { total items { kind title url excerpt } }
}"""

# The tables a listing must reach through an index once the library is large.
PAGE_TABLES = ("wagtailcore_page", "guides_guidepage", "search_searchentry")
# ... except for a scan a LIMIT stops: search counts its matches only up to
# SEARCH_EXACT_TOTAL_LIMIT + 1, and where most entries match, reading them in
# table order until that many is what PostgreSQL rightly does.
STOPPED_BY_LIMIT = ("search_searchentry",)
SUBPLANS = ("SubPlan", "InitPlan")


def listing_requests(hub_slug, page=3):
    """(name, GraphQL body) of each listing whose plans are checked."""
    return [
        ("list of 20", {"query": LIST_QUERY, "variables": {"page": page}}),
        ("hub", {"query": HUB_QUERY, "variables": {"slug": hub_slug}}),
        ("search", {"query": SEARCH_QUERY, "variables": {"q": "second opinion"}}),
    ]


def statements(body):
    """The SELECTs reading the page tables that one GraphQL request runs."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            "/graphql/",
            json.dumps(body),
            content_type="application/json",
            # Never answered from the response cache: every request reads the database.
            HTTP_AUTHORIZATION="Bearer plans",
        )
    payload = response.json()
    if response.status_code != 200 or payload.get("errors"):
        raise RuntimeError(f"{response.status_code}: {payload}")
    return [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith("SELECT")
        and any(f'"{table}"' in query["sql"] for table in PAGE_TABLES)
    ]


def explain(sql, analyze=False):
    """PostgreSQL's plan of one statement, as its JSON tree."""
    from django.db import connection

    options = "ANALYZE, BUFFERS, FORMAT JSON" if analyze else "FORMAT JSON"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) {sql}")
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]


def nodes(plan, limited=False):
    """(node, whether a Limit above it stops it) for every node of a plan."""
    yield plan, limited
    limited = limited or plan["Node Type"] == "Limit"
    for child in plan.get("Plans", []):
        # A subplan runs on its own: a Limit outside it does not stop it.
        yield from nodes(child, limited and child.get("Parent Relationship") not in SUBPLANS)


def sequential_scans(plan):
    """The tables of PAGE_TABLES the plan reads with a sequential scan (not
    stopped by a LIMIT, for the tables in STOPPED_BY_LIMIT)."""
    return sorted(
        {
            node["Relation Name"]
            for node, limited in nodes(plan["Plan"])
            if node["Node Type"] == "Seq Scan"
            and node.get("Relation Name") in PAGE_TABLES
            and not (limited and node["Relation Name"] in STOPPED_BY_LIMIT)
        }
    )


def explain_text(sql):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from guides.models import GuideIndexPage, GuidePage

    hub = GuideIndexPage.objects.live().order_by("path").first()
    print(f"{GuidePage.objects.live().count()} live guides; hub {hub.slug}\n")
    for name, body in listing_requests(hub.slug):
        for sql in statements(body):
            print(f"-- {name}\n{sql}\n")
            print(explain_text(sql), "\n")


if __name__ == "__main__":
    main()
