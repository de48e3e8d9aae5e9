"""One publishing gate: a guide or FAQ goes live only on the revision an approved
clinical review approved, whatever the route.

The routes are generated from what Wagtail offers, not listed by hand: every
admin URL name for pages and FAQs, every bulk action and admin API action, and
every action in Wagtail's action registry for the two models. Each is either
driven against clinical content (as a superuser, the strongest account) or
named as one that cannot make anything live; a route nobody has classified
(one a Wagtail upgrade or another app adds) fails the test until it is.
"""

import datetime
import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import get_resolver
from django.utils import timezone
from wagtail.actions import action_registry
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.models import Locale, Page, PageViewRestriction, Revision

from cms.clinical_publishing import (
    ClinicalReviewRequired,
    LiveOnlyByReview,
    _may_be_live,
    approved_revision_id,
)
from cms.models import ClinicallyReviewed, Person
from faqs.models import FAQ
from guides.clinical_review import ApprovalRefused, submit_and_approve
from guides.models import GuidePage
from tests.admin_workflow import action_url, fixture_accounts, publish_reviewed, signed_in
from tests.test_clinical_workflow import guide_form
from tests.test_faq_clinical_review import FAQ_ADMIN, faq_form

User = get_user_model()
CLINICAL_MODELS = [
    model
    for model in apps.get_models()
    if issubclass(model, ClinicallyReviewed) and not model._meta.abstract
]
UNREVIEWED = ["Unreviewed words", "Never reviewed"]
UNREVIEWED_FAQS = ["Unreviewed question?", "Never reviewed question?"]


def test_every_clinical_model_is_gated_in_its_save():
    assert {GuidePage, FAQ} <= set(CLINICAL_MODELS)
    for model in CLINICAL_MODELS:
        assert issubclass(model, LiveOnlyByReview), model


@pytest.fixture
def content(home, make_hub, make_guide, make_faq):
    """A live guide and FAQ with unreviewed drafts on top, a never-reviewed
    guide and FAQ, and two hubs."""
    hub = make_hub(title="Second opinions", slug="second-opinions")
    other = make_hub(title="Travelling for treatment", slug="travelling")
    live = make_guide(title="Reviewed words", slug="reviewed", parent=hub)
    live.title = "Unreviewed words"
    unreviewed_revision = live.save_revision()
    draft = make_guide(title="Never reviewed", slug="never-reviewed", parent=hub, publish=False)
    faq = make_faq("Reviewed question?")
    faq.question = "Unreviewed question?"
    faq.save_revision()
    draft_faq = make_faq("Never reviewed question?", publish=False)
    draft_faq.save_revision()
    superuser = User.objects.create_superuser("root", "root@example.org", "pw")
    return SimpleNamespace(
        home=home,
        hub=hub,
        other=other,
        live=live,
        unreviewed_revision=unreviewed_revision,
        draft=draft,
        faq=faq,
        draft_faq=draft_faq,
        superuser=superuser,
        client=signed_in(superuser),
    )


def assert_nothing_unreviewed_is_live():
    for model in CLINICAL_MODELS:
        for obj in model.objects.filter(live=True):
            assert _may_be_live(obj, obj.live_revision_id), f"{obj} is live unreviewed"
    assert not GuidePage.objects.filter(live=True, title__in=UNREVIEWED).exists()
    assert not FAQ.objects.filter(live=True, question__in=UNREVIEWED_FAQS).exists()


def refused(call):
    """Run a route that may refuse with the gate's error; either way is fine."""
    try:
        call()
    except (ClinicalReviewRequired, PermissionDenied):
        pass


# Drivers: each tries one route on clinical content in every way it can publish.


def _page_add(c):
    data = guide_form(c.live.category, None, slug="published-in-one-step", title="Never reviewed")
    data["action-publish"] = "Publish"
    c.client.post(f"/admin/pages/add/guides/guidepage/{c.hub.pk}/", data)


def _page_edit(c):
    for guide in (c.live, c.draft):
        data = guide_form(guide.category, None, slug=guide.slug, title="Unreviewed words")
        data["action-publish"] = "Publish"
        c.client.post(f"/admin/pages/{guide.pk}/edit/", data)


