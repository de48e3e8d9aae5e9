"""An index of the live pages by type and tree path, covering what the
visibility rules read (cms.visibility), so that the number of live guides, in
all or in one hub, is counted from the index alone (an index-only scan), not
from every guide's rows joined with their pages.

Wagtail owns the page table, so the index is made here in SQL; on PostgreSQL
only (SQLite has no INCLUDE, and the test databases there are small)."""

from django.db import migrations

INDEX = "guides_live_pages_by_type"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (content_type_id, path) "
            "INCLUDE (id, depth, expire_at) WHERE live"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0014_guidepage_imported_from"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
