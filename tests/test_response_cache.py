"""Cached answers: what is cached, what never is, HTTP headers, and every
kind of edit retiring cached answers at once."""

import datetime
import hashlib
import io
import json
import re
import time
from itertools import count
from unittest import mock

import graphene
import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.test import RequestFactory
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from cms.caching import response_cache
from cms.graphql.view import GuidesGraphQLView
from cms.models import Person, SiteSettings
from faqs.models import FAQTopic
from guides.models import GuideCategory, GuideIndexPage
from tests.admin_workflow import publish_reviewed

_changes = count()
HUBS = "{ hubs { title } }"
GUIDE = "query Guide($slug: String) { guide(slug: $slug) { title } }"


def get(client, query, variables=None, **headers):
    params = {"query": query}
    if variables is not None:
        params["variables"] = json.dumps(variables)
    return client.get("/graphql/", params, HTTP_ACCEPT="application/json", **headers)


def data(response):
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def is_cached(client, query, variables=None, **headers):
    """Whether the endpoint answers from the cache: a cached answer reads nothing
    from the database. The rows change behind the cache's back (no signals), so
    a cached answer also shows the old content."""
    title = f"Changed without signals {next(_changes)}"
    GuideIndexPage.objects.update(title=title)
    response = get(client, query, variables, **headers)
    return title not in response.content.decode()


class TestWhatIsCached:
    def test_anonymous_answers_are_served_from_the_cache(
        self, client, hub, django_assert_num_queries
    ):
        assert data(get(client, HUBS)) == {"hubs": [{"title": "Second opinions"}]}
        with django_assert_num_queries(0):
            response = get(client, HUBS)
        assert data(response) == {"hubs": [{"title": "Second opinions"}]}
        assert is_cached(client, HUBS)

    def test_post_answers_are_cached_too(self, client, hub, django_assert_num_queries):
        payload = json.dumps({"query": HUBS})
        client.post("/graphql/", payload, content_type="application/json")
        with django_assert_num_queries(0):
            response = client.post("/graphql/", payload, content_type="application/json")
        assert data(response) == {"hubs": [{"title": "Second opinions"}]}

    def test_the_key_is_document_variables_operation_site_and_language(self, client, make_guide):
        first, second = make_guide(title="First"), make_guide(title="Second")
        assert data(get(client, GUIDE, {"slug": first.slug})) == {"guide": {"title": "First"}}
        assert data(get(client, GUIDE, {"slug": second.slug})) == {"guide": {"title": "Second"}}
        # Variables are compared as canonical JSON: order and spacing do not matter.
        response = client.get(
            "/graphql/",
            {"query": GUIDE, "variables": f'{{ "slug" :"{first.slug}" }}'},
            HTTP_ACCEPT="application/json",
        )
        assert data(response) == {"guide": {"title": "First"}}

    def test_comment_and_spacing_variants_share_one_answer(
        self, client, hub, django_assert_num_queries
    ):
        expected = {"hubs": [{"title": "Second opinions"}]}
        assert data(get(client, HUBS)) == expected
        # Comments, line breaks, indentation and commas (insignificant in GraphQL).
        variants = [f"# variant {n}\n{HUBS}" for n in range(200)] + [
            "{hubs{title}}",
            "{\n  hubs {\n    title # the hub's name\n  }\n}",
            "query {\thubs , { title , } }",
        ]
        # No query for any variant: each was answered from the one stored answer.
        for variant in variants:
            with django_assert_num_queries(0):
                assert data(get(client, variant)) == expected

    def test_documents_that_differ_in_meaning_do_not_share(self, client, hub):
        request = RequestFactory().get("/graphql/")
        documents = [
            "{ hubs { title slug } }",
            "{ hubs { slug title } }",  # the answer's keys come in this order
            "{ hubs { name: title } }",
            '{ guide(slug: "a") { title } }',
            '{ guide(slug: "b") { title } }',
            '{ guide(slug: "a b") { title } }',
        ]
        keys = {response_cache.lookup(request, document, None, None).key for document in documents}
        assert len(keys) == len(documents)

    def test_variables_in_any_order_share_an_entry(self, client, hub):
        query = "query ($a: Int, $b: Int) { guides(page: $a, perPage: $b) { items { title } } }"
        get(client, query, {"a": 1, "b": 2})
        request = RequestFactory().get("/graphql/")
        one = response_cache.lookup(request, query, {"a": 1, "b": 2}, None)
        other = response_cache.lookup(request, query, {"b": 2, "a": 1}, None)
        assert one.key == other.key and one.body is not None

    def test_each_language_has_its_own_entries(self, hub):
        from django.utils import translation

        request = RequestFactory().get("/graphql/")
        english = response_cache.lookup(request, HUBS, None, None)
        with translation.override("fr"):
            french = response_cache.lookup(request, HUBS, None, None)
        assert english.key != french.key

    def test_each_site_and_operation_has_its_own_entries(self, client, hub):
        get(client, HUBS)
        assert not is_cached(client, HUBS, HTTP_HOST="localhost")
        named = "query A { hubs { title } } query B { hubs { slug } }"
        first = client.get(
            "/graphql/", {"query": named, "operationName": "A"}, HTTP_ACCEPT="application/json"
        )
        second = client.get(
            "/graphql/", {"query": named, "operationName": "B"}, HTTP_ACCEPT="application/json"
        )
        assert "title" in data(first)["hubs"][0] and "slug" in data(second)["hubs"][0]


