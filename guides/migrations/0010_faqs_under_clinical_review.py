"""FAQs go through the Clinical review workflow too, as guides do: a patient
reads an FAQ's answer inside guides, so a clinician approves it the same way."""

from django.db import migrations

WORKFLOW = "Clinical review"


def assign_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    if workflow is None:
        return  # removed on purpose by an administrator: leave it so
    faq_type, _ = ContentType.objects.get_or_create(app_label="faqs", model="faq")
    WorkflowContentType.objects.update_or_create(
        content_type=faq_type, defaults={"workflow": workflow}
    )


def unassign_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    WorkflowContentType.objects.filter(
        content_type__in=ContentType.objects.filter(app_label="faqs", model="faq"),
        workflow__name=WORKFLOW,
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0009_guide_newest_first_index"),
        ("faqs", "0003_faq_change_type_and_summary"),
    ]

    operations = [migrations.RunPython(assign_workflow, unassign_workflow)]
