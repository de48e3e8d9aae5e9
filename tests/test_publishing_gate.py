"""One publishing gate: a guide or FAQ goes live only on the revision an approved
clinical review approved, whatever the route.

The routes are generated from what Wagtail offers, not listed by hand: every
admin URL name for pages and FAQs, every bulk action and admin API action, and
every action in Wagtail's action registry for the two models. Each is either
driven against clinical content (as a superuser, the strongest account) or
named as one that cannot make anything live; a route nobody has classified
(one a Wagtail upgrade or another app adds) fails the test until it is.
"""

import contextlib
import datetime
import io
import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command, get_commands
from django.urls import get_resolver
from django.utils import timezone
from wagtail.actions import action_registry
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.models import Locale, Page, PageViewRestriction, Revision

from cms.models import ClinicallyReviewed, Person
from cms.publishing.clinical import (
    ClinicalReviewRequired,
    LiveOnlyByReview,
    _may_be_live,
    approved_revision_id,
)
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
    with contextlib.suppress(ClinicalReviewRequired, PermissionDenied):
        call()


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


def _import(c):
    from pathlib import Path

    import guides.importing

    samples = Path(guides.importing.__file__).parent / "samples"
    call_command(
        "import_guides", str(samples), hub=c.hub.slug, quiet_report=True, stdout=io.StringIO()
    )


COMMAND_ROUTES = {"publish_scheduled": _scheduled, "import_guides": _import}
# The project's other commands, and why none can make clinical content live.
COMMANDS_NOT_PUBLISHING = {
    "load_demo_content": "publishes only by submit_and_approve, as the demo clinician",
    "flag_overdue_reviews": "flags, and may unpublish: takes content down only",
    "send_review_reminders": "emails",
    "compute_image_placeholders": "images only",
    "register_persisted_queries": "GraphQL documents only",
    "set_site_url": "the default Site's hostname and port only",
}


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
    project = {"cms", "home", "guides", "faqs", "search"}
    commands = {name for name, app in get_commands().items() if app in project}
    routes += [("command", "manage.py", name) for name in sorted(commands | {"publish_scheduled"})]
    return routes


def _driver(kind, where, name):
    if name in NOT_PUBLISHING or (kind == "command" and name in COMMANDS_NOT_PUBLISHING):
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
    [
        route
        for route in ROUTES
        if route[2] not in NOT_PUBLISHING and route[2] not in COMMANDS_NOT_PUBLISHING
    ],
    ids=lambda route: "-".join(route).replace(" ", "_"),
)
def test_no_route_makes_clinical_content_live_without_an_approved_review(content, route):
    _driver(*route)(content)

    assert_nothing_unreviewed_is_live()
    # The reviewed guide and FAQ are still live, with their reviewed words.
    assert GuidePage.objects.get(pk=content.live.pk).title == "Reviewed words"
    assert FAQ.objects.get(pk=content.faq.pk).question == "Reviewed question?"


# The attacks, one by one, as they were found.


def _administrator():
    user = User.objects.create_user("ada", "ada@example.org", "pw")
    user.groups.add(Group.objects.get(name="Administrators"))
    return user


def _password_protect(page):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )


def _is_password_protected(page):
    return page.get_view_restrictions().filter(restriction_type="password").exists()


def test_an_administrator_copying_a_hub_with_its_guides_publishes_none_of_them(
    home, make_hub, make_guide, graphql
):
    hub = make_hub(title="Second opinions", slug="second-opinions")
    public = make_guide(title="Asking for a second opinion", parent=hub)
    protected = make_guide(title="Before the trial opens", parent=hub)
    _password_protect(protected)
    assert graphql.data(f"{{ guide(id: {protected.pk}) {{ title }} }}")["guide"] is None

    response = signed_in(_administrator()).post(
        f"/admin/pages/{hub.pk}/copy/",
        {
            "new_title": "Second opinions (copy)",
            "new_slug": "second-opinions-copy",
            "new_parent_page": home.pk,
            "copy_subpages": "on",
            "publish_copies": "on",
        },
    )

    assert response.status_code == 302
    hub_copy = Page.objects.get(slug="second-opinions-copy")
    copies = {guide.title: guide for guide in GuidePage.objects.child_of(hub_copy)}
    assert set(copies) == {public.title, protected.title}
    assert not any(guide.live for guide in copies.values())
    assert _is_password_protected(copies[protected.title])
    for guide in copies.values():
        assert graphql.data(f"{{ guide(id: {guide.pk}) {{ title }} }}")["guide"] is None
    assert_nothing_unreviewed_is_live()


