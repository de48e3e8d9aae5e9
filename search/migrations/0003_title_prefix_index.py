from django.db import migrations


def create_index(apps, schema_editor):
    # Type-ahead asks for titles starting with a prefix; text_pattern_ops lets
    # PostgreSQL answer LIKE 'prefix%' from the index. SQLite does without.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_entry_title_prefix "
            "ON search_searchentry (lower(title) text_pattern_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_title_prefix")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_postgres_search_indexes")]

    operations = [migrations.RunPython(create_index, drop_index)]
