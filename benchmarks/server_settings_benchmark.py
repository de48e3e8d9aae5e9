"""Gunicorn settings side by side: worker class, recycling, keep-alive, warm-up.

Starts one gunicorn per configuration on 127.0.0.1, all from the project's
gunicorn.conf.py with the production settings and the same PostgreSQL
database (DATABASE_URL) and Redis (a throwaway one unless REDIS_URL is set),
each configuration differing only by the GUNICORN_* / WEB_CONCURRENCY
variables gunicorn.conf.py reads. Then loads each with wrk at --connections
(50) for two scenarios:

- cached: the guide query as a frontend sends it in production, a persisted
  GraphQL GET (`GET /graphql/?extensions=<APQ hash>&variables=...`), answered
  from the shared response cache;
- ping: /api/ping/, the bare view, no database.

Configurations run interleaved over --rounds rounds (every other round in
reverse order, so none is always first or last); the table shows medians of
the rounds: req/s, p50, p90, p99, p99/p50 and the CPU time the server (master
and workers, live and exited) spent per request, measured from /proc with the
server idle before and after each run. Only one server is loaded at a time;
the others sit idle.

    DATABASE_URL=postgres://USER@127.0.0.1:5432/DB \\
        .venv/bin/python benchmarks/server_settings_benchmark.py

    # CI smoke run (under a minute: 50 guides, two configurations, 2 s runs,
    # one round):
    ... benchmarks/server_settings_benchmark.py --smoke

    # Only some configurations (names as in the table):
    ... --only shipped,off,chosen

Uses the helpers of benchmarks/api_benchmark.py (server, Redis, demo content,
persisted query). Exit status 1 on any error (non-2xx, socket error, GraphQL
error); the p99 <= 3x p50 target is printed as PASS/FAIL.
"""

import argparse
import os
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.api_benchmark import (  # noqa: E402
    GUIDE_QUERY,
    Server,
    _cpu_ticks,
    benchmark_environment,
    fill,
    http,
    lua_script,
    persisted_get_path,
    register_persisted_query,
    run_wrk,
    server_cpu_seconds,
    setup_django,
    wrk_result,
)

# name -> (what it is, environment for gunicorn.conf.py). "shipped" is the
# configuration before this benchmark; "chosen" is gunicorn.conf.py's defaults.
SHIPPED = {
    "GUNICORN_WORKER_CLASS": "sync",
    "GUNICORN_MAX_REQUESTS": "1000",
    "GUNICORN_MAX_REQUESTS_JITTER": "100",
    "GUNICORN_WARMUP": "0",
}
CONFIGURATIONS = {
    "shipped": ("sync, recycle at 1000, no warm-up", SHIPPED),
    "off": ("sync, no recycling, no warm-up", {**SHIPPED, "GUNICORN_MAX_REQUESTS": "0"}),
    "warm-1000": ("sync, recycle at 1000, warm-up", {**SHIPPED, "GUNICORN_WARMUP": "1"}),
    "sync-20000": (
        "sync, recycle at 20000 (jitter 2000), warm-up",
        {
            **SHIPPED,
            "GUNICORN_WARMUP": "1",
            "GUNICORN_MAX_REQUESTS": "20000",
            "GUNICORN_MAX_REQUESTS_JITTER": "2000",
        },
    ),
    "chosen": ("gunicorn.conf.py defaults", {}),
    "gthread-2": (
        "gthread 2 threads, no recycling, warm-up",
        {"GUNICORN_WORKER_CLASS": "gthread", "GUNICORN_THREADS": "2", "GUNICORN_MAX_REQUESTS": "0"},
    ),
    "gthread-2-ka0": (
        "gthread 2 threads, no keep-alive, no recycling, warm-up",
        {
            "GUNICORN_WORKER_CLASS": "gthread",
            "GUNICORN_THREADS": "2",
            "GUNICORN_KEEPALIVE": "0",
            "GUNICORN_MAX_REQUESTS": "0",
        },
    ),
    "gthread-2-1000": (
        "gthread 2 threads, recycle at 1000, warm-up",
        {
            "GUNICORN_WORKER_CLASS": "gthread",
            "GUNICORN_THREADS": "2",
            "GUNICORN_MAX_REQUESTS": "1000",
            "GUNICORN_MAX_REQUESTS_JITTER": "100",
        },
    ),
    "gthread-4x3": (
        "gthread 3 workers x 4 threads, no recycling, warm-up",
        {
            "GUNICORN_WORKER_CLASS": "gthread",
            "GUNICORN_THREADS": "4",
            "WEB_CONCURRENCY": "3",
            "GUNICORN_MAX_REQUESTS": "0",
        },
    ),
}