class TestWhatIsNeverCached:
    def test_logged_in_sessions(self, client, hub):
        editor = get_user_model().objects.create_user("editor", password="x")
        client.force_login(editor)
        response = get(client, HUBS)
        assert response["Cache-Control"] == "private, no-store"
        assert "ETag" not in response
        assert not is_cached(client, HUBS)

    def test_requests_with_an_authorization_header(self, client, hub):
        response = get(client, HUBS, HTTP_AUTHORIZATION="Bearer abc")
        assert response["Cache-Control"] == "private, no-store"
        assert not is_cached(client, HUBS, HTTP_AUTHORIZATION="Bearer abc")
        # ...nor does such a request read an answer cached for everyone.
        get(client, HUBS)
        assert not is_cached(client, HUBS, HTTP_AUTHORIZATION="Bearer abc")

    def test_answers_with_errors(self, client, db):
        query = "{ hubs { title } guides(perPage: 500) { items { title } } }"
        response = get(client, query)
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert response["Cache-Control"] == "private, no-store"
        assert response_cache.lookup(RequestFactory().get("/"), query, None, None).body is None

    def test_searches_which_are_counted_in_the_search_log(self, client, hub):
        query = '{ search(query: "opinion") { total } hubs { title } }'
        response = get(client, query)
        assert response["Cache-Control"] == "private, no-store"
        assert not is_cached(client, query)

    def test_errors_that_stop_the_query(self, client, db):
        response = get(client, "{ hubs { nosuchfield } }")
        assert response.status_code == 400
        assert response["Cache-Control"] == "private, no-store"


