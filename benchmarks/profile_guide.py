"""CPU per request of the uncached GraphQL guide and list of 20 against the
REST API's answers for the same guides, measured in this process.

The requests go through Django's test Client with the production settings
(DEBUG off), each GraphQL one with an `Authorization` header so the response
cache never answers, exactly the queries benchmarks/api_benchmark.py sends.
Scenarios run interleaved, one request of each in turn (every other turn in
reverse order), and the figures are the median CPU time (time.process_time)
of each; the ratios are REST's median over GraphQL's. No HTTP server, so the
figures leave out gunicorn and the network (the same for both sides).

    DATABASE_URL=postgres://USER@127.0.0.1:5432/profile_guide \\
        .venv/bin/python benchmarks/profile_guide.py --guides 1000 --requests 200

    # a profile of the GraphQL guide: cProfile by CPU time (the default), or
    # pyinstrument's call tree when it is installed:
    ... benchmarks/profile_guide.py --profile guide --requests 100
    ... benchmarks/profile_guide.py --profile guide --profiler pyinstrument --profile-out /tmp/guide.html
    py-spy record -f raw -o /tmp/guide.folded -- .venv/bin/python \
        benchmarks/profile_guide.py --profile guide --profiler none --requests 500

The database is filled with the demo content scaled to --guides guides unless
it already holds that many (SQLite, the default, is fine for a quick look).
"""

import argparse
import os
import secrets
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.api_benchmark import GUIDE_QUERY, LIST_QUERY  # noqa: E402

# The REST listing of the fields the GraphQL list asks for (cards).
REST_LIST_FIELDS = "title,slug,summary,published_date,category,cancer_types,hero_image"


def setup(database_url):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "False",
            "LOG_LEVEL": "WARNING",
        }
    )
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def fill(guides):
    from django.core.management import call_command

    from guides.models import GuidePage

    call_command("migrate", verbosity=0)
    if GuidePage.objects.live().count() < guides:
        started = time.monotonic()
        call_command("load_demo_content", guides=guides, verbosity=0)
        print(f"Content ready in {time.monotonic() - started:.0f} s.", flush=True)


def scenarios():
    """(name, function making one request and checking its answer)."""
    from django.test import Client

    from guides.models import GuidePage

    guide = GuidePage.objects.live().get(slug="asking-for-a-second-opinion")
    client = Client()
    auth = {"HTTP_AUTHORIZATION": "Bearer uncached-profile"}
    counter = iter(range(10**9))

    def graphql(query, variables):
        def request():
            body = {"query": query, "variables": {**variables, "nonce": str(next(counter))}}
            response = client.post("/graphql/", body, content_type="application/json", **auth)
            payload = response.json()
            assert response.status_code == 200 and "errors" not in payload, payload
            return payload

        return request

    def rest(path):
        def request():
            response = client.get(path)
            assert response.status_code == 200, response.content[:300]
            return response.json()

        return request

    return {
        "graphql guide": graphql(GUIDE_QUERY, {"id": str(guide.pk)}),
        "rest guide": rest(f"/api/v2/pages/{guide.pk}/"),
        "graphql list of 20": graphql(LIST_QUERY, {"page": 1}),
        # The same 20 guides with the same card fields, through Wagtail's REST API.
        "rest list of 20": rest(
            f"/api/v2/pages/?type=guides.GuidePage&fields={REST_LIST_FIELDS}"
            "&order=-published_date&limit=20"
        ),
    }


def measure(found, requests, warmup=5):
    for request in found.values():
        for _ in range(warmup):
            request()
    times = {name: [] for name in found}
    names = list(found)
    for turn in range(requests):
        for name in names if turn % 2 == 0 else names[::-1]:
            started = time.process_time()
            found[name]()
            times[name].append((time.process_time() - started) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def profile(request, requests, out, profiler_name):
    """Profile `requests` runs of `request`: pyinstrument's call tree (wall
    time), or cProfile timed by CPU (time.process_time), sorted by own time;
    with "none", only the requests, for a profiler outside (py-spy)."""
    if profiler_name == "none":
        for _ in range(requests):
            request()
        return
    if profiler_name == "pyinstrument":
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(requests):
            request()
        profiler.stop()
        if out:
            Path(out).write_text(profiler.output_html())
            print(f"Profile written to {out}")
        print(profiler.output_text(unicode=True, color=False))
        return
    import cProfile
    import pstats

    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(requests):
        request()
    profiler.disable()
    if out:
        profiler.dump_stats(out)
        print(f"cProfile stats written to {out}")
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(60)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--guides", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200, help="per scenario")
    parser.add_argument(
        "--profile",
        choices=["guide", "list", "rest-guide", "rest-list"],
        help="profile this scenario instead of measuring",
    )
    parser.add_argument(
        "--profiler", choices=["cprofile", "pyinstrument", "none"], default="cprofile"
    )
    parser.add_argument("--profile-out", help="pyinstrument HTML or cProfile stats file")
    args = parser.parse_args()
    setup(args.database_url)
    fill(args.guides)
    from django.db import connection

    found = scenarios()
    print(f"Database: {connection.vendor}; {args.requests} requests per scenario.", flush=True)
    if args.profile:
        name = {
            "guide": "graphql guide",
            "list": "graphql list of 20",
            "rest-guide": "rest guide",
            "rest-list": "rest list of 20",
        }[args.profile]
        for _ in range(5):
            found[name]()
        profile(found[name], args.requests, args.profile_out, args.profiler)
        return
    medians = measure(found, args.requests)
    print(f"\n| {'scenario':<20} | CPU ms/request (median) |")
    print(f"| {'-' * 20} | {'-' * 22}:|")
    for name, value in medians.items():
        print(f"| {name:<20} | {value:22.2f} |")
    guide = medians["rest guide"] / medians["graphql guide"]
    listing = medians["rest list of 20"] / medians["graphql list of 20"]
    print(f"\nGraphQL guide: {guide:.2f}x the REST guide (REST CPU / GraphQL CPU)")
    print(f"GraphQL list of 20: {listing:.2f}x the REST listing of the same 20 guides")


if __name__ == "__main__":
    main()