def _page_copy(c):
    for page, parent, alias in (
        (c.hub, c.home, False),
        (c.hub, c.home, True),
        (c.draft, c.other, False),
    ):
        c.client.post(
            f"/admin/pages/{page.pk}/copy/",
            {
                "new_title": f"Copy of {page.title}",
                "new_slug": f"copy-{page.slug}-{int(alias)}",
                "new_parent_page": parent.pk,
                "copy_subpages": "on",
                "publish_copies": "on",
                **({"alias": "on"} if alias else {}),
            },
        )


def _page_move(c):
    for guide in (c.live, c.draft):
        c.client.post(f"/admin/pages/{guide.pk}/move/{c.other.pk}/confirm/")


def _page_set_position(c):
    c.client.post(f"/admin/pages/{c.draft.pk}/set_position/?position=0")


def _page_revert(c):
    for revision in c.live.revisions.all():
        data = guide_form(c.live.category, None, slug=c.live.slug, title="Unreviewed words")
        data["action-publish"] = "Publish"
        c.client.post(f"/admin/pages/{c.live.pk}/revisions/{revision.pk}/revert/", data)


def _page_workflow_action(c):
    # A clinical reviewer corrects the words in review, then approves them.
    reviewer = User.objects.create_user("rex", "rex@example.org", "pw")
    reviewer.groups.add(Group.objects.get(name="Clinical reviewers"))
    Person.objects.create(name="Dr Rex Hale", user=reviewer)
    writer, _ = fixture_accounts()
    c.draft.get_workflow().start(c.draft, writer)
    guide = GuidePage.objects.get(pk=c.draft.pk)
    guide.title = "Unreviewed words"
    guide.save_revision(user=reviewer)
    signed_in(reviewer).post(action_url("/admin/pages", guide), {"comment": ""})


def _page_convert_alias(c):
    alias = c.live.create_alias(parent=c.other, update_slug="alias-of-reviewed")
    c.client.post(f"/admin/pages/{alias.pk}/convert_alias/")


def _snippet_add(c):
    data = faq_form(c.faq.topic, question="Never reviewed question?")
    data["action-publish"] = "Publish"
    c.client.post(f"{FAQ_ADMIN}/add/", data)


def _snippet_edit(c):
    for faq in (c.faq, c.draft_faq):
        data = faq_form(faq.topic, question="Unreviewed question?")
        data["action-publish"] = "Publish"
        c.client.post(f"{FAQ_ADMIN}/edit/{faq.pk}/", data)


def _snippet_revert(c):
    for revision in c.faq.revisions.all():
        data = faq_form(c.faq.topic, question="Unreviewed question?")
        data["action-publish"] = "Publish"
        c.client.post(f"{FAQ_ADMIN}/history/{c.faq.pk}/revisions/{revision.pk}/revert/", data)


def _snippet_workflow_action(c):
    reviewer = User.objects.create_user("rex", "rex@example.org", "pw")
    reviewer.groups.add(Group.objects.get(name="Clinical reviewers"))
    Person.objects.create(name="Dr Rex Hale", user=reviewer)
    writer, _ = fixture_accounts()
    c.draft_faq.get_workflow().start(c.draft_faq, writer)
    faq = FAQ.objects.get(pk=c.draft_faq.pk)
    faq.question = "Unreviewed question?"
    faq.save_revision(user=reviewer)
    signed_in(reviewer).post(action_url(FAQ_ADMIN, faq), {"comment": ""})


def _bulk_publish(c):
    c.client.post(f"/admin/bulk/wagtailcore/page/publish/?id={c.live.pk}&id={c.draft.pk}", {})


def _bulk_move(c):
    c.client.post(
        f"/admin/bulk/wagtailcore/page/move/?id={c.live.pk}&id={c.draft.pk}",
        {"chooser": c.other.pk},
    )


def _api(c, page, action, body=None):
    return c.client.post(
        f"/admin/api/main/pages/{page.pk}/action/{action}/",
        json.dumps(body or {}),
        content_type="application/json",
    )


def _api_publish(c):
    _api(c, c.live, "publish")
    _api(c, c.draft, "publish")


def _api_copy(c):
    _api(
        c,
        c.hub,
        "copy",
        {
            "destination_page_id": c.home.pk,
            "recursive": True,
            "keep_live": True,
            "slug": "api-copy",
        },
    )


def _api_create_alias(c):
    _api(
        c,
        c.hub,
        "create_alias",
        {"destination_page_id": c.home.pk, "recursive": True, "update_slug": "api-alias"},
    )


