"""The "Clinical reviewers" group and the "Clinical review" workflow on the
home page (so every guide goes through it), and a first change-log entry for
guides published before the change log existed."""

from django.db import migrations

GROUP = "Clinical reviewers"
WORKFLOW = "Clinical review"


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    ClinicalReviewTask = apps.get_model("guides", "ClinicalReviewTask")
    GuidePage = apps.get_model("guides", "GuidePage")
    GuideChange = apps.get_model("guides", "GuideChange")

    reviewers, _ = Group.objects.get_or_create(name=GROUP)
    admin_ct, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_ct, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    reviewers.permissions.add(access_admin)

    task_ct, _ = ContentType.objects.get_or_create(app_label="guides", model="clinicalreviewtask")
    task, _ = ClinicalReviewTask.objects.get_or_create(
        name=WORKFLOW, defaults={"active": True, "content_type": task_ct}
    )
    task.groups.add(reviewers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    home = Page.objects.filter(depth=2).order_by("path").first()
    if home is not None:
        WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
        # Approving publishes with the reviewer's own permissions; reviewers may
        # also correct wording while they review.
        page_ct, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
        for codename, name in (
            ("change_page", "Can change page"),
            ("publish_page", "Can publish page"),
            ("view_page", "Can view page"),
        ):
            permission, _ = Permission.objects.get_or_create(
                content_type=page_ct, codename=codename, defaults={"name": name}
            )
            GroupPagePermission.objects.get_or_create(group=reviewers, page=home, permission=permission)

    for guide in GuidePage.objects.filter(first_published_at__isnull=False):
        if not GuideChange.objects.filter(guide=guide).exists():
            GuideChange.objects.create(
                guide=guide, change_type="new", summary="", published_at=guide.first_published_at
            )


def remove_workflow(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).delete()
    apps.get_model("guides", "ClinicalReviewTask").objects.filter(name=WORKFLOW).delete()
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0007_clinical_review_workflow"),
        ("home", "0002_create_homepage"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
