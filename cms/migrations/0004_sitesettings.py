# SiteSettings moves from the home app to cms. Only Django's state moves: the
# table keeps its name (home_sitesettings) and its row, and the content type
# is relabelled so its permissions (and the groups holding them) follow.

import wagtail.fields
from django.db import migrations, models


def relabel_content_type(apps, schema_editor, old="home", new="cms"):
    ContentType = apps.get_model("contenttypes.ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=new, model="sitesettings").exists():
        ContentType.objects.using(db).filter(app_label=old, model="sitesettings").update(
            app_label=new
        )


def unrelabel_content_type(apps, schema_editor):
    relabel_content_type(apps, schema_editor, old="cms", new="home")


class Migration(migrations.Migration):

    dependencies = [
        ("cms", "0003_merge_0002_persisted_query_0002_person_user"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("home", "0002_create_homepage"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SiteSettings",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("default_disclaimer", wagtail.fields.RichTextField(blank=True, help_text="Shown on every guide that has no disclaimer of its own.")),
                        ("contact_heading", models.CharField(blank=True, help_text="e.g. 'Need to talk to someone?'", max_length=120)),
                        ("contact_text", models.TextField(blank=True)),
                        ("contact_button_label", models.CharField(blank=True, max_length=60)),
                        ("contact_url", models.URLField(blank=True, help_text="Where the contact button goes.")),
                    ],
                    options={
                        "verbose_name": "site settings",
                        "db_table": "home_sitesettings",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_type, unrelabel_content_type),
    ]