# Run when --only is not given; the others are there to reproduce the
# comparisons in docs/benchmarks.md. The smoke run starts two servers only.
DEFAULT = ["shipped", "off", "warm-1000", "chosen", "gthread-2"]
SMOKE = ["shipped", "chosen"]

# api_benchmark's wrk script for a GET (it counts non-200 answers and GraphQL
# errors) with another `done`, which also prints p90 and the maximum.
DONE = r"""function done(summary, latency, requests)
  local bad, gql = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("bad_status")
    gql = gql + t:get("graphql_errors")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %.0f, "duration_us": %.0f, "p50": %.0f, "p90": %.0f, "p99": %.0f, '
    .. '"max": %.0f, "bad_status": %.0f, "graphql_errors": %.0f, "socket_errors": %.0f}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, bad, gql, e.connect + e.read + e.write + e.timeout))
end
"""


def wrk_script(path):
    script = lua_script(path)
    head, found, _ = script.partition("function done(")
    assert found, "api_benchmark's wrk script has no done()"
    return head + DONE


def all_cpu_seconds(server):
    """server_cpu_seconds (workers, live and exited) plus the master's own
    time, which includes forking the recycled workers."""
    workers = server_cpu_seconds(server.process.pid)
    if workers is None:
        return None
    try:
        own = _cpu_ticks(server.process.pid)[0] / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None
    return workers + own


def idle_cpu_seconds(server):
    """CPU total once the server has finished what was sent to it."""
    previous = all_cpu_seconds(server)
    for _ in range(100):
        time.sleep(0.2)
        current = all_cpu_seconds(server)
        if previous is None or current is None or current - previous < 0.01:
            return current
        previous = current
    return previous


class Configuration:
    def __init__(self, name, description, overrides, base_env, workdir):
        self.name, self.description = name, description
        env = {k: v for k, v in base_env.items() if not k.startswith("GUNICORN_")}
        env.pop("WEB_CONCURRENCY", None)
        env.update(overrides)
        directory = workdir / name
        directory.mkdir()
        self.server = Server(env, None, directory)
        self.results = {}  # scenario -> [wrk results]


def run_one(configuration, scenario, script, seconds, connections):
    server = configuration.server
    before = idle_cpu_seconds(server)
    result = wrk_result(run_wrk(server.base, script, seconds, connections, threads=1))
    after = idle_cpu_seconds(server)
    if before is not None and after is not None:
        # When wrk stops, each connection may still have a request in the server.
        result["cpu_ms"] = (after - before) * 1000 / (result["requests"] + connections)
    result["errors"] = result["bad_status"] + result["graphql_errors"] + result["socket_errors"]
    configuration.results.setdefault(scenario, []).append(result)
    return result


def median(results, key):
    return statistics.median(r[key] for r in results)


