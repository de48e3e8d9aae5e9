"""Property-based fuzzing of /graphql/ with schemathesis, from the checked-in
schema.graphql, against the app with the demo content loaded.

Every root query gets queries generated from the schema (fields, arguments,
fragments, inline fragments, aliases); each is posted to the app under the
production settings (limits on, introspection off). No answer may be a server
error: no 5xx, no INTERNAL_SERVER_ERROR code, and every answer must be a
GraphQL JSON object with `data` or `errors` whose errors all carry a code.

Usage: DATABASE_URL=... .venv/bin/python .ci/graphql_fuzz.py [--examples 25] [--at-least 200]
(the database is migrated and given the demo content first; without
DATABASE_URL a throwaway SQLite file is used.)
"""

import argparse
import collections
import json
import logging
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def configure():
    """The production settings, serving plain HTTP on localhost."""
    workdir = tempfile.mkdtemp(prefix="graphql-fuzz-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/fuzz.sqlite3")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="graphql-fuzzing-only",
        ALLOWED_HOSTS="localhost,127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        MEDIA_ROOT=f"{workdir}/media",
        STATIC_ROOT=f"{workdir}/static",
    )
    os.makedirs(f"{workdir}/static")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _decompressed(response):
    """The answer's bytes as the client reads them: the fuzzer's HTTP client
    accepts br and gzip and hands over the bytes as sent."""
    import gzip

    import brotli

    coding = {k.lower(): v for k, v in dict(response.headers).items()}.get("content-encoding")
    coding = (coding[0] if isinstance(coding, list) else coding or "").strip().lower()
    if coding == "br":
        return brotli.decompress(response.content)
    if coding == "gzip":
        return gzip.decompress(response.content)
    return response.content


def problems(response):
    """What is wrong with one answer, as a list of strings (empty when fine)."""
    if response.status_code >= 500:
        return [f"HTTP {response.status_code}"]
    try:
        body = json.loads(_decompressed(response))
    except ValueError:
        return [f"not JSON: {response.content[:200]!r}"]
    if not isinstance(body, dict) or not ({"data", "errors"} & body.keys()):
        return [f"not a GraphQL answer: {str(body)[:200]}"]
    found = []
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code is None:
            found.append(f"error without a code: {error}")
        elif code == "INTERNAL_SERVER_ERROR":
            found.append(f"server error: {error}")
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=25, help="queries per root field")
    parser.add_argument("--at-least", type=int, default=200, help="fail under this many queries")
    parser.add_argument("--seed", type=int, default=None, help="for a reproducible run")
    args = parser.parse_args()

    configure()
    # Quiet request and content logs; server errors are caught from the answers.
    logging.disable(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115

    import schemathesis
    from hypothesis import HealthCheck, given, seed, settings

    from cms.wsgi import application

    schema = schemathesis.graphql.from_path(ROOT / "schema.graphql")
    schema.app = application
    schema.location = "/graphql/"

    sent = collections.Counter()
    statuses = collections.Counter()
    failures = []

    def fuzzer(operation):
        @settings(
            max_examples=args.examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def fuzz(case):
            response = case.call()
            sent[operation.label] += 1
            statuses[response.status_code] += 1
            for problem in problems(response):
                failures.append((operation.label, problem, case.body))

        return fuzz if args.seed is None else seed(args.seed)(fuzz)

    for result in schema.get_all_operations():
        fuzzer(result.ok())()

    total = sum(sent.values())
    for label, number in sorted(sent.items()):
        print(f"  {label}: {number} queries")
    print(f"Generated and sent {total} queries; answers by HTTP status: {dict(statuses)}")
    for label, problem, body in failures[:20]:
        print(f"\nFAILED {label}: {problem}\n  request: {json.dumps(body)[:1000]}")
    if failures:
        raise SystemExit(f"{len(failures)} answers were server errors")
    if total < args.at_least:
        raise SystemExit(f"Only {total} queries were generated, fewer than {args.at_least}")
    print("GraphQL fuzzing: no server errors.")


if __name__ == "__main__":
    main()
