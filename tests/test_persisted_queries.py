"""Persisted queries in Apollo's protocol, the registered-only mode and the
command that registers a frontend's documents."""

import hashlib
import json
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from cms.graphql.persisted_queries import PersistedQuery

HUBS = "query Hubs { hubs { title } }"
HUB_BY_SLUG = "query Hub($slug: String) { hub(slug: $slug) { title } }"
# Eleven parents below a guide, then its title: 12 levels, over the limit of 10.
TOO_DEEP = '{ guide(slug: "x") { ' + "parent { " * 11 + "title" + " }" * 13
NOT_FOUND = {
    "errors": [
        {"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
    ]
}


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def extensions(text_or_hash):
    digest = text_or_hash if len(text_or_hash) == 64 else sha(text_or_hash)
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


def post(client, **payload):
    response = client.post("/graphql/", json.dumps(payload), content_type="application/json")
    return response.status_code, response.json()


def get(client, **params):
    params = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
    response = client.get("/graphql/", params, HTTP_ACCEPT="application/json")
    return response.status_code, response.json()


def code(body):
    return body["errors"][0]["extensions"]["code"]


def test_apollo_round_trip_hash_then_text_then_hash_over_get(client, hub):
    # 1. Apollo Client sends the hash alone and gets the error it retries on, with a 200.
    assert post(client, extensions=extensions(HUBS)) == (200, NOT_FOUND)
    # 2. It retries with the text: answered and remembered.
    assert post(client, query=HUBS, extensions=extensions(HUBS)) == (
        200,
        {"data": {"hubs": [{"title": "Second opinions"}]}},
    )
    # 3. The hash alone now works, over POST and over GET with variables and operationName.
    assert post(client, extensions=extensions(HUBS))[1] == {
        "data": {"hubs": [{"title": "Second opinions"}]}
    }
    post(
        client, query=HUB_BY_SLUG, variables={"slug": hub.slug}, extensions=extensions(HUB_BY_SLUG)
    )
    status, body = get(
        client,
        extensions=extensions(HUB_BY_SLUG),
        variables={"slug": hub.slug},
        operationName="Hub",
    )
    assert (status, body) == (200, {"data": {"hub": {"title": "Second opinions"}}})


def test_an_unknown_hash_over_get_is_not_found(client, db):
    assert get(client, extensions=extensions(HUBS)) == (200, NOT_FOUND)


def test_a_hash_that_does_not_match_the_text_is_refused_and_nothing_is_kept(client, db):
    status, body = post(client, query=HUBS, extensions=extensions("{ hubs { slug } }"))
    assert status == 400
    assert code(body) == "PERSISTED_QUERY_HASH_MISMATCH"
    assert post(client, extensions=extensions("{ hubs { slug } }")) == (200, NOT_FOUND)


@pytest.mark.parametrize(
    "ext",
    [
        {"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}},
        {"persistedQuery": {"version": 1, "sha256Hash": "not-a-hash"}},
        {"persistedQuery": "yes"},
        ["persistedQuery"],
    ],
)
def test_malformed_persisted_query_extensions_are_bad_requests(client, db, ext):
    status, body = post(client, query=HUBS, extensions=ext)
    assert status == 400
    assert code(body) == "BAD_REQUEST"


def test_extensions_over_get_must_be_json(client, db):
    status, body = get(client, extensions="{not json")
    assert (status, code(body)) == (400, "BAD_REQUEST")


def test_queries_that_fail_validation_or_limits_are_not_kept(client, db):
    for text, expected in [
        ("{ hubs { nosuchfield } }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ hubs { title }", "GRAPHQL_PARSE_FAILED"),
        (TOO_DEEP, "QUERY_TOO_COMPLEX"),
    ]:
        status, body = post(client, query=text, extensions=extensions(text))
        assert (status, code(body)) == (400, expected)
        assert post(client, extensions=extensions(text)) == (200, NOT_FOUND)


def test_limits_apply_to_registered_queries_on_every_request(client, db):
    PersistedQuery.objects.create(sha256=sha(TOO_DEEP), document=TOO_DEEP)
    status, body = post(client, extensions=extensions(TOO_DEEP))
    assert (status, code(body)) == (400, "QUERY_TOO_COMPLEX")


def test_registered_queries_come_from_the_database_when_the_cache_is_empty(client, hub):
    PersistedQuery.objects.create(sha256=sha(HUBS), document=HUBS, operation_names="Hubs")
    cache.clear()
    assert get(client, extensions=extensions(HUBS)) == (
        200,
        {"data": {"hubs": [{"title": "Second opinions"}]}},
    )


def test_requests_over_the_size_limit_are_still_refused(client, db):
    padding = " " * (16 * 1024)
    status, body = post(client, query=HUBS + padding, extensions=extensions(HUBS + padding))
    assert (status, code(body)) == (413, "REQUEST_TOO_LARGE")


class TestRegisteredOnly:
    @pytest.fixture(autouse=True)
    def registered_only(self, settings):
        settings.GRAPHQL_PERSISTED_QUERIES_ONLY = True

    def test_plain_query_text_is_refused(self, client, db):
        status, body = post(client, query=HUBS)
        assert (status, code(body)) == (400, "PERSISTED_QUERY_REQUIRED")
        status, body = get(client, query=HUBS)
        assert (status, code(body)) == (400, "PERSISTED_QUERY_REQUIRED")

    def test_unregistered_hashes_are_refused_with_or_without_text(self, client, db):
        status, body = post(client, extensions=extensions(HUBS))
        assert (status, code(body)) == (400, "PERSISTED_QUERY_NOT_REGISTERED")
        status, body = post(client, query=HUBS, extensions=extensions(HUBS))
        assert (status, code(body)) == (400, "PERSISTED_QUERY_NOT_REGISTERED")
        assert not PersistedQuery.objects.exists()

    def test_automatic_persisted_queries_do_not_count_as_registered(self, client, db, settings):
        settings.GRAPHQL_PERSISTED_QUERIES_ONLY = False
        assert post(client, query=HUBS, extensions=extensions(HUBS))[0] == 200
        settings.GRAPHQL_PERSISTED_QUERIES_ONLY = True
        status, body = post(client, extensions=extensions(HUBS))
        assert (status, code(body)) == (400, "PERSISTED_QUERY_NOT_REGISTERED")

    def test_registered_queries_are_answered(self, client, hub, tmp_path):
        (tmp_path / "hubs.graphql").write_text(HUBS)
        call_command("register_persisted_queries", str(tmp_path), stdout=StringIO())
        expected = {"data": {"hubs": [{"title": "Second opinions"}]}}
        assert get(client, extensions=extensions(HUBS)) == (200, expected)
        assert post(client, query=HUBS, extensions=extensions(HUBS)) == (200, expected)


class TestRegisterCommand:
    def run(self, *args):
        out = StringIO()
        call_command("register_persisted_queries", *map(str, args), stdout=out)
        return out.getvalue()

    def test_registers_every_document_in_a_folder_and_says_what(self, client, db, tmp_path):
        (tmp_path / "pages").mkdir()
        (tmp_path / "hubs.graphql").write_text(HUBS + "\n")
        (tmp_path / "pages" / "hub.gql").write_text(HUB_BY_SLUG)
        (tmp_path / "notes.txt").write_text("not a query")
        output = self.run(tmp_path)
        # The hash is that of the file's exact text, trailing newline included.
        assert f"Registered {sha(HUBS + chr(10))}  Hubs  from {tmp_path / 'hubs.graphql'}" in output
        assert f"Registered {sha(HUB_BY_SLUG)}  Hub  from" in output
        assert "2 documents registered." in output
        assert set(PersistedQuery.objects.values_list("sha256", flat=True)) == {
            sha(HUBS + "\n"),
            sha(HUB_BY_SLUG),
        }
        # A client sending that exact text, or its hash, is answered.
        assert post(client, extensions=extensions(sha(HUBS + "\n")))[1] == {"data": {"hubs": []}}
        assert "Already registered" in self.run(tmp_path / "hubs.graphql")

    def test_line_endings_are_part_of_what_is_hashed(self, db, tmp_path):
        crlf = "query Hubs {\r\n  hubs { title }\r\n}\r\n"
        (tmp_path / "hubs.graphql").write_bytes(crlf.encode())
        assert f"Registered {sha(crlf)}" in self.run(tmp_path)

    def test_documents_that_do_not_validate_are_rejected_and_nothing_is_registered(
        self, db, tmp_path
    ):
        (tmp_path / "good.graphql").write_text(HUBS)
        (tmp_path / "bad.graphql").write_text("{ hubs { nosuchfield } }")
        (tmp_path / "broken.graphql").write_text("{ hubs { title }")
        with pytest.raises(CommandError) as error:
            self.run(tmp_path)
        message = str(error.value)
        assert "Nothing registered" in message
        assert f"{tmp_path / 'bad.graphql'}: Cannot query field 'nosuchfield'" in message
        assert f"{tmp_path / 'broken.graphql'}: Syntax Error" in message
        assert not PersistedQuery.objects.exists()

    def test_limits_apply_when_registering(self, db, tmp_path):
        aliases = " ".join(f"a{i}: hubs {{ title }}" for i in range(16))
        (tmp_path / "greedy.graphql").write_text(f"{{ {aliases} }}")
        with pytest.raises(CommandError, match="Too many aliases"):
            self.run(tmp_path)

    def test_apollo_manifest_bodies_are_registered_under_their_ids(self, db, tmp_path):
        body = "query Hubs {\n  hubs {\n    title\n    __typename\n  }\n}"
        manifest = {
            "format": "apollo-persisted-query-manifest",
            "version": 1,
            "operations": [{"id": sha(body), "name": "Hubs", "type": "query", "body": body}],
        }
        (tmp_path / "manifest.json").write_text(json.dumps(manifest))
        assert f"Registered {sha(body)}  Hubs" in self.run(tmp_path / "manifest.json")
        assert PersistedQuery.objects.get().document == body

    def test_a_manifest_id_that_is_not_the_sha256_of_its_body_is_rejected(self, db, tmp_path):
        manifest = {
            "format": "apollo-persisted-query-manifest",
            "version": 1,
            "operations": [{"id": "abc", "name": "Hubs", "type": "query", "body": HUBS}],
        }
        (tmp_path / "manifest.json").write_text(json.dumps(manifest))
        with pytest.raises(CommandError, match="manifest id abc is not the sha256 of its body"):
            self.run(tmp_path / "manifest.json")

    def test_check_only_validates(self, db, tmp_path):
        (tmp_path / "hubs.graphql").write_text(HUBS)
        assert f"Valid {sha(HUBS)}  Hubs" in self.run("--check", tmp_path)
        assert not PersistedQuery.objects.exists()

    def test_an_empty_folder_is_an_error(self, db, tmp_path):
        with pytest.raises(CommandError, match="No .graphql or .gql documents found"):
            self.run(tmp_path)
