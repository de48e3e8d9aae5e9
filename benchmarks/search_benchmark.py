"""Search latency benchmark on PostgreSQL.

Fills an empty database with generated guides and FAQs (10,000 and 20,000 by
default; past 500 guides, copies of the first 500 made in bulk), then times GraphQL `search` over 50 fixed queries and
`searchSuggestions` over 50 prefixes, through the real /graphql/ view, and
prints p50 / p95 latency in milliseconds.

    createdb guides_bench
    DATABASE_URL=postgres://USER@127.0.0.1:5432/guides_bench \\
        .venv/bin/python benchmarks/search_benchmark.py

    # CI smoke run, a few seconds:
    ... benchmarks/search_benchmark.py --guides 300 --faqs 600 --rounds 1

    # Flat with size: one database per size, named after DATABASE_URL's with
    # the size appended (guides_bench_100, guides_bench_10000), each filled
    # with that many guides and twice as many FAQs; rounds alternate between
    # them and the 10,000 / 100 ratio of the medians is printed:
    createdb guides_bench_100; createdb guides_bench_10000
    ... benchmarks/search_benchmark.py --sizes 100,10000 --rounds 5

The database must be empty or hold only an earlier run of this script: it is
migrated and filled, and a second run reuses the data.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
# whitenoise warns that static files are not collected; the API does not need them.
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models.signals import post_save  # noqa: E402
from django.test import Client  # noqa: E402

from benchmarks import bulk_guides  # noqa: E402

WORDS = [
    "appointment",
    "biopsy",
    "blood",
    "bone",
    "cancer",
    "carer",
    "chemotherapy",
    "clinic",
    "consultant",
    "diagnosis",
    "diet",
    "doctor",
    "fatigue",
    "fertility",
    "follow-up",
    "hair",
    "hospital",
    "immunotherapy",
    "infection",
    "insurance",
    "leukaemia",
    "lymphoma",
    "marrow",
    "medicine",
    "myeloma",
    "nausea",
    "nurse",
    "oncologist",
    "opinion",
    "pain",
    "pathology",
    "radiotherapy",
    "records",
    "recovery",
    "referral",
    "remission",
    "scan",
    "second",
    "side-effects",
    "sleep",
    "specialist",
    "stem",
    "surgery",
    "team",
    "transplant",
    "travel",
    "treatment",
    "trial",
    "tumour",
    "visa",
    "waiting",
    "work",
]
FILLER = [
    "ask",
    "your",
    "team",
    "what",
    "this",
    "means",
    "for",
    "you",
    "and",
    "write",
    "down",
    "the",
    "answers",
    "before",
    "the",
    "next",
    "visit",
    "most",
    "people",
    "find",
    "it",
    "helps",
    "to",
    "bring",
    "someone",
    "who",
    "can",
    "take",
    "notes",
    "and",
    "remember",
    "the",
    "details",
]
QUERIES = [
    "myeloma",
    "travel",
    "MDT",
    "what records",
    "second opinion",
    "fatigue",
    "hair loss",
    "chemotherapy side effects",
    "visa",
    "insurance",
    "bone marrow",
    "stem cell transplant",
    "radiotherapy",
    "clinical trial",
    "lymphoma",
    "leukaemia",
    "nausea",
    "sleep",
    "work",
    "fertility",
    "pain",
    "infection",
    "diet",
    "waiting",
    "referral",
    "pathology",
    "scan results",
    "biopsy",
    "surgery recovery",
    "immunotherapy",
    "tumour",
    "tumor",
    "remission",
    "follow-up",
    "carer support",
    "hospital",
    "nurse",
    "oncologist",
    "consultant",
    "medicine list",
    "blood test",
    "diagnosis",
    "treatment plan",
    "appointment",
    "team",
    "records request",
    "travel insurance",
    "myeloma treatment",
    "cancer",
    "xylophone",
]
PREFIXES = [
    "m",
    "my",
    "mye",
    "tra",
    "trav",
    "sec",
    "seco",
    "fat",
    "ha",
    "che",
    "chem",
    "vi",
    "ins",
    "bon",
    "ste",
    "rad",
    "cli",
    "lym",
    "leu",
    "nau",
    "sle",
    "wo",
    "fer",
    "pa",
    "inf",
    "di",
    "wai",
    "ref",
    "pat",
    "sca",
    "bio",
    "sur",
    "imm",
    "tum",
    "rem",
    "fol",
    "car",
    "hos",
    "nur",
    "onc",
    "con",
    "med",
    "blo",
    "dia",
    "tre",
    "app",
    "te",
    "rec",
    "myeloma tr",
    "second op",
]


def sentence(rng, length):
    return (
        " ".join(
            rng.choice(WORDS if rng.random() < 0.35 else FILLER) for _ in range(length)
        ).capitalize()
        + "."
    )


ORIGINALS = 500


def fill(guides, faqs, seed=7):
    from modelsearch import signal_handlers

    from faqs.models import FAQ, FAQTopic
    from guides.models import GuideCategory, GuideIndexPage, GuidePage
    from home.models import HomePage

    existing = GuidePage.objects.count()
    if existing >= guides and FAQ.objects.count() >= faqs:
        print(f"Reusing {existing} guides and {FAQ.objects.count()} FAQs already in the database.")
        return
    rng = random.Random(seed)
    # Index once at the end, in bulk, instead of on every save.
    post_save.disconnect(signal_handlers.post_save_signal_handler, sender=GuidePage)
    post_save.disconnect(signal_handlers.post_save_signal_handler, sender=FAQ)

    home = HomePage.objects.get()
    categories = [
        GuideCategory.objects.get_or_create(name=name)[0]
        for name in ("Decision Guide", "Caregiver Guide", "Practical Guide")
    ]
    hubs = list(GuideIndexPage.objects.all()[:5])
    while len(hubs) < 5:
        hub = GuideIndexPage(title=f"Topic {len(hubs) + 1}", slug=f"topic-{len(hubs) + 1}")
        home.add_child(instance=hub)
        hubs.append(hub)
    started = time.perf_counter()
    # Past ORIGINALS, the guides are copies of these, made in bulk in SQL
    # (benchmarks/bulk_guides.py): through the tree API 100,000 would take hours.
    for i in range(existing, min(guides, ORIGINALS)):
        first, second = rng.sample(WORDS, 2)
        body = [
            {
                "type": "paragraph",
                "value": "<p>" + " ".join(sentence(rng, 14) for _ in range(6)) + "</p>",
            }
        ]
        guide = GuidePage(
            title=f"{first.capitalize()} and {second}: guide {i}",
            slug=f"guide-{i}",
            summary=sentence(rng, 25),
            standfirst=sentence(rng, 12),
            category=categories[i % len(categories)],
            key_highlights=json.dumps(
                [{"type": "highlight", "value": sentence(rng, 8)} for _ in range(3)]
            ),
            body=json.dumps(body),
        )
        hubs[i % len(hubs)].add_child(instance=guide)
        if (i + 1) % 1000 == 0:
            print(f"  guides: {i + 1}/{guides} ({time.perf_counter() - started:.0f} s)", flush=True)
    topics = [FAQTopic.objects.get_or_create(name=f"Topic {n}")[0] for n in range(8)]
    batch = [
        FAQ(
            question=f"{rng.choice(['How', 'When', 'Can', 'What', 'Why'])} {sentence(rng, 7)[:-1]}?",
            answer=f"<p>{sentence(rng, 30)}</p>",
            topic=topics[n % len(topics)],
            live=True,
        )
        for n in range(FAQ.objects.count(), faqs)
    ]
    FAQ.objects.bulk_create(batch, batch_size=1000)
    print(f"  FAQs: {faqs}", flush=True)
    print("  indexing…", flush=True)
    call_command("update_index", backend_name="patient_search", verbosity=0)
    if guides > ORIGINALS:
        print(f"  copies of the first {ORIGINALS} guides, up to {guides}…", flush=True)
        bulk_guides.fill(guides, originals=GuidePage.objects.order_by("path")[:ORIGINALS])


SEARCH = "query ($q: String!) { search(query: $q) { total items { kind title url excerpt } } }"
SUGGEST = "query ($p: String!) { searchSuggestions(prefix: $p) { text kind url } }"


def percentile(values, pct):
    values = sorted(values)
    return values[min(len(values) - 1, round(pct / 100 * (len(values) - 1)))]


def timed(client, query, variables):
    body = json.dumps({"query": query, "variables": variables})
    started = time.perf_counter()
    response = client.post("/graphql/", body, content_type="application/json")
    elapsed = (time.perf_counter() - started) * 1000
    payload = response.json()
    if response.status_code != 200 or "errors" in payload:
        raise SystemExit(f"Request failed for {variables}: {payload}")
    return elapsed, payload["data"]


def run_round(client, search_ms, suggest_ms, totals):
    for q in QUERIES:
        elapsed, data = timed(client, SEARCH, {"q": q})
        search_ms.append(elapsed)
        totals[q] = data["search"]["total"]
    for p in PREFIXES:
        elapsed, _data = timed(client, SUGGEST, {"p": p})
        suggest_ms.append(elapsed)


def use_database(name):
    """Point the default connection at another database of the same server,
    with empty caches: a cached answer from one size must not serve another."""
    from django.core.cache import caches

    connection.close()
    connection.settings_dict["NAME"] = name
    for cache in caches.all():
        cache.clear()


def compare_sizes(sizes, rounds):
    base = connection.settings_dict["NAME"]
    client = Client()
    results = {size: ([], [], {}) for size in sizes}
    for size in sizes:
        use_database(f"{base}_{size}")
        call_command("migrate", verbosity=0)
        fill(size, 2 * size)
    for _ in range(rounds):
        for size in sizes:  # interleaved, so load on the machine falls on every size alike
            use_database(f"{base}_{size}")
            for q in QUERIES[:5]:  # a fresh connection: warm it first
                timed(client, SEARCH, {"q": q})
            run_round(client, *results[size])
    print(f"Queries: {len(QUERIES)} search, {len(PREFIXES)} suggestion prefixes, {rounds} rounds")
    print(
        f"{'size':>8} {'results/query':>14} {'search p50':>11} {'p95':>8} {'suggest p50':>12} {'p95':>8}"
    )
    for size in sizes:
        search_ms, suggest_ms, totals = results[size]
        print(
            f"{size:>8} {statistics.median(totals.values()):>14.0f} "
            f"{percentile(search_ms, 50):>8.1f} ms {percentile(search_ms, 95):>5.1f} ms "
            f"{percentile(suggest_ms, 50):>9.1f} ms {percentile(suggest_ms, 95):>5.1f} ms"
        )
    smallest, largest = results[sizes[0]], results[sizes[-1]]
    for label, index in (("search", 0), ("searchSuggestions", 1)):
        ratio = percentile(largest[index], 50) / percentile(smallest[index], 50)
        verdict = "pass" if ratio <= 1.5 else "FAIL"
        print(f"{label} p50 ratio {sizes[-1]} / {sizes[0]}: {ratio:.2f}x (target 1.5x: {verdict})")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--guides", type=int, default=10_000)
    parser.add_argument("--faqs", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3, help="times each query is run")
    parser.add_argument(
        "--sizes",
        help="comma-separated guide counts to compare, e.g. 100,10000 (one database each)",
    )
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        raise SystemExit(
            "Set DATABASE_URL to an empty PostgreSQL database: this benchmark measures PostgreSQL search."
        )
    if args.sizes:
        compare_sizes(sorted(int(size) for size in args.sizes.split(",")), args.rounds)
        return
    call_command("migrate", verbosity=0)
    fill(args.guides, args.faqs)

    from search.models import SearchEntry

    print(f"Search entries: {SearchEntry.objects.count()}")
    client = Client()
    for q in QUERIES[:5]:  # warm caches and connections
        timed(client, SEARCH, {"q": q})

    search_ms, suggest_ms, totals = [], [], {}
    for _ in range(args.rounds):
        run_round(client, search_ms, suggest_ms, totals)

    print(
        f"Queries: {len(QUERIES)} search, {len(PREFIXES)} suggestion prefixes, {args.rounds} rounds"
    )
    print(
        f"Results per query (median): {statistics.median(totals.values()):.0f}; zero-result queries: {sum(1 for t in totals.values() if t == 0)}"
    )
    print(
        f"search             p50 {percentile(search_ms, 50):6.1f} ms   p95 {percentile(search_ms, 95):6.1f} ms   (target p95 <= 50 ms)"
    )
    print(
        f"searchSuggestions  p50 {percentile(suggest_ms, 50):6.1f} ms   p95 {percentile(suggest_ms, 95):6.1f} ms   (target p95 <= 15 ms)"
    )


if __name__ == "__main__":
    main()