class PreviewQuery(graphene.ObjectType):
    """A stand-in for `page(token:)`: answers depend on the token."""

    calls = 0
    page = graphene.String(slug=graphene.String(), token=graphene.String())

    def resolve_page(root, info, slug=None, token=None):
        PreviewQuery.calls += 1
        return f"draft seen with {token}" if token else "live"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ('{ page(slug: "a", token: "secret") }', None),
        ('query ($t: String) { page(slug: "a", token: $t) }', {"t": "secret"}),
        ('{ ...F } fragment F on PreviewQuery { page(token: "secret") }', None),
    ],
)
def test_a_token_argument_anywhere_is_never_cached(query, variables):
    view = GuidesGraphQLView.as_view(schema=graphene.Schema(query=PreviewQuery))
    params = {"query": query, **({"variables": json.dumps(variables)} if variables else {})}
    PreviewQuery.calls = 0
    for _ in range(2):
        request = RequestFactory().get("/graphql/", params, HTTP_ACCEPT="application/json")
        request.user = AnonymousUser()
        response = view(request)
        assert json.loads(response.content)["data"]["page"] == "draft seen with secret"
        assert response["Cache-Control"] == "private, no-store"
        assert "ETag" not in response
    assert PreviewQuery.calls == 2
    # The same view caches token-free answers.
    request = RequestFactory().get(
        "/graphql/", {"query": "{ page }"}, HTTP_ACCEPT="application/json"
    )
    request.user = AnonymousUser()
    assert view(request)["Cache-Control"].startswith("public")