def print_table(configurations, scenarios, rounds):
    print(f"\nMedian of {rounds} round(s); p99/p50 is the median of the runs' ratios:\n")
    print(
        "| configuration | scenario | req/s | p50 ms | p90 ms | p99 ms | p99/p50 | max ms "
        "| CPU ms/req | errors |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for c in configurations:
        for scenario in scenarios:
            rs = c.results[scenario]
            ratio = statistics.median(r["p99"] / r["p50"] for r in rs)
            cpu = f"{median(rs, 'cpu_ms'):.2f}" if all("cpu_ms" in r for r in rs) else ""
            print(
                f"| {c.name} | {scenario} | {median(rs, 'rps'):.0f} | "
                f"{median(rs, 'p50') / 1000:.1f} | {median(rs, 'p90') / 1000:.1f} | "
                f"{median(rs, 'p99') / 1000:.1f} | {ratio:.1f} | {median(rs, 'max') / 1000:.0f} | "
                f"{cpu} | {sum(r['errors'] for r in rs)} |"
            )
    print("\nreq/s / p99 ms in each round (the machine's other load shows here):")
    for c in configurations:
        for scenario in scenarios:
            runs = " ".join(f"{r['rps']:5.0f}/{r['p99'] / 1000:<5.0f}" for r in c.results[scenario])
            print(f"  {c.name:<12} {scenario:<7} {runs}")
    print("\nConfigurations:")
    for c in configurations:
        print(f"  {c.name:<12} {c.description}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--guides", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=8, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--only",
        help=f"comma-separated names among {', '.join(CONFIGURATIONS)} "
        f"(default {','.join(DEFAULT)}; --smoke: {','.join(SMOKE)})",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI check: 50 guides, two configurations, 2 s runs, one round",
    )
    args = parser.parse_args()
    if args.smoke:
        args.guides, args.rounds, args.seconds = 50, 1, 2
    names = args.only.split(",") if args.only else (SMOKE if args.smoke else DEFAULT)
    unknown = set(names) - set(CONFIGURATIONS)
    if unknown:
        raise SystemExit(f"unknown configurations: {', '.join(sorted(unknown))}")
    workdir, env, redis = benchmark_environment("server-settings-benchmark-")
    configurations = []
    failed = 0
    try:
        setup_django(env)
        fill(args.guides)
        from django.db import connections

        from guides.models import GuidePage

        guide = GuidePage.objects.live().get(slug="asking-for-a-second-opinion")
        connections.close_all()
        configurations = [
            Configuration(name, *CONFIGURATIONS[name], env, workdir) for name in names
        ]
        # Start them all at once (each loads the app in its master).
        starters = [threading.Thread(target=c.server.start) for c in configurations]
        for t in starters:
            t.start()
        for t in starters:
            t.join()
        for c in configurations:
            if c.server.process is None or c.server.process.poll() is not None:
                raise SystemExit(f"{c.name}: gunicorn did not start:\n{c.server.log_tail()}")
        first = configurations[0].server
        if not register_persisted_query(first.base, guide.pk):
            raise SystemExit("The server does not answer the persisted query.")
        cached_path = persisted_get_path(GUIDE_QUERY, {"id": str(guide.pk)})
        scenarios = {"cached": cached_path, "ping": "/api/ping/"}
        scripts = {}
        for scenario, path in scenarios.items():
            scripts[scenario] = workdir / f"{scenario}.lua"
            scripts[scenario].write_text(wrk_script(path))
        for c in configurations:
            for scenario, path in scenarios.items():
                status, payload = http(c.server.base + path)
                if status != 200 or not isinstance(payload, dict) or "errors" in payload:
                    raise SystemExit(f"{c.name} {scenario}: {status} {str(payload)[:300]}")
        print(
            f"Guides: {GuidePage.objects.live().count()}; wrk: {args.connections} connections, "
            f"{args.seconds} s per run, {args.rounds} round(s); configurations: {', '.join(names)}.",
            flush=True,
        )
        # Warm-up run for each (first-use work in every worker, renditions).
        for c in configurations:
            for scenario in scenarios:
                wrk_result(run_wrk(c.server.base, scripts[scenario], 1, args.connections, 1))
        for round_number in range(args.rounds):
            forward = round_number % 2 == 0
            for c in configurations if forward else configurations[::-1]:
                for scenario in scenarios if forward else list(scenarios)[::-1]:
                    run_one(c, scenario, scripts[scenario], args.seconds, args.connections)
            print(f"  round {round_number + 1}/{args.rounds} done", flush=True)
        print_table(configurations, list(scenarios), args.rounds)

        print("\nTarget: p99 <= 3x p50 (medians of the runs' ratios), both scenarios:")
        for c in configurations:
            ratios = [
                statistics.median(r["p99"] / r["p50"] for r in c.results[s]) for s in scenarios
            ]
            verdict = "PASS" if all(x <= 3 for x in ratios) else "FAIL"
            print(f"  {verdict}  {c.name:<12} " + "  ".join(f"{x:.1f}x" for x in ratios))
        failed = sum(r["errors"] for c in configurations for rs in c.results.values() for r in rs)
        if failed:
            print(f"\n{failed} errors (non-2xx, GraphQL or socket errors): see the table.")
    finally:
        for c in configurations:
            c.server.stop()
        if redis:
            redis.terminate()
            redis.wait()
        shutil.rmtree(workdir, ignore_errors=True)
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
