"""Driving the Clinical review workflow through the admin's own views, for
guides (pages) and FAQs (snippets) alike."""

from django.test import Client


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def submit(client, add_url, data):
    """POST a new object's form with "Submit to Clinical review"; fails on form errors."""
    data["action-submit"] = "Submit to Clinical review"
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["form"].errors


def action_url(admin_prefix, obj):
    """The approve modal's address; `admin_prefix` is "/admin/pages" or a snippet's."""
    task_state = obj.current_workflow_task_state
    return f"{admin_prefix}/workflow/action/{obj.pk}/approve/{task_state.pk}/"


def approve(client, admin_prefix, obj):
    return client.post(action_url(admin_prefix, obj), {"comment": ""})
