"""`load_demo_content` makes a complete, varied demo and is safe to run twice."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils.html import escape
from wagtail.images import get_image_model
from wagtail.models import Page

from faqs.models import FAQ, FAQIndexPage
from guides.blocks import GuideBodyBlock
from guides.models import ChangeType, GuideCategory, GuideFAQ, GuideIndexPage, GuidePage
from tests.test_page_preview import assert_readable, preview_html


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Page,
            GuidePage,
            GuideIndexPage,
            FAQ,
            GuideFAQ,
            GuideCategory,
            get_image_model(),
            get_user_model(),
        )
    }


@pytest.mark.django_db
def test_demo_content_is_complete_and_idempotent(graphql):
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    first = counts()
    assert "[1/9]" in out.getvalue() and "[9/9]" in out.getvalue()

    assert first["GuideIndexPage"] >= 1
    assert first["GuidePage"] >= 8
    assert GuideCategory.objects.filter(guides__isnull=False).distinct().count() >= 3
    assert FAQIndexPage.objects.live().count() == 1
    assert first["Image"] >= 1
    for guide in GuidePage.objects.all():
        assert guide.live and len(guide.key_highlights) and len(guide.important_facts), guide

    used = {child.block_type for guide in GuidePage.objects.all() for child in guide.body}
    assert used == set(GuideBodyBlock.base_blocks), set(GuideBodyBlock.base_blocks) - used

    faq_use = {faq: GuideFAQ.objects.filter(faq=faq).count() for faq in FAQ.objects.all()}
    assert any(uses >= 2 for uses in faq_use.values()), "some FAQ is shared between guides"

    editor = get_user_model().objects.get(username="editor")
    assert editor.check_password("care-guides-demo") and editor.is_staff
    reviewer = get_user_model().objects.get(username="reviewer")
    assert reviewer.check_password("care-guides-demo")
    assert list(reviewer.groups.values_list("name", flat=True)) == ["Clinical reviewers"]
    assert reviewer.person.credentials  # approvals are recorded under a named clinician
    # Each demo guide is published once: its change log says "new" and nothing else.
    for guide in GuidePage.objects.all():
        assert list(guide.change_log.values_list("change_type", flat=True)) == [ChangeType.NEW], (
            guide
        )

    again = StringIO()
    call_command("load_demo_content", stdout=again)
    assert counts() == first
    assert "0 objects created" in again.getvalue()

    # And the demo is served: every guide through the API.
    data = graphql.data("{ guides(perPage: 100) { pagination { total } } }")
    assert data["guides"]["pagination"]["total"] == first["GuidePage"]


@pytest.mark.django_db
def test_more_guides_for_benchmarks(graphql):
    out = StringIO()
    call_command("load_demo_content", guides=20, stdout=out)
    assert "[10/10] copies of the guides, up to 20" in out.getvalue()
    assert "20/20 guides" in out.getvalue()
    assert GuidePage.objects.count() == 20
    data = graphql.data(
        "{ guides(perPage: 100) { pagination { total } items { slug faqs { id } } } }"
    )
    assert data["guides"]["pagination"]["total"] == 20
    copy = next(g for g in data["guides"]["items"] if g["slug"].endswith("-19"))
    assert copy["faqs"], "copies keep the demo guide's FAQs"

    call_command("load_demo_content", guides=20, stdout=StringIO())
    assert GuidePage.objects.count() == 20


@pytest.mark.django_db
def test_every_demo_page_previews_as_readable_content():
    call_command("load_demo_content", stdout=StringIO())
    editor = get_user_model().objects.create_superuser("preview-ed", "ed@example.org", "pw")
    pages = Page.objects.filter(depth__gt=1).specific()
    assert len(pages) > 10
    for page in pages:
        html = preview_html(page, editor)
        assert_readable(html)
        assert f"<h1>{escape(getattr(page, 'hero_title', '') or page.title)}</h1>" in html
