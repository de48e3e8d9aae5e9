"""The admin names the site after the product for every user: Wagtail shows the
default Site's name (its hostname when the name is empty) to anyone whose pages
sit under it, and WAGTAIL_SITE_NAME only to those who see the whole tree."""

from django.conf import settings
from django.db import migrations


def name_sites(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Site.objects.filter(site_name="").update(site_name=settings.WAGTAIL_SITE_NAME)


def unname_sites(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Site.objects.filter(site_name=settings.WAGTAIL_SITE_NAME).update(site_name="")


class Migration(migrations.Migration):
    dependencies = [("home", "0004_editor_reviewer_and_administrator_roles")]

    operations = [migrations.RunPython(name_sites, unname_sites)]
