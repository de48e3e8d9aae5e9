"""No admin POST an editor or a reviewer can send answers 5xx.

Generated from the URLconf: every admin route for pages, snippets, workflows
and choosers is filled in with real objects (a guide in Clinical review, a
draft, their hub, a revision, the task state, each snippet model's first
object) and POSTed as an editor and as a reviewer: empty, with garbage in
every field, and, for the forms those routes render, with each `action-*`
button alone, with half the form's fields, and with the form's StreamField
counts made nonsense. Any 5xx fails, with the exception it raised.
"""

import re

import pytest
from django.apps import apps
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.test_clinical_workflow import submit_new_guide

FAMILIES = ("wagtailadmin_pages", "wagtailsnippets_", "wagtailadmin_workflows", "chooser")
GARBAGE = {
    "title": "<script>x</script>" * 3,
    "comment": "'\"; --",
    "next": "//elsewhere.example/",
    "p": "-1",
    "ordering": "no-such-field",
    "q": "%%%",
    "id": "not-a-number",
    "pk": "[]",
}
INPUT = re.compile(
    r'<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"(?:[^>]*\bvalue="([^"]*)")?'
)


def admin_routes():
    """(namespaced name, parameter names) of every admin route in FAMILIES."""

    def walk(resolver, namespace, params):
        for entry in resolver.url_patterns:
            own = set(getattr(entry.pattern, "converters", {})) or set(
                entry.pattern.regex.groupindex
            )
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry, inner, params | own)
            elif isinstance(entry, URLPattern) and entry.name:
                name = namespace + entry.name
                if any(family in name for family in FAMILIES):
                    yield name, params | own

    return sorted({(name, frozenset(params)) for name, params in walk(get_resolver(), "", set())})


@pytest.fixture
def content(hub, category, editor, reviewer, author, make_guide, make_faq):
    client = Client()
    client.force_login(editor)
    in_review = submit_new_guide(client, hub, category, author)
    make_guide(publish=False)
    make_faq()
    task_state = in_review.current_workflow_task_state
    # Ids taken now: the fuzzing itself may cancel or approve the review.
    return {
        "page_id": in_review.pk,
        "parent_page_id": hub.pk,
        "revision_id": in_review.latest_revision.pk,
        "task_state_id": task_state.pk,
        "workflow_id": task_state.workflow_state.workflow_id,
    }


def fill(name, params, content):
    """kwargs for `name`, or None when a parameter has no object to point at."""
    values = {
        **content,
        "content_type_app_name": "guides",
        "content_type_model_name": "guidepage",
        "app_label": "faqs",
        "model_name": "faq",
        "action_name": "approve",
    }
    snippet = re.match(r"wagtailsnippets_(\w+?)_(\w+):", name)
    if snippet:
        try:
            model = apps.get_model(snippet[1], snippet[2])
        except LookupError:
            return None
        first = model.objects.first()
        values["pk"] = first.pk if first else 1
    elif "workflows" in name:
        values["pk"] = content["workflow_id"]
    else:
        values["pk"] = content["page_id"]
    if not params <= values.keys():
        return None
    return {param: values[param] for param in params}


def form_fields(client, url):
    """The field names and values of the form `url` renders, if it renders one."""
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return {}
    html = response.content.decode()
    return {name: value or "" for name, value in INPUT.findall(html)}


def bodies(fields):
    yield "empty", {}
    yield "garbage", dict(GARBAGE, **{name: "garbage" for name in fields})
    if not fields:
        return
    data = {k: v for k, v in fields.items() if not k.startswith("action-")}
    half = dict(list(data.items())[::2])
    for action in sorted(k for k in fields if k.startswith("action-")):
        yield f"{action} alone", {action: "1"}
        yield f"{action} with half the form", dict(half, **{action: "1"})
    counts = {k: "many" if k.endswith("-count") else v for k, v in data.items()}
    yield "nonsense counts", counts
    yield "counts past the items", {k: "7" if k.endswith("-count") else v for k, v in data.items()}


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_no_admin_post_answers_a_server_error(content, role, request):
    client = Client(raise_request_exception=False)
    client.force_login(request.getfixturevalue(role))
    errors = []

    def record(sender, request, **kwargs):
        import sys

        errors.append(repr(sys.exc_info()[1]))

    got_request_exception.connect(record)
    failures, posted, routes = [], 0, admin_routes()
    try:
        for name, params in routes:
            kwargs = fill(name, params, content)
            if kwargs is None:
                continue
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
            fields = form_fields(client, url)
            for label, data in bodies(fields):
                errors.clear()
                response = client.post(url, data)
                posted += 1
                if response.status_code >= 500:
                    failures.append(f"{url} ({name}), {label}: {response.status_code} {errors}")
    finally:
        got_request_exception.disconnect(record)
    # The generation reached the routes that matter.
    assert posted > 100, posted
    assert failures == [], "\n".join(failures)


def test_cancel_workflow_posted_alone_is_a_form_error(content, editor):
    from wagtail.models import Page

    client = Client()
    client.force_login(editor)
    url = f"/admin/pages/{content['page_id']}/edit/"
    response = client.post(url, {"action-cancel-workflow": "1"})
    assert response.status_code == 200
    assert "did not arrive complete" in response.content.decode()
    # Wagtail lets whoever submitted cancel even when the form cannot be
    # saved: the review is cancelled, and nothing of the empty form is saved.
    page = Page.objects.get(pk=content["page_id"])
    assert page.current_workflow_task_state is None
    assert page.latest_revision.pk == content["revision_id"]
