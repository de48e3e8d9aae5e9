"""Editors in the Wagtail admin: valid trees only, guides saved with every
field they filled in, clear validation messages."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from faqs.models import FAQ, FAQIndexPage, FAQTopic
from guides.models import GuideCategory, GuideIndexPage, GuidePage
from home.models import HomePage
from tests.admin_workflow import publish_reviewed


def list_block(values):
    """POST data for a ListBlock, the companion of Wagtail's `streamfield()` helper."""
    data = {
        str(i): {"value": v, "deleted": "", "order": str(i), "id": ""} for i, v in enumerate(values)
    }
    data["count"] = str(len(values))
    return data


class PageTreeRules(WagtailPageTestCase):
    def test_home_sits_at_the_root_and_holds_hubs_and_the_faq_page(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {GuideIndexPage, FAQIndexPage})

    def test_hubs_live_under_home_and_hold_only_guides(self):
        self.assertAllowedParentPageTypes(GuideIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(GuideIndexPage, {GuidePage})

    def test_guides_live_only_in_hubs_and_have_no_children(self):
        self.assertAllowedParentPageTypes(GuidePage, {GuideIndexPage})
        self.assertAllowedSubpageTypes(GuidePage, set())
        self.assertCanNotCreateAt(HomePage, GuidePage)
        self.assertCanNotCreateAt(GuidePage, GuidePage)

    def test_faq_page_lives_under_home(self):
        self.assertAllowedParentPageTypes(FAQIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(FAQIndexPage, set())


class GuideEditing(WagtailPageTestCase):
    def setUp(self):
        self.editor = get_user_model().objects.create_superuser(
            "editor", "editor@example.org", "pw"
        )
        self.client.force_login(self.editor)
        self.home = HomePage.objects.get()
        self.hub = GuideIndexPage(title="Second opinions", slug="second-opinion")
        self.home.add_child(instance=self.hub)
        self.category = GuideCategory.objects.create(name="Communication Guide")
        topic = FAQTopic.objects.create(name="Appointments")
        self.faq = FAQ.objects.create(
            question="Can I bring someone?", answer="<p>Yes.</p>", topic=topic
        )

    def guide_form(self, **overrides):
        data = {
            "title": "How to ask for a second opinion",
            "slug": "asking",
            "standfirst": "Words to start the conversation.",
            "summary": "How to ask, and what to request.",
            "quick_answer": rich_text("<p>Ask plainly.</p>"),
            "published_date": "2026-04-01",
            "next_review_due": "2028-04-01",
            "category": self.category.pk,
            "change_type": "minor_edit",
            "change_summary": "",
            "key_highlights": streamfield([("highlight", "It is normal to ask.")]),
            "important_facts": streamfield([("fact", "You may have a copy of your records.")]),
            "body": streamfield(
                [
                    ("heading", {"text": "Before you ask", "level": "2", "anchor": ""}),
                    ("paragraph", rich_text("<p>Plan what to say.</p>")),
                    (
                        "checklist",
                        {"title": "Bring", "items": list_block(["Letters", "Medicines list"])},
                    ),
                    (
                        "comparison",
                        {
                            "title": "",
                            "columns": list_block(
                                [
                                    {
                                        "title": "When opinions match",
                                        "points": list_block(["Start treatment"]),
                                    },
                                    {
                                        "title": "When opinions differ",
                                        "points": list_block(["Ask why"]),
                                    },
                                ]
                            ),
                        },
                    ),
                    ("faqs", {"title": "Questions", "faqs": list_block([self.faq.pk])}),
                ]
            ),
            "faq_placements": inline_formset([{"faq": self.faq.pk}]),
            "related_guide_links": inline_formset([]),
            "references": inline_formset([]),
            "disclaimer": rich_text(""),
        }
        data.update(overrides)
        return nested_form_data(data)

    def test_editor_creates_a_guide_with_real_block_names(self):
        self.assertCanCreate(self.hub, GuidePage, self.guide_form(), publish=False)
        guide = GuidePage.objects.get(slug="asking")

        assert [child.block_type for child in guide.body] == [
            "heading",
            "paragraph",
            "checklist",
            "comparison",
            "faqs",
        ]
        assert guide.body[0].value["text"] == "Before you ask"
        assert guide.body[1].value.source.startswith("<p")
        assert "Plan what to say.</p>" in guide.body[1].value.source
        assert list(guide.body[2].value["items"]) == ["Letters", "Medicines list"]
        columns = guide.body[3].value["columns"]
        assert [c["title"] for c in columns] == ["When opinions match", "When opinions differ"]
        assert list(guide.body[4].value["faqs"]) == [self.faq]
        assert [c.value for c in guide.key_highlights] == ["It is normal to ask."]
        assert [c.value for c in guide.important_facts] == ["You may have a copy of your records."]
        assert [p.faq for p in guide.faq_placements.all()] == [self.faq]
        assert guide.category == self.category
        assert str(guide.published_date) == "2026-04-01"

    def post_new_guide(self, **overrides):
        url = f"/admin/pages/add/guides/guidepage/{self.hub.pk}/"
        return self.client.post(url, self.guide_form(**overrides))

    def test_summary_over_600_characters_is_refused_with_a_clear_message(self):
        response = self.post_new_guide(summary="x" * 601)
        assert response.status_code == 200
        assert not GuidePage.objects.filter(slug="asking").exists()
        errors = response.context["form"].errors["summary"]
        assert "Ensure this value has at most 600 characters (it has 601)." in errors

    def test_call_to_action_needs_a_page_or_an_address(self):
        body = streamfield(
            [
                (
                    "call_to_action",
                    {
                        "heading": "Talk to us",
                        "text": "",
                        "button_label": "Contact",
                        "page": "",
                        "external_url": "",
                    },
                )
            ]
        )
        response = self.post_new_guide(body=body)
        assert response.status_code == 200
        assert not GuidePage.objects.filter(slug="asking").exists()
        assert (
            "Choose either a page or a web address for the button, not both."
            in response.content.decode()
        )

    def test_cited_references_must_exist_and_are_saved_in_order(self):
        body = streamfield(
            [("paragraph", rich_text("<p>Most reviews agree with the first plan [1].</p>"))]
        )
        response = self.post_new_guide(body=body)
        assert response.status_code == 200
        assert (
            "The text cites [1] but the guide has 0 reference(s). Add the reference on the "
            "References tab or correct the number." in response.content.decode()
        )
        reference = {
            "title": "Second opinions in oncology",
            "source": "J Clin Oncol",
            "year": "2024",
            "url": "",
            "doi": "https://doi.org/10.1200/JCO.23.01234",
            "pmid": "38000001",
            "accessed": "2026-10-01",
        }
        self.assertCanCreate(
            self.hub,
            GuidePage,
            self.guide_form(body=body, references=inline_formset([reference])),
            publish=False,  # a guide goes live only by its clinical review
        )
        saved = GuidePage.objects.get(slug="asking").references.get()
        assert (saved.doi, saved.pmid, saved.year) == ("10.1200/JCO.23.01234", "38000001", 2024)

    def test_reference_identifiers_are_checked(self):
        bad = {
            "title": "A study",
            "source": "",
            "year": "",
            "url": "",
            "doi": "doi-123",
            "pmid": "PMC12",
            "accessed": "",
        }
        response = self.post_new_guide(references=inline_formset([bad]))
        html = response.content.decode()
        assert "Enter a DOI like 10.1056/NEJMoa2102758." in html
        assert "A PubMed ID is 1 to 9 digits, e.g. 34379901." in html
        assert not GuidePage.objects.filter(slug="asking").exists()

    def test_category_is_required(self):
        response = self.post_new_guide(category="")
        assert response.context["form"].errors["category"] == ["This field is required."]

    def test_guide_edit_view_groups_panels_in_tabs(self):
        self.assertCanCreate(self.hub, GuidePage, self.guide_form(), publish=False)
        guide = GuidePage.objects.get(slug="asking")
        html = self.client.get(f"/admin/pages/{guide.pk}/edit/").content.decode()
        for tab in ("Content", "Highlights and facts", "FAQs", "Promote", "Settings"):
            assert f">{tab}<" in html or f"{tab}\n" in html, tab
        assert "At most 600 characters" in html


class FAQEditing(WagtailPageTestCase):
    def setUp(self):
        self.editor = get_user_model().objects.create_superuser(
            "editor", "editor@example.org", "pw"
        )
        self.client.force_login(self.editor)
        self.topic = FAQTopic.objects.create(name="Travel")

    def test_saving_a_draft_of_a_live_faq_keeps_the_published_answer(self):
        faq = FAQ.objects.create(
            question="Can my carer travel?", answer="<p>Usually.</p>", topic=self.topic
        )
        publish_reviewed(faq)
        response = self.client.post(
            f"/admin/snippets/faqs/faq/edit/{faq.pk}/",
            nested_form_data(
                {
                    "question": "Can my carer travel?",
                    "answer": rich_text("<p>Unreviewed.</p>"),
                    "topic": self.topic.pk,
                    "next_review_due": "2028-01-01",
                }
            ),
        )
        assert response.status_code == 302
        faq.refresh_from_db()
        assert faq.live and faq.has_unpublished_changes
        assert faq.answer == "<p>Usually.</p>"
        assert "Unreviewed" in faq.latest_revision.content["answer"]


class EditorPreview(WagtailPageTestCase):
    """The CMS renders a plain page for editors' preview instead of an error."""

    def setUp(self):
        self.client.force_login(
            get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
        )
        self.home = HomePage.objects.get()
        self.hub = GuideIndexPage(
            title="Second opinions", slug="second-opinion", tagline="Another view."
        )
        self.home.add_child(instance=self.hub)
        self.guide = GuidePage(
            title="Asking for a review",
            slug="asking",
            summary="How to ask.",
            category=GuideCategory.objects.create(name="Decision Guide"),
            body='[{"type": "paragraph", "value": "<p>Plan what to say.</p>"}, '
            '{"type": "checklist", "value": {"title": "Bring", "items": ["Letters"]}}]',
        )
        self.hub.add_child(instance=self.guide)
        publish_reviewed(self.guide)  # a new guide is a draft until its review is approved
        self.faq_page = FAQIndexPage(title="FAQs", slug="faqs")
        self.home.add_child(instance=self.faq_page)

    def test_every_page_type_renders_for_preview_and_view_live(self):
        for page in (self.home, self.hub, self.guide, self.faq_page):
            preview = page.make_preview_request()
            assert preview.status_code == 200, page
            assert "Plain preview for editors" in preview.content.decode()
        html = self.guide.make_preview_request().content.decode()
        assert "Plan what to say." in html and "Letters" in html
        # "View live" leaves the CMS for the frontend: it serves no public HTML.
        with self.settings(FRONTEND_BASE_URL="https://guides.example.org"):
            response = self.client.get(self.guide.url)
        assert response.status_code == 302
        assert response["Location"] == "https://guides.example.org/second-opinion/asking/"


class HubCallToActionRules(WagtailPageTestCase):
    def test_closing_call_to_action_needs_a_label_and_one_destination(self):
        home = HomePage.objects.get()
        hub = GuideIndexPage(
            title="Hub", slug="hub", cta_heading="Talk to us", cta_button_label="Go"
        )
        with self.assertRaises(ValidationError) as raised:
            home.add_child(instance=hub)
        assert raised.exception.message_dict["cta_url"] == [
            "Choose either a page or a web address for the button, not both."
        ]
        hub.cta_url = "https://example.org/contact"
        home.add_child(instance=hub)
        assert GuideIndexPage.objects.filter(slug="hub").exists()


class LabelDeletion(WagtailPageTestCase):
    def setUp(self):
        self.client.force_login(
            get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
        )

    def test_a_cancer_type_in_use_is_not_deleted(self):
        from guides.models import CancerType

        home = HomePage.objects.get()
        hub = GuideIndexPage(title="Hub", slug="hub")
        home.add_child(instance=hub)
        lymphoma = CancerType.objects.create(name="Lymphoma")
        unused = CancerType.objects.create(name="Unused")
        guide = GuidePage(
            title="Lymphoma basics",
            slug="lymphoma",
            summary="About lymphoma.",
            category=GuideCategory.objects.create(name="Decision Guide"),
        )
        hub.add_child(instance=guide)
        guide.cancer_types.set([lymphoma])
        publish_reviewed(guide)

        response = self.client.post(
            f"/admin/snippets/guides/cancertype/delete/{lymphoma.pk}/", follow=True
        )
        assert CancerType.objects.filter(pk=lymphoma.pk).exists()
        assert (
            "“Lymphoma” is used by 1 guide(s). Remove it from those guides first."
            in response.content.decode()
        )
        assert list(GuidePage.objects.get(pk=guide.pk).cancer_types.all()) == [lymphoma]

        self.client.post(f"/admin/snippets/guides/cancertype/delete/{unused.pk}/")
        assert not CancerType.objects.filter(pk=unused.pk).exists()
