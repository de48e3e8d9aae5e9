# SiteSettings now belongs to cms (cms migration 0004 took over its table).
# Only Django's state changes here: the table and its row stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("cms", "0004_sitesettings"),
        ("home", "0002_create_homepage"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SiteSettings")],
            database_operations=[],
        ),
    ]