class TestHTTPCaching:
    def test_public_answers_carry_an_etag_and_cache_control(self, client, hub, settings):
        settings.GRAPHQL_HTTP_MAX_AGE, settings.GRAPHQL_HTTP_STALE_WHILE_REVALIDATE = 30, 120
        response = get(client, HUBS)
        assert response["Cache-Control"] == "public, max-age=30, stale-while-revalidate=120"
        assert response["ETag"] == f'"{hashlib.sha256(response.content).hexdigest()}"'
        assert {"Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
        # The cached answer carries the same ETag.
        assert get(client, HUBS)["ETag"] == response["ETag"]

    def test_if_none_match_gives_304_without_a_body(self, client, hub):
        etag = get(client, HUBS)["ETag"]
        response = get(client, HUBS, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == etag and response["Cache-Control"].startswith("public")
        assert get(client, HUBS, HTTP_IF_NONE_MATCH='"other"').status_code == 200

    def test_after_a_publish_the_old_etag_gets_the_new_answer(self, client, hub):
        etag = get(client, HUBS)["ETag"]
        hub.title = "Getting a second opinion"
        hub.save_revision().publish()
        response = get(client, HUBS, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200
        assert data(response) == {"hubs": [{"title": "Getting a second opinion"}]}
        assert response["ETag"] != etag

    def test_a_post_with_if_none_match_gets_the_answer(self, client, hub):
        payload = json.dumps({"query": HUBS})
        etag = client.post("/graphql/", payload, content_type="application/json")["ETag"]
        response = client.post(
            "/graphql/", payload, content_type="application/json", HTTP_IF_NONE_MATCH=etag
        )
        assert response.status_code == 200 and data(response)

    def test_refused_requests_are_not_stored(self, client, db):
        response = client.post("/graphql/", "{" + " " * 20_000, content_type="application/json")
        assert response.status_code == 413
        assert response["Cache-Control"] == "private, no-store"


class TestInvalidation:
    """After each kind of edit, the next read through the endpoint shows it."""

    def guide_query(self, guide, fields="title"):
        return f'{{ guide(slug: "{guide.slug}") {{ {fields} }} }}'

    def read(self, client, query):
        return data(get(client, query))

    def test_publish(self, client, make_guide):
        guide = make_guide(title="Before")
        query = self.guide_query(guide)
        assert self.read(client, query) == {"guide": {"title": "Before"}}
        guide.title = "After"
        publish_reviewed(guide)
        assert self.read(client, query) == {"guide": {"title": "After"}}

    def test_a_draft_of_a_live_page_changes_nothing_until_published(self, client, make_guide):
        guide = make_guide(title="Before")
        query = self.guide_query(guide)
        self.read(client, query)
        guide.title = "Draft"
        guide.save_revision()
        assert self.read(client, query) == {"guide": {"title": "Before"}}

    def test_unpublish(self, client, make_guide):
        guide = make_guide()
        query = self.guide_query(guide)
        assert self.read(client, query)["guide"]
        guide.unpublish()
        assert self.read(client, query) == {"guide": None}

    def test_move(self, client, make_guide, make_hub):
        guide = make_guide()
        other = make_hub(title="Travel")
        query = self.guide_query(guide, "hub { title }")
        assert self.read(client, query) == {"guide": {"hub": {"title": "Second opinions"}}}
        guide.move(other, pos="last-child")
        assert self.read(client, query) == {"guide": {"hub": {"title": "Travel"}}}

    def test_delete(self, client, make_guide):
        guide = make_guide()
        query = self.guide_query(guide)
        assert self.read(client, query)["guide"]
        guide.delete()
        assert self.read(client, query) == {"guide": None}

    def test_faq_publish_and_topic_rename(self, client, make_faq):
        faq = make_faq(question="Old question?")
        query = f'{{ faq(id: "{faq.pk}") {{ question topic {{ name }} }} }}'
        before = self.read(client, query)["faq"]
        assert before["question"] == "Old question?"
        faq.question = "New question?"
        publish_reviewed(faq)
        assert self.read(client, query)["faq"]["question"] == "New question?"
        topic = FAQTopic.objects.get(pk=faq.topic_id)
        topic.name = "Renamed topic"
        topic.save()
        assert self.read(client, query)["faq"]["topic"] == {"name": "Renamed topic"}

    def test_placeholder_computed_later(self, client, make_guide, image):
        from django.core.management import call_command

        from cms.images.placeholders import ImagePlaceholder

        ImagePlaceholder.objects.filter(image=image).delete()
        guide = make_guide(hero_image=image)
        query = self.guide_query(guide, "heroImage { placeholder { dominantColor } }")
        assert self.read(client, query) == {"guide": {"heroImage": {"placeholder": None}}}
        call_command("compute_image_placeholders", stdout=io.StringIO())
        colour = ImagePlaceholder.objects.get(image=image).dominant_color
        assert self.read(client, query) == {
            "guide": {"heroImage": {"placeholder": {"dominantColor": colour}}}
        }

    def test_taxonomy_edit(self, client, make_guide):
        guide = make_guide()
        query = self.guide_query(guide, "category { name }")
        assert self.read(client, query) == {"guide": {"category": {"name": "Decision Guide"}}}
        category = GuideCategory.objects.get(pk=guide.category_id)
        category.name = "Treatment decisions"
        category.save()
        assert self.read(client, query) == {"guide": {"category": {"name": "Treatment decisions"}}}

    def test_person_edit(self, client, make_guide):
        author = Person.objects.create(name="Dr A")
        guide = make_guide(author=author)
        query = self.guide_query(guide, "author { name }")
        assert self.read(client, query) == {"guide": {"author": {"name": "Dr A"}}}
        author.name = "Dr B"
        author.save()
        assert self.read(client, query) == {"guide": {"author": {"name": "Dr B"}}}

    def test_setting_edit(self, client, db):
        query = "{ siteSettings { contactCallToAction { heading } } }"
        assert self.read(client, query) == {"siteSettings": {"contactCallToAction": None}}
        settings_row = SiteSettings.load()
        settings_row.contact_heading = "Talk to a nurse"
        settings_row.save()
        assert self.read(client, query) == {
            "siteSettings": {"contactCallToAction": {"heading": "Talk to a nurse"}}
        }

    def test_image_edit(self, client, make_guide, image):
        guide = make_guide(hero_image=image)
        query = self.guide_query(guide, "heroImage { description }")
        assert self.read(client, query) == {"guide": {"heroImage": {"description": ""}}}
        image.description = "A day unit"
        image.save()
        assert self.read(client, query) == {"guide": {"heroImage": {"description": "A day unit"}}}

    def test_redirects_synonyms_and_promotions_retire_answers(self, client, hub):
        from wagtail.contrib.search_promotions.models import Query, SearchPromotion

        from search.models import SearchSynonym

        for change in (
            lambda: Redirect.objects.create(old_path="/old", redirect_link="/new"),
            lambda: SearchSynonym.objects.create(terms="tumour, tumor"),
            lambda: SearchPromotion.objects.create(
                query=Query.get("second opinion"), page=hub, sort_order=0
            ),
        ):
            get(client, HUBS)
            assert is_cached(client, HUBS)
            change()
            assert not is_cached(client, HUBS)


class TestTheCommitRace:
    """A reader that read the old rows before the editor's transaction
    committed must not leave its answer in the cache."""

    def test_an_answer_computed_before_the_commit_is_never_served(
        self, client, make_guide, django_capture_on_commit_callbacks
    ):
        guide = make_guide(title="Before")
        query = f'{{ guide(slug: "{guide.slug}") {{ title }} }}'
        request = RequestFactory().get("/graphql/")
        with django_capture_on_commit_callbacks(execute=True):
            guide.title = "After"
            publish_reviewed(guide)
            # Inside the editor's transaction, after the first bump: a reader on
            # another connection would still see "Before" and store it.
            stale = response_cache.lookup(request, query, None, None)
            response_cache.store(stale, '{"data":{"guide":{"title":"Before"}}}', '"stale"')
        # The commit bumped again: the stale answer is not served.
        assert data(get(client, query)) == {"guide": {"title": "After"}}

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_readers_keep_the_cached_answer_until_the_publish_commits(self, client, make_guide):
        from django.db import transaction

        guide = make_guide(title="Before")
        query = f'{{ guide(slug: "{guide.slug}") {{ title }} }}'
        get(client, query)
        with transaction.atomic():
            guide.title = "After"
            publish_reviewed(guide)
            # Not committed: other connections still read "Before", so the
            # cached answer is not stale and readers are not sent to compute
            # it (this connection would read "After" if it did).
            assert data(get(client, query)) == {"guide": {"title": "Before"}}
        assert data(get(client, query)) == {"guide": {"title": "After"}}

    def test_a_reader_that_started_before_the_publish_cannot_store_a_current_answer(
        self, client, make_guide
    ):
        guide = make_guide(title="Before")
        query = f'{{ guide(slug: "{guide.slug}") {{ title }} }}'
        started = response_cache.lookup(RequestFactory().get("/graphql/"), query, None, None)
        guide.title = "After"
        publish_reviewed(guide)
        response_cache.store(started, '{"data":{"guide":{"title":"Before"}}}', '"stale"')
        assert data(get(client, query)) == {"guide": {"title": "After"}}


def test_the_cache_can_be_turned_off(client, hub, settings):
    settings.GRAPHQL_RESPONSE_CACHE_ENABLED = False
    get(client, HUBS)
    assert not is_cached(client, HUBS)
    # HTTP caches may still keep the public answer.
    assert get(client, HUBS)["Cache-Control"].startswith("public")


def test_persisted_queries_over_get_are_answered_from_the_cache(
    client, hub, django_assert_num_queries
):
    digest = hashlib.sha256(HUBS.encode()).hexdigest()
    ext = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": digest}})
    client.post(
        "/graphql/",
        json.dumps({"query": HUBS, "extensions": json.loads(ext)}),
        content_type="application/json",
    )
    with django_assert_num_queries(0):
        response = client.get("/graphql/", {"extensions": ext}, HTTP_ACCEPT="application/json")
    assert data(response) == {"hubs": [{"title": "Second opinions"}]}
    assert response["Cache-Control"].startswith("public")


def test_deploy_check_warns_about_a_per_process_response_cache(settings):
    from cms.checks import response_cache_is_shared

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in response_cache_is_shared(None)] == ["cms.W001"]
    settings.GRAPHQL_RESPONSE_CACHE_ENABLED = False
    assert response_cache_is_shared(None) == []
    settings.GRAPHQL_RESPONSE_CACHE_ENABLED = True
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://x"}
    }
    assert response_cache_is_shared(None) == []


def test_bookkeeping_saves_during_reads_do_not_retire_answers(client, make_guide, image):
    guide = make_guide(hero_image=image)
    query = f"{{ guide(id: {guide.pk}) {{ heroImage {{ description }} hub {{ title }} }} }}"
    get(client, query)
    image.file_hash = ""
    image.get_file_hash()  # Wagtail saves the hash with update_fields, as on a first rendition
    assert is_cached(client, query)
    image.description = "Renamed"
    image.save()
    assert not is_cached(client, query)
    assert data(get(client, query))["guide"]["heroImage"] == {"description": "Renamed"}


class TestScheduledExpiry:
    """An expiring guide leaves the API at its expiry time, cached or not."""

    GUIDES = "{ guides { items { slug } } }"

    def test_no_answer_or_max_age_outlives_the_next_expiry(self, client, make_guide, settings):
        settings.GRAPHQL_HTTP_MAX_AGE, settings.GRAPHQL_HTTP_STALE_WHILE_REVALIDATE = 60, 300
        now = timezone.now()
        make_guide(slug="expiring", expire_at=now + datetime.timedelta(seconds=90))
        make_guide(slug="lasting")

        response = get(client, self.GUIDES)
        assert {g["slug"] for g in data(response)["guides"]["items"]} == {"expiring", "lasting"}
        max_age, stale = re.fullmatch(
            r"public, max-age=(\d+), stale-while-revalidate=(\d+)", response["Cache-Control"]
        ).groups()
        assert int(max_age) == 60 and int(max_age) + int(stale) <= 90
        assert is_cached(client, self.GUIDES)

        later = time.time() + 120
        with (
            mock.patch("time.time", return_value=later),
            mock.patch(
                "django.utils.timezone.now", return_value=now + datetime.timedelta(seconds=120)
            ),
        ):
            items = data(get(client, self.GUIDES))["guides"]["items"]
        assert [g["slug"] for g in items] == ["lasting"]

    def test_without_scheduled_expiry_the_configured_ages_apply(self, client, hub, settings):
        settings.GRAPHQL_HTTP_MAX_AGE, settings.GRAPHQL_HTTP_STALE_WHILE_REVALIDATE = 60, 300
        assert (
            get(client, HUBS)["Cache-Control"] == "public, max-age=60, stale-while-revalidate=300"
        )


class TestCachedAnswersBeforeTheView:
    """Anonymous GETs of a cached answer are served by CachedAnswerMiddleware,
    before sessions and routing, with what the view itself would have sent."""

    HEADERS = ("Content-Type", "ETag", "Cache-Control", "X-Frame-Options", "Content-Length")

    def test_a_hit_is_the_views_answer_without_the_view(self, client, hub):
        from_view = get(client, HUBS)
        with mock.patch.object(GuidesGraphQLView, "get_response") as view:
            from_cache = get(client, HUBS)
        view.assert_not_called()
        assert from_cache.content == from_view.content
        assert {h: from_cache[h] for h in self.HEADERS} == {h: from_view[h] for h in self.HEADERS}
        vary = lambda response: {v.strip().lower() for v in response["Vary"].split(",")}  # noqa: E731
        assert vary(from_cache) == vary(from_view)

    def test_if_none_match_answers_not_modified(self, client, hub):
        etag = get(client, HUBS)["ETag"]
        with mock.patch.object(GuidesGraphQLView, "get_response") as view:
            response = get(client, HUBS, HTTP_IF_NONE_MATCH=etag)
        view.assert_not_called()
        assert response.status_code == 304
        assert response["ETag"] == etag

    def test_requests_with_a_session_cookie_go_to_the_view(self, client, hub):
        get(client, HUBS)
        client.cookies["sessionid"] = "anything"
        with mock.patch.object(
            GuidesGraphQLView, "get_response", return_value=('{"data": {}}', 200)
        ) as view:
            get(client, HUBS)
        view.assert_called_once()

    def test_a_miss_or_a_bad_parameter_goes_to_the_view(self, client, hub):
        # Not cached yet, then variables that are not an object: the view explains.
        assert data(get(client, HUBS)) == {"hubs": [{"title": "Second opinions"}]}
        response = client.get(
            "/graphql/", {"query": HUBS, "variables": "[1]"}, HTTP_ACCEPT="application/json"
        )
        assert response.status_code == 400
        assert "variables must be a JSON object" in response.content.decode()


class TestCostOfAHit:
    """A cached answer costs one round trip to the cache, of three keys
    (sequence number, answer, refresh mark), however many tags it read."""

    @staticmethod
    def cache_calls(callable_):
        backend = caches[django_settings.GRAPHQL_CACHE_ALIAS]
        calls, depth = [], [0]
        methods = ("get", "get_many", "set", "set_many", "add", "incr", "delete", "delete_many")

        def counted(name, real):
            def call(*args, **kwargs):
                if not depth[0]:  # LocMemCache's get_many calls its own get
                    calls.append((name, args))
                depth[0] += 1
                try:
                    return real(*args, **kwargs)
                finally:
                    depth[0] -= 1

            return call

        patches = [
            mock.patch.object(backend, name, side_effect=counted(name, getattr(backend, name)))
            for name in methods
        ]
        for patch in patches:
            patch.start()
        try:
            result = callable_()
        finally:
            for patch in reversed(patches):
                patch.stop()
        return result, calls

    @pytest.mark.parametrize("guides", [1, 3, 8])
    @pytest.mark.parametrize("persisted", [True, False], ids=["persisted GET", "GET with text"])
    def test_a_hit_is_one_read_of_three_keys(self, client, make_guide, guides, persisted):
        for number in range(guides):
            make_guide(title=f"Guide {number}")
        query = "{ guides(perPage: 20) { items { title slug } } }"
        digest = hashlib.sha256(query.encode()).hexdigest()
        ext = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": digest}})
        client.get("/graphql/", {"query": query, "extensions": ext})  # stores it
        params = {"extensions": ext} if persisted else {"query": query}
        first = client.get("/graphql/", params)  # this process checks its tags
        response, calls = self.cache_calls(lambda: client.get("/graphql/", params))
        assert response.status_code == 200 and response.content == first.content
        assert len(response.json()["data"]["guides"]["items"]) == guides
        assert [name for name, _args in calls] == ["get_many"], calls
        (keys,) = calls[0][1]
        assert len(keys) == 3, keys

    def test_after_a_retirement_the_tags_are_read_again_once(self, client, make_guide, hub):
        make_guide(title="Kept")
        assert data(get(client, HUBS)) == {"hubs": [{"title": "Second opinions"}]}
        get(client, HUBS)
        response_cache.retire(["unrelated:1"])  # a new sequence number, this answer unchanged
        _response, calls = self.cache_calls(lambda: get(client, HUBS))
        assert [name for name, _args in calls] == ["get_many", "get_many"]
        _response, calls = self.cache_calls(lambda: get(client, HUBS))
        assert [name for name, _args in calls] == ["get_many"]

    def test_a_retirement_takes_the_sequence_past_its_tag_numbers(self, db):
        """What lets a hit skip the tags: a process that checked them at
        sequence number n sees a larger one once any tag has been rewritten."""
        cache = caches[django_settings.GRAPHQL_CACHE_ALIAS]
        before = cache.get(response_cache.SEQUENCE_KEY) or response_cache._start_sequence()
        assert response_cache._retire_now({"page:1", "page:2"})
        numbers = response_cache.tag_numbers(("page:1", "page:2"))
        after = cache.get(response_cache.SEQUENCE_KEY)
        assert before < min(numbers.values()) and max(numbers.values()) < after
