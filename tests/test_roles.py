"""What each admin role may do, tried through the admin's own views: the
groups and their permissions come from the migrations, as on a real deployment."""

import pytest
from django.contrib.auth.models import Group
from wagtail.test.utils.form_data import nested_form_data, rich_text

from cms.models import ChangeType
from faqs.models import FAQ
from tests.admin_workflow import approve, signed_in

FAQ_ADMIN = "/admin/snippets/faqs/faq"


def edit_faq(client, faq, action):
    data = nested_form_data(
        {
            "question": "Can my carer come with me?",
            "answer": rich_text("<p>Usually yes.</p>"),
            "topic": faq.topic_id,
            "author": "",
            "next_review_due": faq.next_review_due.isoformat(),
            "change_type": ChangeType.MINOR_EDIT,
            "change_summary": "",
        }
    )
    data[f"action-{action}"] = action
    return client.post(f"{FAQ_ADMIN}/edit/{faq.pk}/", data)


def edits(client, faq, guide, starter):
    edit_faq(client, faq, "save")  # Save draft
    return (
        client.get(f"/admin/pages/{guide.pk}/edit/").status_code == 200
        and FAQ.objects.get(pk=faq.pk).get_latest_revision_as_object().question
        == "Can my carer come with me?"
    )


def submits(client, faq, guide, starter):
    edit_faq(client, faq, "submit")
    faq = FAQ.objects.get(pk=faq.pk)
    return faq.workflow_in_progress


def approves(client, faq, guide, starter):
    faq.save_revision(user=starter)
    faq.get_workflow().start(faq, starter)
    approve(client, FAQ_ADMIN, FAQ.objects.get(pk=faq.pk))
    return FAQ.objects.get(pk=faq.pk).live


def publishes(client, faq, guide, starter):
    edit_faq(client, faq, "publish")
    return FAQ.objects.get(pk=faq.pk).live


def deletes(client, faq, guide, starter):
    client.post(f"{FAQ_ADMIN}/delete/{faq.pk}/")
    return not FAQ.objects.filter(pk=faq.pk).exists()


def manages_users(client, faq, guide, starter):
    return client.get("/admin/users/").status_code == 200


ACTIONS = [edits, submits, approves, publishes, deletes, manages_users]
ROLES = {
    "editor": {edits, submits},
    # Nobody publishes a guide or FAQ directly: approving its review publishes it
    # (cms/publishing/clinical.py).
    "reviewer": {edits, submits, approves},
    "administrator": {edits, submits, deletes, manages_users},
}


@pytest.fixture
def administrator(django_user_model):
    user = django_user_model.objects.create_user("ada", "ada@example.org", "pw")
    user.groups.add(Group.objects.get(name="Administrators"))
    return user


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS, ids=lambda action: action.__name__)
def test_what_each_role_can_do(request, role, action, make_faq, make_guide, django_user_model):
    user = request.getfixturevalue(role)
    assert not user.is_superuser
    starter = django_user_model.objects.create_user("sam", "sam@example.org", "pw")
    starter.groups.add(Group.objects.get(name="Editors"))
    faq = make_faq("Can my carer travel with me?", publish=False)
    guide = make_guide()

    assert action(signed_in(user), faq, guide, starter) is (action in ROLES[role])