def test_a_copy_made_in_a_shell_and_kept_live_is_a_draft_and_keeps_its_restriction(
    make_hub, make_guide
):
    hub = make_hub(title="Second opinions", slug="second-opinions")
    guide = make_guide(title="Before the trial opens", parent=hub)
    _password_protect(guide)
    other = make_hub(title="Travelling for treatment", slug="travelling")

    copy = guide.copy(to=other, keep_live=True, update_attrs={"slug": "copied"})
    hub_copy = hub.copy(
        to=hub.get_parent(), recursive=True, keep_live=True, update_attrs={"slug": "hub-copy"}
    )

    copy = GuidePage.objects.get(pk=copy.pk)
    assert not copy.live and copy.live_revision is None and copy.first_published_at is None
    assert _is_password_protected(copy)
    [subpage_copy] = GuidePage.objects.child_of(hub_copy)
    assert not subpage_copy.live
    assert _is_password_protected(subpage_copy)
    # Submitted and approved, the copy goes live like any guide.
    publish_reviewed(copy)
    assert GuidePage.objects.get(pk=copy.pk).live


def test_an_alias_of_a_protected_guide_is_not_live_so_not_public(make_hub, make_guide, graphql):
    protected_hub = make_hub(title="Clinical trials", slug="trials")
    _password_protect(protected_hub)
    guide = make_guide(title="Before the trial opens", parent=protected_hub)
    public_hub = make_hub(title="Second opinions", slug="second-opinions")

    alias = guide.create_alias(parent=public_hub, update_slug="trial-alias")

    alias = GuidePage.objects.get(pk=alias.pk)
    assert not alias.live
    assert graphql.data(f"{{ guide(id: {alias.pk}) {{ title }} }}")["guide"] is None
    # Approving a new version of the source does not make the alias live.
    publish_reviewed(GuidePage.objects.get(pk=guide.pk))
    assert not GuidePage.objects.get(pk=alias.pk).live


def test_moving_a_guide_publishes_nothing_and_keeps_what_was_reviewed(make_hub, make_guide):
    hub = make_hub(title="Second opinions", slug="second-opinions")
    other = make_hub(title="Travelling for treatment", slug="travelling")
    live = make_guide(title="Reviewed words", parent=hub)
    live.title = "Unreviewed words"
    live.save_revision()
    draft = make_guide(title="Never reviewed", parent=hub, publish=False)

    GuidePage.objects.get(pk=live.pk).move(other, pos="last-child")
    GuidePage.objects.get(pk=draft.pk).move(other, pos="last-child")

    assert GuidePage.objects.get(pk=live.pk).title == "Reviewed words"
    assert not GuidePage.objects.get(pk=draft.pk).live
    assert_nothing_unreviewed_is_live()


def test_reverting_to_an_unreviewed_revision_cannot_publish_it(make_guide):
    guide = make_guide(title="Unreviewed words", publish=False)
    first = guide.get_latest_revision()
    guide.title = "Reviewed words"
    publish_reviewed(guide)

    reverted = action_registry.get_action_class(GuidePage, "revert")(
        GuidePage.objects.get(pk=guide.pk), first
    ).execute()
    with pytest.raises(ClinicalReviewRequired, match="Clinical review workflow"):
        reverted.publish()
    # Nor does an earlier approval count once a later one replaced it.
    approved_first = GuidePage.objects.get(pk=guide.pk).live_revision
    publish_reviewed(GuidePage.objects.get(pk=guide.pk))
    with pytest.raises(ClinicalReviewRequired):
        approved_first.publish()

    assert GuidePage.objects.get(pk=guide.pk).title == "Reviewed words"


