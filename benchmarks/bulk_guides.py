"""Fill a benchmark database with copies of the demo guides in bulk, in SQL.

`load_demo_content --guides N` adds each copy through Wagtail's tree API
(a page save, its search entry and its reference index, one at a time):
10,000 guides take 12 to 29 minutes. This copies the demo guides a batch at
a time with INSERT ... SELECT: the tree paths are computed here (each copy the
next child of its hub), and every row that belongs to a guide is copied from
its demo original, the page and guide rows, labels, references, FAQ
placements, related guides, the patient search entry and its text (the
vectors computed as publishing computes them) and Wagtail's reference index.
The copies are the same as load_demo_content's: title "<title> (<n>)", slug
"<slug>-<n>", live without a revision, spread over the hubs in turn; unlike
load_demo_content's, each is dated a day earlier than the one before it
(over ten years, then again), as a library's guides are, instead of 10,000
guides sharing the demo's eight dates.

Run after `load_demo_content` (which makes the originals):

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/bulk_guides.py --guides 100000

Resumable: it counts the guides there are and adds the rest.
"""

import argparse
import datetime
import os
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Wagtail's tree paths: steps of four base-36 digits.
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def path_step(number, steplen=4):
    digits = ""
    while number:
        number, digit = divmod(number, len(ALPHABET))
        digits = ALPHABET[digit] + digits
    if len(digits) > steplen:
        raise ValueError(f"{number} children do not fit a tree path step of {steplen}")
    return digits.rjust(steplen, "0")


def columns(cursor, table):
    cursor.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


def copy_rows(cursor, table, key, source, overrides=None, join="b.template_id", target="b.page_id"):
    """INSERT into `table` a copy of each row whose `key` column is a batch
    row's template, with `key` set to the copy's id and `overrides`
    (column: SQL expression) applied; the `id` column is left to its default."""
    overrides = {key: target, **(overrides or {})}
    names = [name for name in columns(cursor, table) if name != "id"]
    values = [overrides.get(name, f"t.{name}") for name in names]
    if source is None:
        source = f"INSERT INTO {table} ({{names}}) SELECT {{values}} FROM bulk_copy b "
        source += f"JOIN {table} t ON t.{key} = {join}"
    cursor.execute(source.format(names=", ".join(names), values=", ".join(values)))