def _api_move(c):
    _api(c, c.draft, "move", {"destination_page_id": c.other.pk})


def _api_revert(c):
    _api(c, c.live, "revert_to_page_revision", {"revision_id": c.unreviewed_revision.pk})
    _api(c, c.live, "publish")


def _api_convert_alias(c):
    alias = c.live.create_alias(parent=c.other, update_slug="alias-to-convert")
    _api(c, alias, "convert_alias")


def _api_copy_for_translation(c):
    Locale.objects.get_or_create(language_code="fr")
    _api(c, c.live, "copy_for_translation", {"locale": "fr", "copy_parents": True})


def _model_publish(c):
    refused(lambda: c.unreviewed_revision.publish())
    refused(lambda: c.draft.save_revision().publish())
    refused(lambda: FAQ.objects.get(pk=c.faq.pk).get_latest_revision().publish())
    refused(lambda: c.draft_faq.save_revision().publish())
    guide = GuidePage.objects.get(pk=c.draft.pk)
    guide.live = True
    refused(guide.save)


def _model_copy(c):
    c.hub.copy(recursive=True, keep_live=True, update_attrs={"slug": "shell-copy"}, to=c.home)
    c.draft.copy(keep_live=True, update_attrs={"slug": "shell-draft-copy"})


def _model_create_alias(c):
    c.hub.create_alias(parent=c.home, recursive=True, update_slug="shell-alias")
    c.draft.create_alias(update_slug="draft-alias")


def _model_move(c):
    c.draft.move(c.other, pos="last-child")
    GuidePage.objects.get(pk=c.live.pk).move(c.other, pos="last-child")


def _model_revert(c):
    cls = action_registry.get_action_class(GuidePage, "revert")
    revision = cls(GuidePage.objects.get(pk=c.live.pk), c.unreviewed_revision).execute()
    refused(revision.publish)
    faq_cls = action_registry.get_action_class(FAQ, "revert")
    faq = FAQ.objects.get(pk=c.faq.pk)
    revision = faq_cls(faq, faq.get_latest_revision()).execute()
    refused(revision.publish)


def _model_convert_alias(c):
    alias = c.live.create_alias(parent=c.other, update_slug="shell-alias-to-convert")
    cls = action_registry.get_action_class(GuidePage, "convert_alias")
    refused(lambda: cls(alias).execute())


def _model_copy_for_translation(c):
    locale, _ = Locale.objects.get_or_create(language_code="fr")
    refused(lambda: c.live.copy_for_translation(locale, copy_parents=True))


def _model_create(c):
    cls = action_registry.get_action_class(FAQ, "create")
    cls(
        FAQ(question="Never reviewed question?", answer="<p>Yes.</p>", topic=c.faq.topic, live=True)
    ).execute()
    # Wagtail's page create action needs an admin form and always saves a
    # draft; in a shell a page is made with add_child.
    c.hub.add_child(
        instance=GuidePage(
            title="Never reviewed", slug="made-live", summary="x", category=c.live.category
        )
    )


def _model_edit(c):
    cls = action_registry.get_action_class(FAQ, "edit")
    faq = FAQ.objects.get(pk=c.draft_faq.pk)
    faq.live = True
    refused(lambda: cls(faq).execute())
    guide = GuidePage.objects.get(pk=c.draft.pk)
    guide.live = True
    page_cls = action_registry.get_action_class(GuidePage, "edit")
    refused(lambda: page_cls(guide).execute())


