"""Small fixtures for building just the content a test needs.

The demo content is not a fixture: each test makes its own guides, hubs and
FAQs so it shows what it depends on.
"""

import datetime
import json
from contextlib import contextmanager
from itertools import count

import pytest
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connections
from django.db.models import Model
from django.test import Client

from cms.models import Person
from faqs.models import FAQ, FAQTopic
from guides.models import (
    Audience,
    CancerType,
    GuideCategory,
    GuideFAQ,
    GuideIndexPage,
    GuidePage,
    Publisher,
    RelatedGuide,
)
from home.models import HomePage
from tests.admin_workflow import publish_reviewed

_numbers = count(1)
User = get_user_model()
_db_blocker = pytest.StashKey()


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.fixture(autouse=True)
def _note_transactional_test(request, django_db_blocker):
    if _is_transactional(request.node):
        marker = request.node.get_closest_marker("django_db")
        if not (marker and marker.kwargs.get("serialized_rollback")):
            # Without it the flush re-creates content types under new ids,
            # which the migrated rows put back below then collide with.
            pytest.fail(
                "Mark transactional tests with "
                "django_db(transaction=True, serialized_rollback=True).",
                pytrace=False,
            )
        request.node.stash[_db_blocker] = django_db_blocker
    yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    # Runs after pytest-django has emptied every table at the end of a
    # transactional test, the data migrations' rows too (the home page, the
    # groups, the Clinical review workflow): put them back, so whatever runs
    # next finds the database as migrated, in any order.
    blocker = item.stash.get(_db_blocker, None)
    if blocker is not None and nextitem is not None:  # None: the test database is gone
        with blocker.unblock():
            for connection in connections.all():
                contents = getattr(connection, "_test_serialized_contents", None)
                if contents:
                    connection.creation.deserialize_db_from_string(contents)
    return result


@pytest.fixture
def home(db):
    """The home page the data migration creates."""
    return HomePage.objects.get()


@pytest.fixture
def category(db):
    return GuideCategory.objects.create(name="Decision Guide")


@pytest.fixture
def publisher(db):
    return Publisher.objects.create(
        name="Oncology Editorial Board", url="https://example.org/board"
    )


@pytest.fixture
def make_hub(home):
    def make_hub(title="Second opinions", publish=True, **fields):
        hub = GuideIndexPage(
            title=title, slug=fields.pop("slug", None) or f"hub-{next(_numbers)}", **fields
        )
        home.add_child(instance=hub)
        if publish:
            hub.save_revision().publish()
        else:
            hub.live = False
            hub.save()
        return hub

    return make_hub


@pytest.fixture
def hub(make_hub):
    return make_hub()


@pytest.fixture
def make_faq(db):
    topic = FAQTopic.objects.create(name=f"Topic {next(_numbers)}")

    def make_faq(
        question="Can I bring someone to appointments?",
        answer="<p>Yes.</p>",
        publish=True,
        topic=topic,
    ):
        faq = FAQ(question=question, answer=answer, topic=topic, live=False)
        faq.save()
        if publish:
            publish_reviewed(faq)
        return faq

    return make_faq


@pytest.fixture
def make_guide(hub, category):
    """Create a guide under `hub` (or another parent), published unless told
    otherwise: by approving its clinical review, as every guide is."""

    def make_guide(title=None, parent=None, publish=True, body=(), faqs=(), related=(), **fields):
        number = next(_numbers)
        guide = GuidePage(
            title=title or f"Guide {number}",
            slug=fields.pop("slug", None) or f"guide-{number}",
            summary=fields.pop("summary", "What this guide covers, in a sentence."),
            category=fields.pop("category", category),
            published_date=fields.pop("published_date", datetime.date(2026, 1, 1)),
            body=json.dumps(list(body)),
            **fields,
        )
        guide.faq_placements = [GuideFAQ(faq=faq, sort_order=i) for i, faq in enumerate(faqs)]
        guide.related_guide_links = [
            RelatedGuide(guide=g, sort_order=i) for i, g in enumerate(related)
        ]
        guide.live = False
        (parent or hub).add_child(instance=guide)
        if publish:
            publish_reviewed(guide)
        else:
            guide.save_revision()
        return guide

    return make_guide


@pytest.fixture
def image(db):
    return wagtail_factories.ImageFactory(
        title="Clinic waiting room", file__width=1200, file__height=800
    )


@pytest.fixture
def taxonomy(db):
    return {
        "lymphoma": CancerType.objects.create(name="Lymphoma"),
        "myeloma": CancerType.objects.create(name="Multiple myeloma"),
        "patients": Audience.objects.create(name="Patients"),
        "caregivers": Audience.objects.create(name="Caregivers"),
    }


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every test starts with empty caches: no answer or persisted query from another test."""
    from django.core.cache import caches

    from cms.caching import refresh_ahead
    from cms.graphql import persisted_queries
    from cms.visibility import site_facts

    for cache in caches.all():
        cache.clear()
    persisted_queries._seen.clear()
    refresh_ahead.forget()
    site_facts.forget()


@contextmanager
def no_deferred_column_reads():
    """Fails on any read of a column a query deferred (cms/graphql/reader_columns.py):
    Django would fetch it with one more query per object."""
    reads = []
    original = Model.refresh_from_db

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        reads.append(f"{type(self).__name__}.{', '.join(fields or ['(all)'])}")
        return original(self, using=using, fields=fields, from_queryset=from_queryset)

    Model.refresh_from_db = refresh_from_db
    try:
        yield
    finally:
        Model.refresh_from_db = original
    assert not reads, f"deferred columns read one object at a time: {reads}"


class GraphQLClient:
    """Posts real queries to /graphql/ over HTTP, as a frontend does; none may
    read a column its queries deferred."""

    def __init__(self):
        self.client = Client()

    def post(self, query, variables=None):
        with no_deferred_column_reads():
            response = self.client.post(
                "/graphql/",
                data=json.dumps({"query": query, "variables": variables or {}}),
                content_type="application/json",
            )
        return response.status_code, response.json()

    def data(self, query, variables=None):
        """The `data` of a query that must succeed."""
        status, body = self.post(query, variables)
        assert status == 200 and "errors" not in body, body
        return body["data"]


@pytest.fixture
def graphql(db):
    return GraphQLClient()


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"database: {engine}"


# People in the admin roles (the groups come from the migrations).
@pytest.fixture
def author(db):
    return Person.objects.create(name="Jo Park", role="Patient information editor")


@pytest.fixture
def editor(db, author):
    user = User.objects.create_user("jo", "jo@example.org", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    author.user = user
    author.save()
    return user


@pytest.fixture
def reviewer(db):
    user = User.objects.create_user("lena", "lena@example.org", "pw")
    user.groups.add(Group.objects.get(name="Clinical reviewers"))
    Person.objects.create(name="Dr Lena Hart", credentials="MD", role="Oncologist", user=user)
    return user
