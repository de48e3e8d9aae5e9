"""The JSON Schemas in schema/ are served at the address in their `$id`, as
they are, with a JSON Schema media type, caching headers and an ETag."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# The middleware checks the database before any view.
pytestmark = pytest.mark.django_db

SCHEMA_FILES = sorted((Path(__file__).parents[1] / "schema").glob("*.schema.json"))


def test_the_rich_text_schema_is_among_them():
    assert "rich-text.schema.json" in [path.name for path in SCHEMA_FILES]


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda path: path.name)
def test_each_schema_is_served_at_its_id(client, path):
    address = urlsplit(json.loads(path.read_text())["$id"]).path
    assert address == f"/schema/{path.name}"

    response = client.get(address)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    assert response.content == path.read_bytes()
    assert response["Cache-Control"] == "public, max-age=3600, stale-while-revalidate=86400"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"].startswith('"')
    head = client.head(address)
    assert head.status_code == 200
    assert head["ETag"] == response["ETag"]


@pytest.mark.parametrize("tag", ["{etag}", "W/{etag}", "*", '"other", {etag}'])
def test_a_cached_copy_is_revalidated_with_a_304(client, tag):
    address = "/schema/rich-text.schema.json"
    etag = client.get(address)["ETag"]

    response = client.get(address, headers={"if-none-match": tag.format(etag=etag)})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"].startswith("public, max-age=3600")


def test_a_changed_schema_is_sent_again(client):
    response = client.get("/schema/rich-text.schema.json", headers={"if-none-match": '"older"'})
    assert response.status_code == 200
    assert json.loads(response.content)["title"] == "RichTextDocument"


@pytest.mark.parametrize(
    "address",
    [
        "/schema/unknown.schema.json",
        "/schema/rich-text.json",
        "/schema/../pyproject.toml",
        "/schema/%2e%2e%2fpyproject.schema.json",
        "/schema/Rich-Text.schema.json",
    ],
)
def test_no_other_file_is_served(client, address):
    assert client.get(address).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_only_get_and_head(client, method):
    response = getattr(client, method)("/schema/rich-text.schema.json")
    assert response.status_code == 405