def _scheduled(c):
    guide = GuidePage.objects.get(pk=c.live.pk)
    guide.title = "Unreviewed words"
    guide.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    refused(lambda: guide.save_revision().publish())
    # Scheduled however it was (a database edit): the command refuses it.
    Revision.objects.filter(pk=c.unreviewed_revision.pk).update(
        approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    refused(lambda: call_command("publish_scheduled"))


NOT_PUBLISHING = {
    # Reading, previewing, history and choosers.
    "history", "history_results", "revisions_index", "revisions_view", "revisions_compare",
    "usage", "type_use", "type_use_results", "search", "search_results", "preview_on_add",
    "preview_on_edit", "view_draft", "workflow_history", "workflow_history_detail",
    "workflow_preview", "choose_parent", "list", "list_results",
    # Only collect a comment for the action the edit view then runs (the edit drivers).
    "collect_workflow_action_data",
    # Taking down, deleting, locking, privacy, cancelling a schedule or a workflow:
    # nothing goes live.
    "unpublish", "delete", "lock", "unlock", "set_privacy", "revisions_unschedule",
    "confirm_workflow_cancellation",
}  # fmt: skip

ADMIN_ROUTES = {
    "wagtailadmin_pages": {
        "add": _page_add,
        "add_subpage": _page_add,
        "edit": _page_edit,
        "copy": _page_copy,
        "move": _page_move,
        "move_confirm": _page_move,
        "set_page_position": _page_set_position,
        "revisions_revert": _page_revert,
        "workflow_action": _page_workflow_action,
        "convert_alias": _page_convert_alias,
    },
    "wagtailsnippets_faqs_faq": {
        "add": _snippet_add,
        "copy": _snippet_add,  # the copy view is the add form, filled in
        "edit": _snippet_edit,
        "revisions_revert": _snippet_revert,
        "workflow_action": _snippet_workflow_action,
    },
}
BULK_ROUTES = {"publish": _bulk_publish, "move": _bulk_move}
API_ROUTES = {
    "publish": _api_publish,
    "copy": _api_copy,
    "create_alias": _api_create_alias,
    "move": _api_move,
    "revert_to_page_revision": _api_revert,
    "convert_alias": _api_convert_alias,
    "copy_for_translation": _api_copy_for_translation,
}
MODEL_ROUTES = {
    "publish": _model_publish,
    "copy": _model_copy,
    "create_alias": _model_create_alias,
    "move": _model_move,
    "revert": _model_revert,
    "convert_alias": _model_convert_alias,
    "copy_for_translation": _model_copy_for_translation,
    "create": _model_create,
    "edit": _model_edit,
}
COMMAND_ROUTES = {"publish_scheduled": _scheduled}


def _admin_url_names(namespace):
    found = set()

    def walk(resolver, current):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern, pattern.namespace or current)
            elif current == namespace and pattern.name:
                found.add(pattern.name)

    walk(get_resolver(), None)
    return found


def _enumerated_routes():
    """Every route Wagtail offers on pages and FAQs, by where it comes from."""
    routes = []
    for namespace in ADMIN_ROUTES:
        routes += [("admin", namespace, name) for name in sorted(_admin_url_names(namespace))]
    for app_label, model_name in (("wagtailcore", "page"), ("faqs", "faq")):
        actions = bulk_action_registry.actions.get(app_label, {}).get(model_name, {})
        routes += [("bulk", f"{app_label}.{model_name}", name) for name in sorted(actions)]
    routes += [("admin api", "pages", name) for name in sorted(PagesAdminAPIViewSet.actions)]
    for model in CLINICAL_MODELS:
        actions = action_registry.get_actions_for_model(model)
        routes += [("model", model.__name__, name) for name in sorted(actions)]
    routes += [("command", "manage.py", name) for name in COMMAND_ROUTES]
    return routes


def _driver(kind, where, name):
    if name in NOT_PUBLISHING:
        return None
    table = {
        "admin": ADMIN_ROUTES.get(where, {}),
        "bulk": BULK_ROUTES,
        "admin api": API_ROUTES,
        "model": MODEL_ROUTES,
        "command": COMMAND_ROUTES,
    }[kind]
    return table[name]  # KeyError: a route nobody has classified


ROUTES = _enumerated_routes()


def test_every_route_wagtail_offers_is_classified():
    unclassified = []
    for route in ROUTES:
        try:
            _driver(*route)
        except KeyError:
            unclassified.append(route)
    assert not unclassified, f"routes that may publish, with no test: {unclassified}"
    # The enumeration found what it should: a sanity check, not the list.
    assert ("admin", "wagtailadmin_pages", "copy") in ROUTES
    assert ("model", "GuidePage", "create_alias") in ROUTES


@pytest.mark.parametrize(
    "route",
    [route for route in ROUTES if route[2] not in NOT_PUBLISHING],
    ids=lambda route: "-".join(route).replace(" ", "_"),
)
def test_no_route_makes_clinical_content_live_without_an_approved_review(content, route):
    _driver(*route)(content)

    assert_nothing_unreviewed_is_live()
    # The reviewed guide and FAQ are still live, with their reviewed words.
    assert GuidePage.objects.get(pk=content.live.pk).title == "Reviewed words"
    assert FAQ.objects.get(pk=content.faq.pk).question == "Reviewed question?"
