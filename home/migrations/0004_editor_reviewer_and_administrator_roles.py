"""The three roles of the admin, so a real deployment has them without the demo:

- Editors (Wagtail's own group) write guides and FAQs and submit them to
  Clinical review; they cannot publish, delete or manage users.
- Clinical reviewers approve guides and FAQs (approving publishes them, so
  they hold "publish") and may correct wording while they review; they cannot
  delete or manage users.
- Administrators manage users and groups, delete content and can publish or
  unpublish (Wagtail needs that to delete a live guide).

Permissions are looked up or created here because on a fresh database Django
creates them only after every migration has run."""

from django.db import migrations

SNIPPETS = [
    ("faqs", "faq"),
    ("faqs", "faqtopic"),
    ("cms", "person"),
    ("guides", "guidecategory"),
    ("guides", "cancertype"),
    ("guides", "audience"),
    ("guides", "publisher"),
]
ADMINISTRATORS = "Administrators"


def _permission(apps, app_label, model, action):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=f"{action}_{model}",
        defaults={"name": f"Can {action} {model}"},
    )
    return permission


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    def grant_pages(group, actions):
        home = Page.objects.filter(depth=2).order_by("path").first()
        if home is None:
            return
        for action in actions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=home, permission=_permission(apps, "wagtailcore", "page", action)
            )

    access_admin = _permission(apps, "wagtailadmin", "admin", "access")
    editors, _ = Group.objects.get_or_create(name="Editors")
    reviewers, _ = Group.objects.get_or_create(name="Clinical reviewers")
    administrators, _ = Group.objects.get_or_create(name=ADMINISTRATORS)

    editors.permissions.add(
        access_admin,
        *(_permission(apps, app, model, action) for app, model in SNIPPETS for action in ("add", "change")),
    )
    grant_pages(editors, ["add", "change", "view"])

    # Reviewers open an FAQ to review it and may correct its wording; approving
    # publishes with the approver's own permissions, so they need "publish" too
    # (as guides' reviewers have on pages: guides 0008).
    reviewers.permissions.add(
        access_admin,
        _permission(apps, "faqs", "faq", "change"),
        _permission(apps, "faqs", "faq", "publish"),
    )

    administrators.permissions.add(
        access_admin,
        *(
            _permission(apps, app, model, action)
            for app, model in SNIPPETS
            for action in ("add", "change", "delete")
        ),
        _permission(apps, "faqs", "faq", "publish"),
        *(_permission(apps, "auth", model, action) for model in ("user", "group") for action in ("add", "change", "delete")),
    )
    grant_pages(administrators, ["add", "change", "view", "publish", "bulk_delete"])


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ADMINISTRATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_sitesettings_moved_to_cms"),
        ("guides", "0010_faqs_under_clinical_review"),
        ("faqs", "0003_faq_change_type_and_summary"),
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
