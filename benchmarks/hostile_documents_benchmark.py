"""Server time of hostile GraphQL requests (benchmarks/hostile_documents.py)
beside a plain query's, in-process through Django's test client (no network,
no gunicorn: the time is the server's own work for one request).

    .venv/bin/python benchmarks/hostile_documents_benchmark.py            # 7 rounds each
    .venv/bin/python benchmarks/hostile_documents_benchmark.py --smoke    # CI: 3 rounds, fails
        # when any hostile request takes over 100 ms median or is not refused with a 4xx JSON error

Runs on an in-memory SQLite database with the demo content (migrated and
loaded first, which takes a minute), unless DATABASE_URL names one. Every
round starts cold: the per-process memory of parsed documents is cleared and
the response cache is off.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

SMOKE_LIMIT_MS = 100


def _forget_documents():
    from cms.caching import cacheable
    from cms.graphql import limits

    for module, name in (
        (limits, "_checked_document"),
        (limits, "_parsed"),
        (cacheable, "document_reason"),
        (cacheable, "declared_variables"),
    ):
        function = getattr(module, name, None)
        if function is not None and hasattr(function, "cache_clear"):
            function.cache_clear()


def _timed(client, body):
    _forget_documents()
    started = time.perf_counter()
    response = client.generic("POST", "/graphql/", body, content_type="application/json")
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, response


def _describe(response):
    try:
        body = response.json()
        code = body["errors"][0]["extensions"]["code"]
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return code


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="CI: 3 rounds, fail past 100 ms")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--only", default="", help="run the requests whose name contains this")
    parser.add_argument("--no-demo", action="store_true", help="skip loading the demo content")
    args = parser.parse_args()
    rounds = args.rounds or (3 if args.smoke else 7)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.GRAPHQL_RESPONSE_CACHE_ENABLED = False
    call_command("migrate", verbosity=0, interactive=False)
    if not args.no_demo:
        call_command("load_demo_content", verbosity=0)

    from benchmarks.hostile_documents import PLAIN, hostile_requests

    client = Client()
    plain = json_body(PLAIN)
    _timed(client, plain)  # warm up imports and connections
    plain_times = [_timed(client, plain)[0] for _ in range(rounds)]
    plain_ms = statistics.median(plain_times)
    print(f"{'request':<48} {'bytes':>10} {'status':>6} {'code':<26} {'median ms':>10}")
    print(
        f"{'plain query (' + PLAIN[:30] + '...)':<48} {len(plain):>10,} {200:>6} {'':<26} "
        f"{plain_ms:>10.1f}"
    )
    failures, worst = [], ("", 0.0)
    for name, body in hostile_requests():
        if args.only and args.only not in name:
            continue
        times, response = [], None
        for _ in range(rounds):
            elapsed, response = _timed(client, body)
            times.append(elapsed)
        median = statistics.median(times)
        code = _describe(response)
        print(
            f"{name:<48} {len(body):>10,} {response.status_code:>6} {code or '-':<26} "
            f"{median:>10.1f}"
        )
        if median > worst[1]:
            worst = (name, median)
        if not 400 <= response.status_code < 500 or code is None:
            failures.append(f"{name}: answered {response.status_code}, code {code}")
        if median > SMOKE_LIMIT_MS:
            failures.append(f"{name}: {median:.1f} ms median, over {SMOKE_LIMIT_MS} ms")
    print(f"\nworst: {worst[0]} at {worst[1]:.1f} ms median; plain query {plain_ms:.1f} ms")
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        if args.smoke:
            return 1
    return 0


def json_body(query):
    import json

    return json.dumps({"query": query}).encode()


if __name__ == "__main__":
    sys.exit(main())
