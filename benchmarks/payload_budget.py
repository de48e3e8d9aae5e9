"""Bytes on the wire of what frontends fetch, before and after compressed
answers: each answer as the server sent it until now (no Content-Encoding),
and as it sends it now to clients that accept brotli or gzip.

    .venv/bin/python benchmarks/payload_budget.py           # demo content, in memory
    .venv/bin/python benchmarks/payload_budget.py --smoke   # CI: also fails unless every
        # answer comes back compressed, smaller, and decoding to the uncompressed bytes

Measured through Django's test client on the real /graphql/ endpoint (the
response cache on, as in production), with the frontends' own documents from
clients/documents/, on an in-memory SQLite database with the demo content
(migrated and loaded first, about a minute) and enough numbered guides for
ten, unless DATABASE_URL names a database already filled.

Each entry in PAYLOADS is one row: a name, the schema field it needs (rows
whose field is not in the schema are skipped, saying so) and the requests
(document file, variables) whose answers it adds up.
"""

import argparse
import gzip
import io
import json
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "clients" / "documents"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

GUIDES = 10  # guides the demo content is filled to, for "ten full guides"
FULL_GUIDE = "asking-for-a-second-opinion"  # the README's example, a demo guide


@dataclass
class Payload:
    name: str
    field: str  # the root field it needs
    requests: object  # slugs -> [(document file name, variables), ...]


PAYLOADS = [
    Payload("a page of guide cards", "guides", lambda slugs: [("GuideCards.graphql", {})]),
    Payload("a full guide", "guide", lambda slugs: [("Guide.graphql", {"slug": FULL_GUIDE})]),
    Payload(
        "ten full guides",
        "guide",
        lambda slugs: [("Guide.graphql", {"slug": slug}) for slug in slugs[:10]],
    ),
    # What the reference client (clients/src/sync/app.ts) fetches first: one
    # page of 100 holds the whole demo content.
    Payload("a first sync", "changes", lambda slugs: [("Sync.graphql#Sync", {"perPage": 100})]),
]
CODINGS = ("br", "gzip")


def decode(coding, content):
    import brotli

    if coding == "br":
        return brotli.decompress(content)
    if coding == "gzip":
        return gzip.decompress(content)
    return content


def fetch(client, document, variables, accept_encoding=None):
    headers = {"HTTP_ACCEPT_ENCODING": accept_encoding} if accept_encoding else {}
    # "File.graphql#Operation": one operation of a document that holds several.
    document, _, operation = document.partition("#")
    query = (DOCUMENTS / document).read_text()
    return client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables, "operationName": operation or None}),
        content_type="application/json",
        **headers,
    )


def measure(client, requests, problems, name):
    """{"raw" | coding: bytes sent} over the requests, each asked three ways."""
    sizes = dict.fromkeys(("raw", *CODINGS), 0)
    for document, variables in requests:
        raw = fetch(client, document, variables)
        body = raw.json()
        if raw.status_code != 200 or "errors" in body:
            problems.append(f"{name}: {document} answered {raw.status_code} {body}")
        sizes["raw"] += len(raw.content)
        for coding in CODINGS:
            response = fetch(client, document, variables, coding)
            sizes[coding] += len(response.content)
            sent = response.get("Content-Encoding")
            if sent != coding or decode(sent, response.content) != raw.content:
                problems.append(f"{name}: {document} with {coding}: sent {sent}")
    if sizes["raw"] and not all(sizes[coding] < sizes["raw"] for coding in CODINGS):
        problems.append(f"{name}: not smaller compressed: {sizes}")
    return sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="CI: fail unless all is compressed")
    parser.add_argument("--no-demo", action="store_true", help="skip loading the demo content")
    args = parser.parse_args()

    import django

    # whitenoise warns that static files are not collected; the API does not need them.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from cms.graphql.schema import schema

    setup_test_environment()
    settings.GRAPHQL_RESPONSE_CACHE_ENABLED = True
    call_command("migrate", verbosity=0, interactive=False)
    if not args.no_demo:
        call_command("load_demo_content", guides=GUIDES, stdout=io.StringIO())

    client = Client()
    cards = client.post(
        "/graphql/",
        json.dumps({"query": f"{{ guides(perPage: {GUIDES}) {{ items {{ slug }} }} }}"}),
        content_type="application/json",
    ).json()
    slugs = [item["slug"] for item in cards["data"]["guides"]["items"]]
    fields = schema.graphql_schema.query_type.fields
    print(f"brotli quality {settings.API_COMPRESSION_BROTLI_QUALITY}, gzip level 6 (Django's)")
    print(f"{'answer':<24} {'before: raw':>12} {'after: br':>10} {'after: gzip':>12}")
    problems = []
    for payload in PAYLOADS:
        if payload.field not in fields:
            print(f"{payload.name:<24} skipped: no `{payload.field}` query in the schema")
            continue
        sizes = measure(client, payload.requests(slugs), problems, payload.name)
        print(
            f"{payload.name:<24} {sizes['raw']:>12,} "
            + " ".join(
                f"{sizes[coding]:>{width},} ({sizes[coding] / sizes['raw']:.0%})"
                for coding, width in (("br", 4), ("gzip", 6))
            )
        )
    if len(slugs) < GUIDES:
        problems.append(f"only {len(slugs)} guides: ten full guides are fewer")
    if problems:
        print("\nPROBLEMS:\n  " + "\n  ".join(problems))
        return 1 if args.smoke else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
