"""Load the demo content: hubs, guides, shared FAQs, images and the demo logins.

Safe to run again: everything is looked up by slug or name first, so a second
run creates nothing twice.

Guides and FAQs go live the only way they can: the demo editor submits each
one and the demo clinician approves it in the Clinical review workflow
(guides.clinical_review.submit_and_approve), so the workflow history and audit
log show who did what, as for content written in the admin.
"""

import datetime
import io
import json
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from cms.models import Person, SiteSettings, add_months
from faqs.models import FAQ, FAQIndexPage, FAQTopic
from guides.clinical_review import submit_and_approve
from guides.models import (
    Audience,
    CancerType,
    GuideCategory,
    GuideFAQ,
    GuideIndexPage,
    GuidePage,
    GuideReference,
    Publisher,
    RelatedGuide,
)
from home import demo_content as demo
from home.models import FeaturedGuide, FeaturedHub, HomePage

# The roles' groups and permissions come from the migrations (home 0004);
# these are only the demo's people in them.
# Writes and submits guides and FAQs; cannot publish.
DEMO_EDITOR = ("editor", "editor@example.org", "care-guides-demo")
# Approves guides and FAQs in the Clinical review workflow, as the demo clinician.
DEMO_REVIEWER = ("reviewer", "reviewer@example.org", "care-guides-demo")
# Manages users and deletes content.
DEMO_ADMINISTRATOR = ("admin", "admin@example.org", "care-guides-demo")
DEMO_LOGINS = [
    (DEMO_EDITOR, "Editors"),
    (DEMO_REVIEWER, "Clinical reviewers"),
    (DEMO_ADMINISTRATOR, "Administrators"),
]


