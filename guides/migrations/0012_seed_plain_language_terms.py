"""A first plain-language list, and the Editors' and Administrators' right to
keep it up to date in the admin."""

from django.db import migrations

TERMS = [
    ("metastasis", "spread to other parts of the body", ""),
    ("benign", "not cancer", ""),
    ("malignant", "cancer", "Readers may know “malignant” from their letters: say both once."),
    ("oncologist", "cancer doctor", ""),
    ("prognosis", "what is likely to happen", ""),
    ("palliative", "care that eases symptoms", ""),
    ("lesion", "an area of damage or change", ""),
    ("adjuvant", "extra treatment after the main one", ""),
    ("neutropenia", "a low number of the white blood cells that fight infection", ""),
    ("contraindicated", "not safe for you", ""),
]


ROLES = ("Editors", "Administrators")


def _permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="guides", model="plainlanguageterm"
    )
    return [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_plainlanguageterm",
            defaults={"name": f"Can {action} plain-language term"},
        )[0]
        for action in ("add", "change", "delete")
    ]


def seed(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(*_permissions(apps))
    PlainLanguageTerm = apps.get_model("guides", "PlainLanguageTerm")
    for term, alternative, note in TERMS:
        PlainLanguageTerm.objects.get_or_create(
            term=term, defaults={"alternative": alternative, "note": note}
        )


def unseed(apps, schema_editor):
    PlainLanguageTerm = apps.get_model("guides", "PlainLanguageTerm")
    PlainLanguageTerm.objects.filter(term__in=[term for term, _, _ in TERMS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0011_plain_language_terms"),
        ("home", "0004_editor_reviewer_and_administrator_roles"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