def fill(total, batch=10_000, out=sys.stdout, originals=None):
    """Add copies of `originals` (guides; by default the demo's) until there
    are `total` guides; returns the seconds it took."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from wagtail.models import Page

    from guides.models import GuideIndexPage, GuidePage
    from home import demo_content as demo
    from search.index import SEARCH_CONFIG

    started = time.monotonic()
    if originals is None:
        by_slug = {
            guide.slug: guide
            for guide in GuidePage.objects.filter(slug__in=[spec["slug"] for spec in demo.GUIDES])
        }
        if len(by_slug) != len(demo.GUIDES):
            raise SystemExit("Run load_demo_content first: the demo guides are the originals.")
        originals = [by_slug[spec["slug"]] for spec in demo.GUIDES]
    templates = [(guide.pk, guide.slug, guide.published_date) for guide in originals]
    hubs = list(GuideIndexPage.objects.order_by("path").values_list("pk", "path", "url_path"))
    page_type = ContentType.objects.get_for_model(Page).pk
    existing = GuidePage.objects.count()
    for first in range(existing, total, batch):
        end = min(first + batch, total)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
            # The next free child path of each hub.
            next_child = {}
            for hub_id, path, _url in hubs:
                last = (
                    Page.objects.filter(path__startswith=path, depth=len(path) // 4 + 1)
                    .order_by("-path")
                    .values_list("path", flat=True)
                    .first()
                )
                next_child[hub_id] = int(last[-4:], 36) + 1 if last else 1
            rows = []
            for number in range(first, end):
                template_id, template_slug, template_date = templates[number % len(templates)]
                hub_id, hub_path, hub_url = hubs[number % len(hubs)]
                slug = f"{template_slug}-{number}"
                published = template_date - datetime.timedelta(days=1 + number % 3650)
                rows.append(
                    (
                        number,
                        template_id,
                        hub_id,
                        hub_path + path_step(next_child[hub_id]),
                        slug,
                        f"{hub_url}{slug}/",
                        published,
                    )
                )
                next_child[hub_id] += 1
            cursor.execute(
                "CREATE TEMPORARY TABLE bulk_copy (number integer, template_id integer, "
                'hub_id integer, path varchar(255) COLLATE "C", slug text, url_path text, '
                "published_date date, page_id integer, entry_id bigint) ON COMMIT DROP"
            )
            with cursor.cursor.copy(
                "COPY bulk_copy (number, template_id, hub_id, path, slug, url_path, published_date) "
                "FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
            title = "t.title || ' (' || b.number || ')'"
            published_at = "b.published_date + time '09:00'"
            copy_rows(
                cursor,
                "wagtailcore_page",
                "path",
                "INSERT INTO wagtailcore_page ({names}) SELECT {values} FROM bulk_copy b "
                "JOIN wagtailcore_page t ON t.id = b.template_id ORDER BY b.number",
                {
                    "path": "b.path",
                    "numchild": "0",
                    "title": title,
                    "draft_title": title,
                    "slug": "b.slug",
                    "url_path": "b.url_path",
                    "translation_key": "gen_random_uuid()",
                    "live": "true",
                    "has_unpublished_changes": "false",
                    "first_published_at": published_at,
                    "last_published_at": published_at,
                    "latest_revision_created_at": "NULL",
                    "live_revision_id": "NULL",
                    "latest_revision_id": "NULL",
                },
            )
            cursor.execute(
                "UPDATE bulk_copy b SET page_id = p.id FROM wagtailcore_page p WHERE p.path = b.path"
            )
            copy_rows(
                cursor,
                "guides_guidepage",
                "page_ptr_id",
                None,
                {"published_date": "b.published_date"},
            )
            for relation in ("cancer_types", "audiences"):
                through = getattr(GuidePage, relation).through._meta.db_table
                copy_rows(cursor, through, "guidepage_id", None)
            for name in ("references", "faq_placements", "related_guide_links"):
                model = GuidePage._meta.get_field(name).related_model
                copy_rows(cursor, model._meta.db_table, "page_id", None)
            # Wagtail's reference index: what each copy uses, as its original does.
            copy_rows(
                cursor,
                "wagtailcore_referenceindex",
                "object_id",
                None,
                join=f"b.template_id::text AND t.base_content_type_id = {page_type}",
                target="b.page_id::text",
            )
            # Patient search: the original's entry with the copy's title, place and address.
            copy_rows(
                cursor,
                "search_searchentry",
                "object_id",
                "INSERT INTO search_searchentry ({names}) SELECT {values} FROM bulk_copy b "
                "JOIN search_searchentry t ON t.kind = 'guide' AND t.object_id = b.template_id "
                "JOIN search_searchentry hub ON hub.kind = 'hub' AND hub.object_id = b.hub_id",
                {
                    "title": title,
                    "path": "b.path",
                    "url": "hub.url || b.slug || '/'",
                    "published_date": "b.published_date",
                },
            )
            cursor.execute(
                "UPDATE bulk_copy b SET entry_id = e.id FROM search_searchentry e "
                "WHERE e.kind = 'guide' AND e.object_id = b.page_id"
            )
            cursor.execute(
                "INSERT INTO search_searchtext (entry_id, highlights, body) "
                "SELECT b.entry_id, t.highlights, t.body FROM bulk_copy b "
                "JOIN search_searchentry o ON o.kind = 'guide' AND o.object_id = b.template_id "
                "JOIN search_searchtext t ON t.entry_id = o.id"
            )
            # The vectors, as search.index.update_vectors computes them.
            cursor.execute(
                """
                UPDATE search_searchentry AS entry SET
                  document = setweight(to_tsvector(%(config)s, entry.title), 'A')
                          || setweight(to_tsvector(%(config)s, text.highlights), 'B')
                          || setweight(to_tsvector(%(config)s, text.body), 'C'),
                  title_vector = to_tsvector(%(config)s, entry.title),
                  highlights_vector = to_tsvector(%(config)s, text.highlights),
                  suggest_vector = to_tsvector('simple', entry.title)
                FROM bulk_copy b JOIN search_searchtext text ON text.entry_id = b.entry_id
                WHERE entry.id = b.entry_id
                """,
                {"config": SEARCH_CONFIG},
            )
            cursor.execute(
                "UPDATE wagtailcore_page p SET numchild = (SELECT count(*) FROM wagtailcore_page c "
                "WHERE c.path LIKE p.path || '%%' AND c.depth = p.depth + 1) "
                "WHERE p.id IN (SELECT DISTINCT hub_id FROM bulk_copy)"
            )
        if out:
            out.write(f"    {end}/{total} guides ({time.monotonic() - started:.0f} s)\n")
            out.flush()
    # Fresh statistics and visibility map, as autovacuum would leave them
    # (inside a transaction, e.g. a test's, the statistics only).
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        cursor.execute("RESET statement_timeout")
    return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--guides", type=int, required=True)
    parser.add_argument("--batch", type=int, default=10_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    seconds = fill(args.guides, args.batch)
    print(f"{args.guides} guides in {seconds:.0f} s", flush=True)


if __name__ == "__main__":
    main()
