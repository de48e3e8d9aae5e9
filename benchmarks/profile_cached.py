"""CPU per request of a persisted GraphQL GET answered from the response
cache, beside the bare /api/ping/ view, measured in this process.

Production settings (DEBUG off) with Redis (REDIS_URL), Django's test Client,
no HTTP server. The guide query of benchmarks/api_benchmark.py is sent as a
frontend sends it (APQ hash only, `Accept-Encoding: br, gzip`) after one
request that stores it. Scenarios run interleaved; the figures are medians
of time.process_time per request, and the ratio is ping's CPU over the
cached answer's (what req/s would be if CPU were all that counted).

    REDIS_URL=redis://127.0.0.1:6379/0 DATABASE_URL=sqlite:////tmp/cached.sqlite3 \\
        .venv/bin/python benchmarks/profile_cached.py --requests 2000
    ... benchmarks/profile_cached.py --profile --requests 2000   # cProfile of the hit
    ... benchmarks/profile_cached.py --count-calls               # cache calls per hit
"""

import argparse
import hashlib
import json
import os
import secrets
import statistics
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.api_benchmark import GUIDE_QUERY  # noqa: E402


def setup():
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "False",
            "LOG_LEVEL": "WARNING",
        }
    )
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.management import call_command

    from guides.models import GuidePage

    call_command("migrate", verbosity=0)
    if not GuidePage.objects.live().exists():
        call_command("load_demo_content", verbosity=0)


def requests():
    from django.core.cache import cache
    from django.test import Client

    from guides.models import GuidePage

    cache.clear()
    guide = GuidePage.objects.live().first()
    digest = hashlib.sha256(GUIDE_QUERY.encode()).hexdigest()
    extensions = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": digest}})
    variables = json.dumps({"id": str(guide.pk)})
    client = Client(HTTP_ACCEPT_ENCODING="br, gzip")
    registered = client.get(
        "/graphql/", {"query": GUIDE_QUERY, "extensions": extensions, "variables": variables}
    )
    assert registered.status_code == 200, registered.content[:300]
    path = "/graphql/?" + urlencode({"extensions": extensions, "variables": variables})

    def cached():
        response = client.get(path)
        assert response.status_code == 200 and response["Content-Encoding"] == "br"
        assert response.has_header("Content-Security-Policy")

    def ping():
        response = client.get("/api/ping/")
        assert response.status_code == 200

    return {"ping": ping, "cached": cached}


def measure(found, count):
    for request in found.values():
        for _ in range(50):
            request()
    times = {name: [] for name in found}
    names = list(found)
    for turn in range(count):
        for name in names if turn % 2 == 0 else names[::-1]:
            started = time.process_time()
            found[name]()
            times[name].append((time.process_time() - started) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def count_calls(request):
    """Calls on the cache backend during one hit, by method."""
    from collections import Counter

    from django.conf import settings
    from django.core.cache import caches

    backend = caches[settings.GRAPHQL_CACHE_ALIAS]
    calls = Counter()
    originals = {}
    for name in ("get", "get_many", "set", "set_many", "add", "incr", "delete", "delete_many"):
        original = getattr(backend, name)
        originals[name] = original

        def counted(*args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            return _original(*args, **kwargs)

        setattr(backend, name, counted)
    try:
        request()
    finally:
        for name, original in originals.items():
            setattr(backend, name, original)
    return calls


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000, help="per scenario")
    parser.add_argument("--profile", action="store_true", help="cProfile the cached hit")
    parser.add_argument("--count-calls", action="store_true")
    args = parser.parse_args()
    setup()
    found = requests()
    if args.count_calls:
        for _ in range(5):
            found["cached"]()
        print("cache calls per hit:", dict(count_calls(found["cached"])))
        return
    if args.profile:
        import cProfile
        import pstats

        for _ in range(50):
            found["cached"]()
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(args.requests):
            found["cached"]()
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(70)
        return
    medians = measure(found, args.requests)
    ratio = medians["ping"] / medians["cached"]
    print(
        f"CPU per request (median of {args.requests}): ping {medians['ping']:.3f} ms, "
        f"cached persisted GET {medians['cached']:.3f} ms; cached at {ratio:.2f}x ping"
    )


if __name__ == "__main__":
    main()
