"""A first plain-language list, for editors to extend in the admin."""

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


def seed(apps, schema_editor):
    PlainLanguageTerm = apps.get_model("guides", "PlainLanguageTerm")
    for term, alternative, note in TERMS:
        PlainLanguageTerm.objects.get_or_create(
            term=term, defaults={"alternative": alternative, "note": note}
        )


def unseed(apps, schema_editor):
    PlainLanguageTerm = apps.get_model("guides", "PlainLanguageTerm")
    PlainLanguageTerm.objects.filter(term__in=[term for term, _, _ in TERMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("guides", "0011_plain_language_terms")]

    operations = [migrations.RunPython(seed, unseed)]
