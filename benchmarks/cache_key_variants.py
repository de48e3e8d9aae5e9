"""Redis bytes taken by variants of one document that differ only by a
comment: one cached answer for all of them (the key is the document as
graphql-core prints it), or one each (the key hashed the text, as before).

    redis-server --port 6403 --save '' --daemonize yes
    .venv/bin/python benchmarks/cache_key_variants.py --redis-url redis://127.0.0.1:6403/0
    .venv/bin/python benchmarks/cache_key_variants.py --redis-url ... --key text   # as before

Sends the frontend's full guide document (clients/documents/Guide.graphql),
each time with a different comment in front, through Django's test client to
the real /graphql/ endpoint with the response cache on Redis, on an in-memory
SQLite database with the demo content (migrated and loaded first, about a
minute); reads Redis's used_memory and key count before and after. Only keys
under this script's own prefix are touched.

Then the CPU time of a cached answer (a GET of the guide, answered before the
view) beside /api/ping/'s, in this process (`--hits` of each, best of 5
rounds): what the cache's bookkeeping costs a hit.
"""

import argparse
import hashlib
import io
import json
import os
import sys
import time
import urllib.parse
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

GUIDE = "asking-for-a-second-opinion"  # a demo guide, the README's example
PREFIX = "cache-key-variants"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--variants", type=int, default=1000)
    parser.add_argument("--hits", type=int, default=2000, help="cached GETs timed, and pings")
    parser.add_argument(
        "--key",
        choices=["printed", "text"],
        default="printed",
        help="printed: the cache key now; text: the document's text hashed, as before",
    )
    args = parser.parse_args()

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    import redis
    from django.conf import settings
    from django.core.cache import caches
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from cms.caching import response_cache

    setup_test_environment()
    settings.GRAPHQL_RESPONSE_CACHE_ENABLED = True
    settings.GRAPHQL_RESPONSE_CACHE_CATCH_UP_SECONDS = 1.0  # as in production (tests: off)
    settings.CACHES = {
        **settings.CACHES,
        "variants": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": args.redis_url,
            "KEY_PREFIX": PREFIX,
        },
    }
    settings.GRAPHQL_CACHE_ALIAS = "variants"
    if args.key == "text":
        response_cache.document_key = lambda query: hashlib.sha256(query.encode()).hexdigest()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo_content", stdout=io.StringIO())

    raw = redis.Redis.from_url(args.redis_url)
    caches["variants"].delete_pattern("*")

    def measure():
        return raw.info("memory")["used_memory"], len(raw.keys(f"{PREFIX}:*"))

    document = (ROOT / "clients" / "documents" / "Guide.graphql").read_text()
    client = Client()

    def ask(text):
        response = client.post(
            "/graphql/",
            json.dumps({"query": text, "variables": {"slug": GUIDE}}),
            content_type="application/json",
        )
        assert response.status_code == 200 and "errors" not in response.json(), response.content
        return response

    ask(document)  # the first answer, and the bookkeeping every answer shares
    memory, keys = measure()
    for number in range(args.variants):
        ask(f"# variant {number}\n{document}")
    after_memory, after_keys = measure()
    added = after_memory - memory
    print(
        f"key={args.key}: {args.variants} comment variants of Guide.graphql "
        f"({len(ask(document).content)} bytes an answer) added {added / 1e6:.2f} MB "
        f"({added / args.variants / 1e3:.1f} kB a request) and {after_keys - keys} keys to Redis"
    )

    get = "/graphql/?" + urllib.parse.urlencode(
        {"query": document, "variables": json.dumps({"slug": GUIDE})}
    )
    assert client.get(get).status_code == 200

    def cpu_per_request(path):
        best = float("inf")
        for _round in range(5):
            started = time.process_time()
            for _ in range(args.hits // 5):
                client.get(path)
            best = min(best, (time.process_time() - started) / (args.hits // 5))
        return best * 1000

    hit, ping = cpu_per_request(get), cpu_per_request("/api/ping/")
    print(
        f"CPU per request in-process: cached guide GET {hit:.3f} ms, /api/ping/ {ping:.3f} ms "
        f"({hit / ping:.2f}x)"
    )
    caches["variants"].delete_pattern("*")


if __name__ == "__main__":
    main()
