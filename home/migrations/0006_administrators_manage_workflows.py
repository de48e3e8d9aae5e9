"""Administrators manage the Clinical review workflow and its tasks under
Settings › Workflows and Settings › Workflow tasks (Wagtail's own model
permissions on Workflow and Task)."""

from django.db import migrations

MODELS = ("workflow", "task")
ACTIONS = ("add", "change", "delete")


def _permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in MODELS:
        content_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model=model)
        for action in ACTIONS:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            yield permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    administrators = Group.objects.filter(name="Administrators").first()
    if administrators is not None:
        administrators.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    administrators = Group.objects.filter(name="Administrators").first()
    if administrators is not None:
        administrators.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("home", "0005_site_name")]

    operations = [migrations.RunPython(grant, revoke)]