def test_scheduled_publishing_publishes_only_an_approved_revision(make_guide):
    guide = make_guide(title="Reviewed words")
    guide.title = "Unreviewed words"
    guide.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    with pytest.raises(ClinicalReviewRequired, match="scheduled"):
        guide.save_revision().publish()
    # Scheduled by a database edit: the command refuses it and publishes nothing.
    unreviewed = GuidePage.objects.get(pk=guide.pk).get_latest_revision()
    Revision.objects.filter(pk=unreviewed.pk).update(
        approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(ClinicalReviewRequired):
        call_command("publish_scheduled")
    assert GuidePage.objects.get(pk=guide.pk).title == "Reviewed words"


def test_an_approved_revision_scheduled_for_later_is_published_on_time(make_guide):
    guide = make_guide(title="Not yet", publish=False)
    guide.title = "Reviewed words"
    guide.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    publish_reviewed(guide)
    guide = GuidePage.objects.get(pk=guide.pk)
    assert not guide.live
    revision = guide.revisions.get(approved_go_live_at__isnull=False)
    assert revision.pk == approved_revision_id(guide)

    # An hour later:
    past = timezone.now() - datetime.timedelta(minutes=1)
    content = {**revision.content, "go_live_at": past.isoformat()}
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=past, content=content)
    call_command("publish_scheduled")

    guide = GuidePage.objects.get(pk=guide.pk)
    assert guide.live and guide.title == "Reviewed words"


# Four eyes on the words.


def _clinician(username, name):
    user = User.objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.add(Group.objects.get(name="Clinical reviewers"))
    Person.objects.create(name=name, user=user)
    return user


@pytest.mark.parametrize("kind", ["guide", "faq"])
def test_a_reviewer_who_corrects_the_wording_cannot_approve_it_another_can(
    kind, make_guide, make_faq, editor
):
    if kind == "guide":
        obj, prefix, field = (
            make_guide(title="Asking for a second opinion", publish=False),
            "/admin/pages",
            "title",
        )
    else:
        obj, prefix, field = make_faq("Can I bring someone?", publish=False), FAQ_ADMIN, "question"
    model = type(obj)
    obj.save_revision(user=editor)
    obj.get_workflow().start(obj, editor)
    corrector = _clinician("kim", "Dr Kim Lee")
    other = _clinician("ola", "Dr Ola Berg")
    # The reviewer corrects the wording while reviewing it.
    draft = model.objects.get(pk=obj.pk).get_latest_revision_as_object()
    setattr(draft, field, "Corrected by the reviewer?")
    draft.save_revision(user=corrector)

    modal = signed_in(corrector).get(action_url(prefix, model.objects.get(pk=obj.pk)))
    assert "You changed this" in modal.json()["html"]
    signed_in(corrector).post(action_url(prefix, model.objects.get(pk=obj.pk)), {"comment": ""})
    assert not model.objects.get(pk=obj.pk).live
    task_state = model.objects.get(pk=obj.pk).current_workflow_task_state.specific
    with pytest.raises(ApprovalRefused, match="another clinician must approve your wording"):
        task_state.task.specific.on_action(task_state, corrector, "approve")

    signed_in(other).post(action_url(prefix, model.objects.get(pk=obj.pk)), {"comment": ""})

    published = model.objects.get(pk=obj.pk)
    assert published.live
    assert getattr(published, field) == "Corrected by the reviewer?"
    assert published.reviewed_by == other.person


def test_whoever_saved_a_revision_since_the_last_approval_cannot_approve(make_guide, editor):
    writer = _clinician("kim", "Dr Kim Lee")
    guide = make_guide(title="Reviewed words")
    guide.title = "New words"
    guide.save_revision(user=writer)  # words since the last approval
    guide.save_revision(user=editor)  # the editor submits them

    with pytest.raises(ApprovalRefused, match="You changed this guide"):
        submit_and_approve(GuidePage.objects.get(pk=guide.pk), editor, writer)
    assert GuidePage.objects.get(pk=guide.pk).title == "Reviewed words"
