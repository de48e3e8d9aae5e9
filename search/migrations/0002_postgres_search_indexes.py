from django.db import migrations

INDEXES = {
    "search_entry_document_gin": "document",
    "search_entry_suggest_gin": "suggest_vector",
}


def create_indexes(apps, schema_editor):
    # GIN indexes make full-text search fast on PostgreSQL; SQLite has no use for them.
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON search_searchentry USING gin ({column})"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