class Command(BaseCommand):
    help = "Create the demo hubs, guides, FAQs and images, and the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--guides",
            type=int,
            default=0,
            metavar="N",
            help="Add numbered copies of the demo guides, spread over the hubs, until there "
            "are N guides in all (for load tests and benchmarks).",
        )

    def handle(self, *args, **options):
        steps = [
            ("labels, people and publisher", self.load_labels),
            # First: the editor submits and the clinician approves what follows.
            ("demo editor, reviewer and administrator logins", self.load_logins),
            ("FAQs", self.load_faqs),
            ("images", self.load_images),
            ("hubs", self.load_hubs),
            ("guides", self.load_guides),
            ("related guides and links", self.link_guides),
            ("FAQ page", self.load_faq_index),
            ("home page and site settings", self.load_home),
        ]
        copies = None
        if options["guides"]:
            total = options["guides"]

            def copies():
                self.copy_guides(total)

            steps.append((f"copies of the guides, up to {total}", copies))
        self.created = 0
        for number, (label, step) in enumerate(steps, start=1):
            self.stdout.write(f"[{number}/{len(steps)}] {label}…")
            if step is copies:
                step()  # commits every batch of copies itself
                continue
            with transaction.atomic():
                step()
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready: {self.created} objects created.")
        )
        self.stdout.write(
            "Log in at /admin/ as "
            + ", ".join(f"'{login[0]}' / '{login[2]}' ({group})" for login, group in DEMO_LOGINS)
            + "."
        )

    def note(self, obj, created):
        if created:
            self.created += 1
            self.stdout.write(f"    + {obj._meta.verbose_name}: {obj}")
        return obj

    def load_labels(self):
        self.categories = {
            name: self.note(*GuideCategory.objects.get_or_create(name=name))
            for name in demo.CATEGORIES
        }
        self.cancer_types = {
            name: self.note(*CancerType.objects.get_or_create(name=name, defaults={"code": code}))
            for name, code in demo.CANCER_TYPES
        }
        self.audiences = {
            name: self.note(*Audience.objects.get_or_create(name=name)) for name in demo.AUDIENCES
        }
        self.reviewer, self.writer = (
            self.note(
                *Person.objects.get_or_create(
                    name=name, defaults={"credentials": creds, "role": role}
                )
            )
            for name, creds, role in demo.PEOPLE
        )
        self.publisher = self.note(
            *Publisher.objects.get_or_create(
                name=demo.PUBLISHER["name"], defaults={"url": demo.PUBLISHER["url"]}
            )
        )

    def load_faqs(self):
        topics = {
            name: self.note(
                *FAQTopic.objects.get_or_create(name=name, defaults={"sort_order": order})
            )
            for order, name in enumerate(demo.FAQ_TOPICS)
        }
        self.faqs = {}
        for topic, question, answer in demo.FAQS:
            faq, created = FAQ.objects.get_or_create(
                question=question,
                defaults={
                    "answer": answer,
                    "topic": topics[topic],
                    "author": self.writer,
                    "reviewed_by": self.reviewer,
                    "last_reviewed": datetime.date(2026, 9, 1),
                    "next_review_due": datetime.date(2028, 9, 1),
                },
            )
            if created:
                self.publish_reviewed(faq, reviewed_on=datetime.date(2026, 9, 1))
            self.faqs[question] = self.note(faq, created)

    def load_images(self):
        Image = get_image_model()
        self.images = {}
        for key, (title, colour) in demo.IMAGES.items():
            image = Image.objects.filter(title=title).first()
            created = image is None
            if created:
                image = Image(title=title)
                image.file = ImageFile(_draw_image(title, colour), name=f"demo-{key}.png")
                image.save()
            self.images[key] = self.note(image, created)

    def load_hubs(self):
        home = HomePage.objects.get()
        self.hubs = {}
        for spec in demo.HUBS:
            hub = GuideIndexPage.objects.child_of(home).filter(slug=spec["slug"]).first()
            created = hub is None
            if created:
                cta = spec["cta"]
                hub = GuideIndexPage(
                    title=spec["title"],
                    slug=spec["slug"],
                    eyebrow=spec["eyebrow"],
                    tagline=spec["tagline"],
                    intro=spec["intro"],
                    cta_heading=cta["heading"],
                    cta_text=cta["text"],
                    cta_button_label=cta["button_label"],
                    cta_url=cta["url"],
                )
                home.add_child(instance=hub)
                hub.save_revision().publish()
            self.hubs[spec["slug"]] = self.note(hub, created)

    def load_guides(self):
        self.guides = {}
        for spec in demo.GUIDES:
            hub = self.hubs[spec["hub"]]
            guide = GuidePage.objects.child_of(hub).filter(slug=spec["slug"]).first()
            created = guide is None
            if created:
                # A draft until link_guides adds its links and publishes it:
                # one publish, so readers see one "new guide" change-log entry.
                guide = self.guide_from_spec(spec, live=False)
                hub.add_child(instance=guide)
                guide.save_revision()
            self.guides[spec["slug"]] = self.note(guide, created)

    def copy_guides(self, total, batch=200):
        """Numbered copies of the demo guides, published, until there are `total`.

        Committed every `batch` copies: readers see the guides arrive, and an
        interrupted run resumes where it stopped (it counts what is there)."""
        existing = GuidePage.objects.count()
        started = time.monotonic()
        for first in range(existing, total, batch):
            with transaction.atomic():
                self.copy_guide_batch(first, min(first + batch, total), total, started)

    def copy_guide_batch(self, first, end, total, started):
        hubs = list(self.hubs.values())
        for number in range(first, end):
            spec = demo.GUIDES[number % len(demo.GUIDES)]
            guide = self.guide_from_spec(
                spec,
                title=f"{spec['title']} ({number})",
                slug=f"{spec['slug']}-{number}",
                live=False,
            )
            hubs[number % len(hubs)].add_child(instance=guide)
            self.publish_reviewed(guide, reviewed_on=guide.last_reviewed)
            self.created += 1
            if (number + 1) % 100 == 0 or number + 1 == total:
                self.stdout.write(
                    f"    {number + 1}/{total} guides ({time.monotonic() - started:.0f} s)"
                )

    def guide_from_spec(self, spec, **overrides):
        """An unsaved guide from a demo spec, with its labels, references and FAQs."""
        reviewed = datetime.date.fromisoformat(spec["date"])
        guide = GuidePage(
            **{
                "title": spec["title"],
                "slug": spec["slug"],
                "standfirst": spec["standfirst"],
                "summary": spec["summary"],
                "published_date": reviewed,
                "category": self.categories[spec["category"]],
                "publisher": self.publisher,
                "quick_answer": spec["quick_answer"],
                "hero_image": self.images["hero"],
                "author": self.writer,
                "reviewed_by": self.reviewer,
                "last_reviewed": reviewed,
                "next_review_due": add_months(reviewed, 24),
                "key_highlights": json.dumps(
                    [{"type": "highlight", "value": t} for t in spec["highlights"]]
                ),
                "important_facts": json.dumps(
                    [{"type": "fact", "value": t} for t in spec["facts"]]
                ),
                "body": json.dumps(self.resolve_body(spec["body"], pages={})),
                **overrides,
            }
        )
        guide.cancer_types.set([self.cancer_types[name] for name in spec["cancer_types"]])
        guide.audiences.set([self.audiences[name] for name in spec["audiences"]])
        guide.references = [
            GuideReference(sort_order=order, **reference)
            for order, reference in enumerate(spec.get("references", []))
        ]
        guide.faq_placements = [
            GuideFAQ(faq=self.faqs[question], sort_order=order)
            for order, question in enumerate(spec["faqs"])
        ]
        return guide

    def resolve_body(self, body, pages):
        """Swap the demo's names for database ids: images, FAQs and linked pages."""
        resolved = []
        for block in body:
            value = block["value"]
            if block["type"] == "image":
                value = {**value, "image": self.images[value["image"]].pk}
            elif block["type"] == "faqs":
                value = {**value, "faqs": [self.faqs[q].pk for q in value["faqs"]]}
            elif block["type"] == "call_to_action" and value.get("page"):
                value = {**value, "page": pages.get(value["page"])}
            resolved.append({"type": block["type"], "value": value})
        return resolved

    def link_guides(self):
        """Related guides and page links need every guide to exist first; then
        each new guide is published."""
        pages = {slug: guide.pk for slug, guide in self.guides.items()}
        for spec in demo.GUIDES:
            guide = GuidePage.objects.get(pk=self.guides[spec["slug"]].pk)
            changed = False
            if not guide.related_guide_links.exists() and spec["related"]:
                guide.related_guide_links = [
                    RelatedGuide(guide=self.guides[slug], sort_order=order)
                    for order, slug in enumerate(spec["related"])
                ]
                changed = True
            if any(b["type"] == "call_to_action" and b["value"].get("page") for b in spec["body"]):
                linked = [c.value["page"] for c in guide.body if c.block_type == "call_to_action"]
                if not any(linked):
                    guide.body = json.dumps(self.resolve_body(spec["body"], pages))
                    changed = True
            if changed or not guide.live:
                self.publish_reviewed(guide, reviewed_on=guide.last_reviewed)
                self.stdout.write(f"    ~ linked and published: {guide}")

    def load_faq_index(self):
        home = HomePage.objects.get()
        page = FAQIndexPage.objects.first()
        created = page is None
        if created:
            page = FAQIndexPage(
                title="Frequently asked questions",
                slug="faqs",
                intro="Short answers to the questions patients and carers ask us most.",
            )
            home.add_child(instance=page)
            page.save_revision().publish()
        self.note(page, created)

    def load_home(self):
        home = HomePage.objects.get()
        if not home.featured_hub_links.exists():
            home.hero_title = "Clear guides for every step of cancer care"
            home.hero_text = "Written with specialists, checked regularly, and free to read."
            home.featured_hub_links = [
                FeaturedHub(hub=hub, sort_order=order)
                for order, hub in enumerate(self.hubs.values())
            ]
            home.featured_guide_links = [
                FeaturedGuide(guide=self.guides[slug], sort_order=order)
                for order, slug in enumerate(
                    ["asking-for-a-second-opinion", "travelling-for-treatment"]
                )
            ]
            home.save_revision().publish()
            self.stdout.write("    ~ home page hero and featured content")
        settings = SiteSettings.load()
        if not settings.default_disclaimer:
            settings.default_disclaimer = demo.DISCLAIMER
            settings.contact_heading = "Need to talk to someone?"
            settings.contact_text = "Our care coordinators answer on weekdays."
            settings.contact_button_label = "Contact us"
            settings.contact_url = "https://example.org/contact"
            settings.save()
            self.stdout.write("    ~ site settings")

    def publish_reviewed(self, obj, reviewed_on):
        """The demo editor submits `obj`'s changes; the demo clinician approves
        them, recording the demo's review date; the approval publishes them."""
        obj.save_revision(user=self.editor)
        submit_and_approve(obj, self.editor, self.reviewer_login, reviewed_on=reviewed_on)

    def load_logins(self):
        # None is a superuser: nobody publishes guides or FAQs without review.
        editor, reviewer, _administrator = (
            self.login(details, group) for details, group in DEMO_LOGINS
        )
        self.editor, self.reviewer_login = editor, reviewer
        for person, user in ((self.writer, editor), (self.reviewer, reviewer)):
            if person.user_id is None:
                person.user = user
                person.save(update_fields=["user"])

    def login(self, details, group):
        username, email, password = details
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": email, "is_staff": True}
        )
        if created:
            user.set_password(password)
            user.save()
        elif user.is_superuser:
            # Demo databases from before the roles had a superuser editor.
            user.is_superuser = False
            user.save(update_fields=["is_superuser"])
        user.groups.add(Group.objects.get(name=group))
        return self.note(user, created)


def publish_as_demo_team(obj):
    """Publish `obj`'s in-memory changes as the demo team would: the demo editor
    saves and submits them, the demo clinician approves them (for scripts that
    change demo content: benchmarks, CI checks)."""
    User = get_user_model()
    editor = User.objects.get(username=DEMO_EDITOR[0])
    obj.save_revision(user=editor)
    submit_and_approve(obj, editor, User.objects.get(username=DEMO_REVIEWER[0]))


def _draw_image(title, colour):
    """A simple generated picture, so the demo needs no downloads."""
    image = PILImage.new("RGB", (1200, 675), colour)
    draw = ImageDraw.Draw(image)
    for offset in range(0, 1200, 120):
        draw.ellipse((offset, 420, offset + 220, 640), outline=(255, 255, 255), width=4)
    draw.rectangle((60, 60, 1140, 200), fill=(255, 255, 255))
    draw.text((90, 110), title, fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer
