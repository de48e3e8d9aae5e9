"""Nobody publishes what a patient reads without a clinical review: every way the
admin offers to publish a guide or FAQ directly is tried, by every role that
could publish before, superusers included. Approving the review still
publishes, taking content down still works, and hubs still publish directly."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Page

from cms.models import ClinicallyReviewed
from faqs.models import FAQ
from guides.models import GuideIndexPage, GuidePage
from tests.admin_workflow import approve, signed_in
from tests.test_clinical_workflow import guide_form
from tests.test_faq_clinical_review import FAQ_ADMIN, faq_form

User = get_user_model()


def _publishers(db):
    """Everyone who could press Publish before: a superuser, an administrator
    and a clinical reviewer."""
    superuser = User.objects.create_superuser("root", "root@example.org", "pw")
    administrator = User.objects.create_user("ada", "ada@example.org", "pw")
    administrator.groups.add(Group.objects.get(name="Administrators"))
    reviewer = User.objects.create_user("rex", "rex@example.org", "pw")
    reviewer.groups.add(Group.objects.get(name="Clinical reviewers"))
    return {"superuser": superuser, "administrator": administrator, "reviewer": reviewer}


ROLES = ["superuser", "administrator", "reviewer"]


# Each clinical content type: how to make a draft of it, and the admin routes
# that publish an existing one or create one already published.
def _draft_guide(request):
    return request.getfixturevalue("make_guide")(publish=False)


def _draft_faq(request):
    return request.getfixturevalue("make_faq")("Can I drive after treatment?", publish=False)


def _edit_guide(client, guide):
    data = guide_form(guide.category, None, slug=guide.slug, title=guide.title)
    data["action-publish"] = "Publish"
    return client.post(f"/admin/pages/{guide.pk}/edit/", data)


def _create_guide(client, guide):
    data = guide_form(guide.category, None, slug="published-in-one-step")
    data["action-publish"] = "Publish"
    return client.post(f"/admin/pages/add/guides/guidepage/{guide.get_parent().pk}/", data)


def _bulk_publish_guide(client, guide):
    return client.post(f"/admin/bulk/wagtailcore/page/publish/?id={guide.pk}", {})


def _edit_faq(client, faq):
    data = faq_form(faq.topic, question=faq.question)
    data["action-publish"] = "Publish"
    return client.post(f"{FAQ_ADMIN}/edit/{faq.pk}/", data)


def _create_faq(client, faq):
    data = faq_form(faq.topic, question="Published in one step?")
    data["action-publish"] = "Publish"
    return client.post(f"{FAQ_ADMIN}/add/", data)


CLINICAL_CONTENT = {
    GuidePage: {
        "draft": _draft_guide,
        "edit_url": lambda guide: f"/admin/pages/{guide.pk}/edit/",
        "routes": [_edit_guide, _create_guide, _bulk_publish_guide],
    },
    FAQ: {
        "draft": _draft_faq,
        "edit_url": lambda faq: f"{FAQ_ADMIN}/edit/{faq.pk}/",
        "routes": [_edit_faq, _create_faq],
    },
}

CASES = [
    pytest.param(model, route, role, id=f"{model.__name__}-{route.__name__.strip('_')}-{role}")
    for model, kind in CLINICAL_CONTENT.items()
    for route in kind["routes"]
    for role in ROLES
]


def test_every_kind_of_clinical_content_is_covered_here():
    clinical = {
        model
        for model in apps.get_models()
        if issubclass(model, ClinicallyReviewed) and not model._meta.abstract
    }
    assert clinical == set(CLINICAL_CONTENT)


def _live(model):
    return set(model.objects.filter(live=True).values_list("pk", flat=True))


@pytest.mark.parametrize(("model", "route", "role"), CASES)
def test_no_route_publishes_clinical_content_directly(request, db, model, route, role):
    draft = CLINICAL_CONTENT[model]["draft"](request)
    live_before = _live(model)
    client = signed_in(_publishers(db)[role])

    response = route(client, draft)

    # Shown the form again, sent elsewhere, or refused outright: never published.
    assert response.status_code in (200, 302, 403), response.status_code
    assert _live(model) == live_before


@pytest.mark.parametrize("model", CLINICAL_CONTENT, ids=lambda model: model.__name__)
@pytest.mark.parametrize("role", ROLES)
def test_the_edit_view_offers_no_publish_button(request, db, model, role):
    draft = CLINICAL_CONTENT[model]["draft"](request)
    client = signed_in(_publishers(db)[role])

    html = client.get(CLINICAL_CONTENT[model]["edit_url"](draft)).content.decode()

    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html


@pytest.mark.parametrize("model", CLINICAL_CONTENT, ids=lambda model: model.__name__)
def test_approving_the_review_publishes(request, db, model, editor, reviewer):
    draft = CLINICAL_CONTENT[model]["draft"](request)
    draft.save_revision(user=editor)
    draft.get_workflow().start(draft, editor)
    prefix = "/admin/pages" if issubclass(model, Page) else FAQ_ADMIN

    approve(signed_in(reviewer), prefix, model.objects.get(pk=draft.pk))

    assert model.objects.get(pk=draft.pk).live


def test_an_administrator_can_still_take_a_guide_down(make_guide, db):
    guide = make_guide()
    client = signed_in(_publishers(db)["administrator"])

    client.post(f"/admin/pages/{guide.pk}/unpublish/", {})

    assert not GuidePage.objects.get(pk=guide.pk).live


def test_an_administrator_can_still_take_an_faq_down(make_faq, db):
    faq = make_faq("Can I drive after treatment?")
    client = signed_in(_publishers(db)["administrator"])

    client.post(f"{FAQ_ADMIN}/unpublish/{faq.pk}/", {})

    assert not FAQ.objects.get(pk=faq.pk).live


def test_hubs_are_not_clinical_content_and_publish_directly(make_hub, db):
    hub = make_hub(title="Living with treatment", slug="living", publish=False)
    administrator = _publishers(db)["administrator"]

    html = signed_in(administrator).get(f"/admin/pages/{hub.pk}/edit/").content.decode()

    assert 'name="action-publish"' in html
    assert GuideIndexPage.objects.get(pk=hub.pk).permissions_for_user(administrator).can_publish()
