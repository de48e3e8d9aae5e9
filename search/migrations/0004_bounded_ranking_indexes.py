from django.db import migrations

INDEXES = {
    # Search ranks only the newest title, highlight and any-field matches
    # (search/engine.py): a GIN index finds each vector's matches, and the
    # newest-first index lets PostgreSQL walk a common word's matches in order
    # and stop at the limit instead of sorting them all.
    "search_entry_title_gin": "USING gin (title_vector)",
    "search_entry_highlights_gin": "USING gin (highlights_vector)",
    "search_entry_newest_first": "(published_date DESC NULLS LAST, id)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON search_searchentry {definition}"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_title_prefix_index")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
