"""API throughput benchmark: GraphQL against Wagtail's REST API and a bare JSON view.

Starts gunicorn on 127.0.0.1 with the production settings (DEBUG off, the
project's gunicorn.conf.py) on the PostgreSQL database in DATABASE_URL, fills
it with the demo content scaled to --guides guides, and loads it from a
second process with wrk. Scenarios run side by side, interleaved over several
rounds (every other round in reverse order); the table shows the median of
the rounds, and each ratio is the median of the rounds' ratios between two
scenarios that ran back to back. Beside req/s, the CPU time gunicorn's
workers spent per request (from /proc, measured with the server idle before
and after each run), which other load on the machine changes far less:

- graphql guide (uncached): one guide by id over POST, every field a guide
  page shows. Each request carries an `Authorization` header, which the
  response cache never answers (it is keyed on the variables the document
  declares only, so an undeclared `nonce` no longer misses it), and a
  different `nonce` variable; every request does the full work.
- graphql list of 20 (uncached): `guides(perPage: 20)` with card fields.
- graphql hub (uncached): a hub with its first ten guides.
- graphql search (uncached): `search` over a rotation of queries.
- graphql guide (persisted, cached): the guide query as a frontend sends it in
  production, `GET /graphql/?extensions=<APQ hash>&variables=...`, the same
  URL every time, so a response cache answers it.
- rest guide: the same guide from /api/v2/pages/<id>/ (all its api_fields).
- graphql list of 20 (uncached) beside rest list of 20: the same cards from
  `/api/v2/pages/?type=guides.GuidePage&fields=...&limit=20` (summary, date,
  category, cancer types, hero rendition; id, title and slug come anyway).
- ping: /api/ping/, no database: the floor of the stack.
- ping and the cached guide again at --wide-connections (50): their p99
  against their p50.

Table: req/s, p50/p95/p99 latency (wrk's), CPU per request; targets (PASS or
FAIL, never failing the run): uncached GraphQL guide and list of 20 each
>= 2.0x their REST twin, cached guide >= 0.8x ping, p99 <= 3x p50 at 50
connections.

Then "publish under load": wrk reads the guide (persisted GET) for
--publish-seconds at --publish-connections without publishing, then as long
again while this process publishes a change to it every second
(save_revision().publish(), as the admin does) and, as soon as each publish
returns, reads it back through GraphQL (persisted GET and uncached POST) and
counts reads that still show the old text. Target: readers' p99 while
publishing <= 3x their p99 without.

Then "through Varnish": varnishd (Debian's 7.1, with deploy/varnish.vcl, its
backend pointed at this gunicorn; a stand-in VCL while that file does not
exist) in front of the same gunicorn; the cached guide and the REST guide
through it beside directly, interleaved, with gunicorn's CPU per request.
Skipped, with a message, when varnishd is not installed (or --no-varnish).

Last "flat with size" (--sizes 100,10000): one database per size, named
after DATABASE_URL's with `_g<N>` (a size equal to the main database's count
uses it), filled by load_demo_content --guides N (a size above the main
database's starts from a PostgreSQL copy of it); kept afterwards, and with
--reuse one already at its size is used as it is. One gunicorn per size,
same settings; the uncached guide, list of 20, hub and search at each size,
interleaved; latency per size and the ratio largest / smallest (target
within 1.5x).

    createdb api_benchmark                 # or any PostgreSQL database
    DATABASE_URL=postgres://USER@127.0.0.1:5432/api_benchmark \\
        .venv/bin/python benchmarks/api_benchmark.py --reuse

    # CI smoke run (50 guides, short scenarios, one round, 10 s of publishing,
    # sizes 50 and 100):
    ... benchmarks/api_benchmark.py --smoke

Needs `wrk` (apt-get install wrk). With REDIS_URL unset and `redis-server`
installed, it starts a throwaway Redis so all gunicorn workers and this
process share one cache, as production with several workers must.

Exit status 1 on any error (non-2xx, socket error, GraphQL error) or stale
read; the ratios and latency targets are printed as PASS/FAIL but never fail
the run.
"""

import argparse
import hashlib
import json
import os
import re
import runpy
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VARNISHD = shutil.which("varnishd") or next(
    (path for path in ("/usr/sbin/varnishd",) if os.access(path, os.X_OK)), None
)

GUIDE_QUERY = """query Guide($id: ID!) {
  guide(id: $id) {
    id title slug standfirst summary publishedDate
    category { name slug } publisher { name url }
    cancerTypes { name slug } audiences { name slug }
    keyHighlights importantFacts quickAnswer disclaimer
    heroImage { description rendition(width: 640) { url width height } }
    faqs { id question answer topic { name slug } }
    relatedGuides { id title slug }
    references { number title source year url doi pmid accessed }
    lastReviewed nextReviewDue
    readability { grade wordCount readingTimeMinutes }
    body {
      __typename kind id
      ... on HeadingBlock { text level anchor }
      ... on ParagraphBlock { value }
      ... on CalloutBlock { variant title body }
      ... on QuoteBlock { text attribution }
      ... on ScriptBlock { situation words note }
      ... on ChecklistBlock { title items }
      ... on StepsBlock { title steps { number title text } }
      ... on QuestionListBlock { title questions }
      ... on ComparisonBlock { title columns { title points } }
      ... on CallToActionBlock { heading text buttonLabel url }
      ... on ImageBlock { altText caption image { id } }
      ... on TableBlock { caption hasHeaderRow hasHeaderColumn rows }
      ... on FAQsBlock { title faqs { id question } }
    }
  }
}"""

LIST_QUERY = """query Guides($page: Int) {
  guides(perPage: 20, page: $page) {
    pagination { total totalPages }
    items {
      id title slug summary publishedDate
      category { name slug } cancerTypes { name slug }
      heroImage { rendition(width: 320) { url width height } }
    }
  }
}"""

HUB_QUERY = """query Hub($slug: String!) {
  hub(slug: $slug) {
    title eyebrow tagline intro
    closingCallToAction { heading text buttonLabel url }
    guides(perPage: 10) {
      pagination { total }
      items { id title slug summary publishedDate category { name } }
    }
  }
}"""

SEARCH_QUERY = """query Search($q: String!) {
  search(query: $q) { total items { kind title url excerpt } }
}"""

SEARCHES = ["second opinion", "myeloma", "travel", "records", "appointments", "caring"]


# One Lua script per scenario. `request` varies the body by a per-request
# nonce where asked; `response` counts non-200 answers and GraphQL errors;
# `done` prints one JSON line for this script to read.
LUA = r"""
local threads = {}
local prefixes = {PREFIXES}
local paths = {PATHS}
local suffix = [==[SUFFIX]==]
local headers = {["Content-Type"] = "application/json"AUTHORIZATION}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  bad_status = 0
  graphql_errors = 0
end

function request()
  counter = counter + 1
  if #prefixes == 0 then
    return wrk.format("GET", paths[(counter % #paths) + 1])
  end
  local prefix = prefixes[(counter % #prefixes) + 1]
  -- A new token in every wrk run: no nonce is sent twice, even across rounds.
  local nonce = '"RUN-' .. tid .. '-' .. counter .. '"'
  return wrk.format("POST", [==[PATH]==], headers, prefix .. NONCE .. suffix)
end

function response(status, headers, body)
  if status ~= 200 then
    bad_status = bad_status + 1
  elseif string.find(body, '"errors"', 1, true) then
    graphql_errors = graphql_errors + 1
  end
end

function done(summary, latency, requests)
  local bad, gql = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("bad_status")
    gql = gql + t:get("graphql_errors")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %.0f, "duration_us": %.0f, "p50": %.0f, "p95": %.0f, "p99": %.0f, '
    .. '"bad_status": %.0f, "graphql_errors": %.0f, "socket_errors": %.0f}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), bad, gql, e.connect + e.read + e.write + e.timeout))
end
"""


# Requests with credentials are never answered from the response cache.
UNCACHED_HEADER_LUA = ', ["Authorization"] = "Bearer uncached-benchmark"'


def lua_script(path, bodies=(), vary=False, paths=()):
    """A wrk script for GET `path` (or of `paths` in rotation), or POST of
    `bodies` (JSON texts) to `path` in rotation.

    With `vary`, each body gets a `nonce` variable unique to the request."""
    run = secrets.token_hex(8)
    prefixes, suffix = [], ""
    for body in bodies:
        text = json.dumps(body)
        if vary:
            # {"query": ..., "variables": {..., "nonce": "..."}}: cut before the value.
            assert text.endswith("}}")
            head = text[:-2] + (', "nonce": ' if body["variables"] else '"nonce": ')
            prefixes.append(head)
            suffix = "}}"
        else:
            prefixes.append(text)
    quoted = ", ".join(f"[==[{p}]==]" for p in prefixes)
    # Placeholders first: the inserted texts must not be searched for them.
    return (
        LUA.replace("NONCE", "nonce" if vary else '""')
        .replace("AUTHORIZATION", UNCACHED_HEADER_LUA if vary else "")
        .replace("RUN", run)
        .replace("SUFFIX", suffix)
        .replace("{PATHS}", "{" + ", ".join(f"[==[{p}]==]" for p in (paths or [path])) + "}")
        .replace("PATH", path)
        .replace("{PREFIXES}", "{" + quoted + "}")
    )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(url, body=None, timeout=30):
    """(status, parsed JSON) for a GET, or a POST of `body` as JSON."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data else {}
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def apq_extensions(query):
    digest = hashlib.sha256(query.encode()).hexdigest()
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


def persisted_get_path(query, variables):
    params = urllib.parse.urlencode(
        {
            "extensions": json.dumps(apq_extensions(query), separators=(",", ":")),
            "variables": json.dumps(variables, separators=(",", ":")),
        }
    )
    return f"/graphql/?{params}"


class Server:
    """gunicorn with the production settings, and a throwaway Redis if needed."""

    def __init__(self, env, workers, workdir):
        self.env, self.workers, self.workdir = env, workers, workdir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            str(self.workdir / "gunicorn.log"),
        ]
        if self.workers:
            command += ["--workers", str(self.workers)]
        self.process = subprocess.Popen([*command, "cms.wsgi:application"], env=self.env, cwd=ROOT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped:\n{self.log_tail()}")
            try:
                if http(self.base + "/api/ping/", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within 60 s:\n{self.log_tail()}")

    def idle_cpu_seconds(self):
        """Workers' CPU total once they have finished what was sent to them."""
        previous = server_cpu_seconds(self.process.pid)
        for _ in range(100):
            time.sleep(0.2)
            current = server_cpu_seconds(self.process.pid)
            if previous is None or current is None or current - previous < 0.01:
                return current
            previous = current
        return previous

    def log_tail(self):
        path = self.workdir / "gunicorn.log"
        return "".join(path.read_text().splitlines(True)[-30:]) if path.exists() else ""

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _cpu_ticks(pid):
    """(own ticks, ticks of exited children) of a process, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])


def server_cpu_seconds(master_pid):
    """CPU used so far by gunicorn's workers, live and exited (workers are
    recycled after GUNICORN_MAX_REQUESTS; the master reaps them, so their time
    lands in its children's total). Linux only; None elsewhere."""
    try:
        total = _cpu_ticks(master_pid)[1]
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                    if ppid == master_pid:
                        total += _cpu_ticks(int(entry))[0]
                except (OSError, ValueError, IndexError):
                    continue  # exited meanwhile
    except OSError:
        return None
    return total / os.sysconf("SC_CLK_TCK")


def start_redis(workdir):
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("redis-server did not start")


def run_wrk(base, script_path, seconds, connections, threads):
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(script_path),
        base,
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wrk_result(process):
    out, err = process.communicate()
    for line in out.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
            result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
            return result
    raise SystemExit(f"wrk gave no result:\n{out}\n{err}")


class Scenario:
    """One wrk load. `paths`: GET addresses in rotation (else `path`);
    `connections`: its own wrk connections (else --connections); `base`: the
    server it loads (else the benchmark's gunicorn)."""

    def __init__(
        self, name, path, bodies=(), vary=False, check=None, paths=(), connections=None, base=None
    ):
        self.name, self.path, self.bodies, self.vary, self.check = name, path, bodies, vary, check
        self.paths, self.connections, self.base = list(paths), connections, base
        self.server = None  # the gunicorn whose CPU it costs, when not the main one
        self.results = []

    def write_script(self, directory):
        slug = "".join(c if c.isalnum() else "_" for c in self.name)
        self.script = directory / f"{slug}.lua"
        self.script.write_text(lua_script(self.path, self.bodies, self.vary, self.paths))

    def preflight(self, base):
        """One request by hand: it must answer 200 with data and no errors."""
        if self.bodies:
            body = dict(self.bodies[0])
            if self.vary:
                body["variables"] = {**body["variables"], "nonce": secrets.token_hex(8)}
            status, payload = http(base + self.path, body)
        else:
            status, payload = http(base + (self.paths[0] if self.paths else self.path))
        ok = status == 200 and isinstance(payload, dict) and "errors" not in payload
        if ok and self.check:
            ok = self.check(payload)
        if not ok:
            raise SystemExit(f"{self.name}: unexpected answer {status}: {str(payload)[:500]}")

    def median(self, key):
        return statistics.median(result[key] for result in self.results)

    def errors(self):
        return sum(r["bad_status"] + r["graphql_errors"] + r["socket_errors"] for r in self.results)


def benchmark_environment(prefix):
    """Check what a benchmark needs (PostgreSQL in DATABASE_URL, wrk), then
    (work directory, production environment for gunicorn and this process,
    the throwaway Redis started when REDIS_URL is unset, or None)."""
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database.")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk).")
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    redis = None
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "False",  # no TLS proxy in front here
        "LOG_LEVEL": "WARNING",
        # Server and this process read the same image files.
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT", str(ROOT / "media")),
    }
    if not env.get("REDIS_URL") and shutil.which("redis-server"):
        redis, env["REDIS_URL"] = start_redis(workdir)
    return workdir, env, redis


def setup_django(env):
    os.environ.update(env)
    # whitenoise warns that static files are not collected; the API does not need them.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def fill(guides):
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database: this benchmark measures it.")
    # Filling is no web request: lift the production settings' statement
    # timeout for it (as the migrate release step does), on this connection only.
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    call_command("load_demo_content", guides=guides, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("RESET statement_timeout")
    print(f"Content ready in {time.monotonic() - started:.0f} s.", flush=True)


def scenarios(guide_id, hub_slug, apq, wide=50, list_pages=3):
    """The scenarios in run order: each pair a target compares runs back to back.
    `wide`: connections of the tail-latency runs of ping and the cached guide
    (none with 0); `list_pages`: the pages of 20 the lists ask in turn."""
    guide_variables = {"id": str(guide_id)}
    found = [
        Scenario(
            "graphql guide (uncached)",
            "/graphql/",
            [{"query": GUIDE_QUERY, "variables": guide_variables}],
            vary=True,
            check=lambda p: p["data"]["guide"] is not None,
        ),
        Scenario(
            "rest guide",
            f"/api/v2/pages/{guide_id}/",
            check=lambda p: p["id"] == guide_id and p["body"],
        ),
        Scenario("ping", "/api/ping/", check=lambda p: p == {"ok": True}),
    ]
    if apq:
        found.append(
            Scenario(
                "graphql guide (persisted, cached)",
                persisted_get_path(GUIDE_QUERY, guide_variables),
                check=lambda p: p["data"]["guide"] is not None,
            )
        )
    found += [
        Scenario(
            "graphql list of 20 (uncached)",
            "/graphql/",
            [{"query": LIST_QUERY, "variables": {"page": n}} for n in range(1, list_pages + 1)],
            vary=True,
            check=lambda p: len(p["data"]["guides"]["items"]) == 20,
        ),
        Scenario(
            "rest list of 20",
            "/api/v2/pages/",
            paths=[rest_list_path(20 * n) for n in range(list_pages)],
            check=lambda p: len(p["items"]) == 20 and "hero_image" in p["items"][0],
        ),
        Scenario(
            "graphql hub (uncached)",
            "/graphql/",
            [{"query": HUB_QUERY, "variables": {"slug": hub_slug}}],
            vary=True,
            check=lambda p: p["data"]["hub"]["guides"]["items"],
        ),
        Scenario(
            "graphql search (uncached)",
            "/graphql/",
            [{"query": SEARCH_QUERY, "variables": {"q": q}} for q in SEARCHES],
            vary=True,
            check=lambda p: p["data"]["search"]["total"] > 0,
        ),
    ]
    if wide:
        # The tail at 50 connections (ten per worker): p99 against p50.
        found.append(
            Scenario(
                f"ping ({wide} connections)",
                "/api/ping/",
                connections=wide,
                check=lambda p: p == {"ok": True},
            )
        )
        if apq:
            found.append(
                Scenario(
                    f"graphql guide (persisted, cached, {wide} conn.)",
                    persisted_get_path(GUIDE_QUERY, guide_variables),
                    connections=wide,
                    check=lambda p: p["data"]["guide"] is not None,
                )
            )
    return found


# The REST listing asking what the GraphQL list of 20 asks of each card: id,
# title and slug come with every item (slug in `meta`), then the summary, the
# date, the category and cancer types, and the hero image's rendition (the
# API's only rendition of it is 640 pixels wide; GraphQL asks 320). The total
# comes in `meta.total_count`, as GraphQL's `pagination`.
REST_LIST_FIELDS = "summary,published_date,category,cancer_types,hero_image"


def rest_list_path(offset):
    return (
        f"/api/v2/pages/?type=guides.GuidePage&fields={REST_LIST_FIELDS}&limit=20&offset={offset}"
    )


def register_persisted_query(base, guide_id):
    """Send the guide query with its APQ hash once, as Apollo Client does after
    PersistedQueryNotFound. False when the server does not speak APQ."""
    variables = {"id": str(guide_id)}
    status, payload = http(
        base + "/graphql/",
        {"query": GUIDE_QUERY, "variables": variables, "extensions": apq_extensions(GUIDE_QUERY)},
    )
    if status != 200 or "errors" in payload:
        return False
    status, payload = http(base + persisted_get_path(GUIDE_QUERY, variables))
    return status == 200 and "errors" not in payload and payload["data"]["guide"] is not None


def print_table(found, rounds):
    print(f"\nMedian of {rounds} round(s):\n")
    print(
        f"| {'scenario':<34} | {'req/s':>7} | {'p50 ms':>7} | {'p95 ms':>7} | {'p99 ms':>7} "
        f"| {'CPU ms/req':>10} | errors |"
    )
    print(f"| {'-' * 34} | {'-' * 7}:| {'-' * 7}:| {'-' * 7}:| {'-' * 7}:| {'-' * 10}:| ------:|")
    for s in found:
        cpu = f"{s.median('cpu_ms'):10.1f}" if all("cpu_ms" in r for r in s.results) else " " * 10
        print(
            f"| {s.name:<34} | {s.median('rps'):7.0f} | {s.median('p50') / 1000:7.1f} | "
            f"{s.median('p95') / 1000:7.1f} | {s.median('p99') / 1000:7.1f} | {cpu} | {s.errors():6d} |"
        )
    print("\nreq/s in each round (the machine's other load shows here):")
    for s in found:
        print(f"  {s.name:<34} " + " ".join(f"{r['rps']:6.0f}" for r in s.results))


def round_ratio(a, b, key="rps"):
    """Median over rounds of a's figure over b's, each round's pair measured
    back to back (they are adjacent in the run order), so a slow spell on the
    machine weighs on both sides of each ratio."""
    return statistics.median(x[key] / y[key] for x, y in zip(a.results, b.results, strict=True))


def ratio_targets(found):
    by_name = {s.name: s for s in found}
    ping, rest = by_name["ping"], by_name["rest guide"]
    has_cpu = all("cpu_ms" in r for s in found for r in s.results)
    print("\nRatios, median of the rounds' ratios (req/s; server CPU per request when known):")
    for s in found:
        if s is ping or s.connections:
            continue
        line = (
            f"  {s.name:<34} {round_ratio(s, ping):5.2f}x ping   {round_ratio(s, rest):5.2f}x rest"
        )
        if has_cpu and s is not rest:
            line += f"   CPU per request {round_ratio(s, rest, 'cpu_ms'):5.2f}x rest's"
        print(line)
    graphql_list, rest_list = by_name["graphql list of 20 (uncached)"], by_name["rest list of 20"]
    line = f"  {'graphql list of 20 (uncached)':<34} {round_ratio(graphql_list, rest_list):5.2f}x rest list of 20"
    if has_cpu:
        line += f"   CPU per request {round_ratio(graphql_list, rest_list, 'cpu_ms'):5.2f}x its"
    print(line)
    targets = []
    uncached = round_ratio(by_name["graphql guide (uncached)"], rest)
    targets.append(
        ("uncached GraphQL guide >= 2.0x REST guide", uncached >= 2.0, f"{uncached:.2f}x")
    )
    listing = round_ratio(graphql_list, rest_list)
    targets.append(
        ("uncached GraphQL list of 20 >= 2.0x REST list of 20", listing >= 2.0, f"{listing:.2f}x")
    )
    cached_name = "graphql guide (persisted, cached)"
    if cached_name in by_name:
        cached = round_ratio(by_name[cached_name], ping)
        targets.append(("cached GraphQL guide >= 0.8x ping", cached >= 0.8, f"{cached:.2f}x"))
    else:
        targets.append(("cached GraphQL guide >= 0.8x ping", None, "not run: no APQ"))
    wide = [s for s in found if s.connections]
    if wide:
        print("\nTail at more connections (p99 / p50, median of the rounds):")
    for s in wide:
        tail = statistics.median(r["p99"] / max(r["p50"], 1) for r in s.results)
        print(
            f"  {s.name:<46} p50 {s.median('p50') / 1000:6.1f} ms  p99 {s.median('p99') / 1000:7.1f} ms"
            f"  p99/p50 {tail:5.1f}x"
        )
        targets.append((f"{s.name}: p99 <= 3x p50", tail <= 3.0, f"{tail:.1f}x"))
    errors = sum(s.errors() for s in found)
    targets.append(("zero errors in the scenarios", errors == 0, f"{errors} errors"))
    return targets, errors


def measure(scenario, server, seconds, connections, workdir):
    """One wrk run of a scenario, with the CPU gunicorn's workers spent on it."""
    target = scenario.server or server
    base = scenario.base or target.base
    connections = scenario.connections or connections
    scenario.write_script(workdir)  # fresh nonces for this run
    cpu_before = target.idle_cpu_seconds()
    result = wrk_result(run_wrk(base, scenario.script, seconds, connections, 1))
    cpu_after = target.idle_cpu_seconds()
    if cpu_before is not None and cpu_after is not None:
        # When wrk stops, each connection still has a request in the
        # server, which answers it after wrk has counted.
        served = result["requests"] + connections
        result["cpu_ms"] = (cpu_after - cpu_before) * 1000 / served
    scenario.results.append(result)
    return result


def warm_up(found, server, connections, workdir, seconds=1):
    for scenario in found:
        target = scenario.server or server
        base = scenario.base or target.base
        scenario.write_script(workdir)
        scenario.preflight(base)
        # Warm up: renditions, connections, first-use imports in every worker.
        if seconds:
            wrk_result(
                run_wrk(base, scenario.script, seconds, scenario.connections or connections, 1)
            )


def run_rounds(found, server, args, workdir, label=""):
    for round_number in range(args.rounds):
        # Every other round in reverse: no scenario always runs first or
        # last, and the pairs the targets compare stay back to back.
        for scenario in found if round_number % 2 == 0 else found[::-1]:
            measure(scenario, server, args.seconds, args.connections, workdir)
        print(f"  {label}round {round_number + 1}/{args.rounds} done", flush=True)


def guide_read_script(guide_id, apq, workdir):
    """The wrk script of the publish-under-load readers, and the path it reads."""
    variables = {"id": str(guide_id)}
    if apq:
        read_path = persisted_get_path(GUIDE_QUERY, variables)
        script = lua_script(read_path)
    else:
        read_path = "/graphql/"
        script = lua_script(read_path, [{"query": GUIDE_QUERY, "variables": variables}])
    script_path = workdir / "publish_under_load.lua"
    script_path.write_text(script)
    return script_path, read_path


def publish_under_load(server, guide_id, apq, seconds, connections, workdir):
    """Publish a change every second while wrk reads the guide; check each publish
    is visible to the next read. Returns (wrk result, publishes, stale reads, errors)."""
    from guides.models import GuidePage
    from home.management.commands.load_demo_content import publish_as_demo_team

    variables = {"id": str(guide_id)}
    script_path, read_path = guide_read_script(guide_id, apq, workdir)
    load = run_wrk(server.base, script_path, seconds, connections, threads=2)
    readers = [("POST", None)]
    if apq:
        readers.insert(0, ("persisted GET", read_path))
    publishes = stale = errors = 0
    publish_ms, stale_details = [], []
    started = time.monotonic()
    tick = started
    while time.monotonic() - started < seconds - 1:
        tick += 1
        time.sleep(max(0.0, tick - time.monotonic()))
        text = f"Updated under load, change {publishes + 1} ({secrets.token_hex(4)})."
        guide = GuidePage.objects.get(pk=guide_id)
        guide.standfirst = text
        before = time.monotonic()
        publish_as_demo_team(guide)  # through clinical review, as every guide
        publish_ms.append((time.monotonic() - before) * 1000)
        publishes += 1
        for label, path in readers:
            if path:
                status, payload = http(server.base + path)
            else:
                status, payload = http(
                    server.base + "/graphql/",
                    {
                        "query": GUIDE_QUERY,
                        "variables": {**variables, "nonce": secrets.token_hex(8)},
                    },
                )
            if status != 200 or "errors" in payload or not payload["data"]["guide"]:
                errors += 1
                stale_details.append(f"{label}: {status} {str(payload)[:200]}")
            elif payload["data"]["guide"]["standfirst"] != text:
                stale += 1
                stale_details.append(f"{label}: stale after change {publishes}")
    result = wrk_result(load)
    return result, publishes, stale, errors, publish_ms, stale_details, [r[0] for r in readers]


def print_publish_line(label, result):
    errors = result["bad_status"] + result["graphql_errors"] + result["socket_errors"]
    if not result["requests"]:
        # Requests still waiting when wrk stops are not counted as timeouts:
        # a run with no answer at all is an outage, not a quiet run.
        print(f"  {label}: NO READ ANSWERED in the whole run (counted as an error)")
        errors += 1
    print(
        f"  {label}: {result['rps']:.0f} req/s, p50 {result['p50'] / 1000:.1f} ms, "
        f"p99 {result['p99'] / 1000:.1f} ms, errors {errors} "
        f"(non-2xx {result['bad_status']}, GraphQL {result['graphql_errors']}, "
        f"socket {result['socket_errors']})"
    )
    return errors


# Used only while deploy/varnish.vcl does not exist (it is being written on
# main): Varnish's built-in behaviour, which caches a GET without Cookie or
# Authorization for its Cache-Control max-age (the GraphQL GET answers say
# `public, max-age=60`; answers without Cache-Control for default_ttl, 120 s).
STAND_IN_VCL = """vcl 4.1;
# Stand-in written by benchmarks/api_benchmark.py: deploy/varnish.vcl is missing.
backend default { .host = "127.0.0.1"; .port = "8000"; }
"""


def varnish_vcl(source, backend_port, workdir):
    """The VCL (deploy/varnish.vcl, or the stand-in) with its backend at our gunicorn."""
    text = source.read_text() if source.exists() else STAND_IN_VCL
    # The VCL's `backend default { .host = "127.0.0.1"; .port = "8000"; }`
    # points at this run's gunicorn instead.
    text, count = re.subn(
        r'(backend\s+default\s*\{[^}]*?\.port\s*=\s*")\d+(")', rf"\g<1>{backend_port}\g<2>", text
    )
    if not count:
        raise SystemExit(f'{source}: no `backend default {{ .port = "..." }}` to point at gunicorn')
    path = workdir / "varnish.vcl"
    path.write_text(text)
    return path, (str(source) if source.exists() else f"a stand-in VCL (no {source})")


class Varnish:
    def __init__(self, vcl, workdir):
        self.vcl, self.workdir = vcl, workdir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.name = workdir / "varnish"
        self.process = None

    def start(self):
        command = [
            VARNISHD,
            "-F",
            "-a",
            f"127.0.0.1:{self.port}",
            "-f",
            str(self.vcl),
            "-n",
            str(self.name),
            "-s",
            "malloc,64m",
            # No privilege separation: the throwaway working directory and the
            # VCL stay readable whoever runs the benchmark (root included).
            "-j",
            "none",
        ]
        self.log = open(self.workdir / "varnishd.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            command, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"varnishd did not start:\n{(self.workdir / 'varnishd.log').read_text()}")

    def counters(self):
        """(cache hits, misses and passes, backend requests) so far, or None."""
        try:
            out = subprocess.run(
                ["varnishstat", "-n", str(self.name), "-1", "-j"],
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout
            found = json.loads(out)
            found = found.get("counters", found)
            get = lambda name: found[name]["value"]  # noqa: E731
            return (
                get("MAIN.cache_hit"),
                get("MAIN.cache_miss") + get("MAIN.s_pass"),
                get("MAIN.backend_req"),
            )
        except (OSError, ValueError, KeyError, subprocess.SubprocessError):
            return None

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()


def varnish_comparison(server, guide_id, apq, args, workdir):
    """The cached GraphQL guide and the REST guide through Varnish beside
    gunicorn directly. Returns (targets, errors); nothing when varnishd is missing."""
    print("\nThrough Varnish beside gunicorn directly:", flush=True)
    if not VARNISHD:
        print("  SKIPPED: varnishd is not installed (apt-get install varnish varnish-modules).")
        return [("Varnish comparison", None, "skipped: no varnishd")], 0
    vcl, described = varnish_vcl(args.vcl, server.port, workdir)
    varnish = Varnish(vcl, workdir)
    varnish.start()
    try:
        print(f"  varnishd on :{varnish.port} with {described}, backend gunicorn :{server.port}")
        pairs = []
        if apq:
            pairs.append(
                (
                    "graphql guide (persisted, cached)",
                    persisted_get_path(GUIDE_QUERY, {"id": str(guide_id)}),
                    lambda p: p["data"]["guide"] is not None,
                )
            )
        pairs.append(
            (
                "rest guide",
                f"/api/v2/pages/{guide_id}/",
                lambda p: p["id"] == guide_id and p["body"],
            )
        )
        found = []
        for name, path, check in pairs:
            found.append(Scenario(f"{name}, direct", path, check=check))
            found.append(Scenario(f"{name}, via Varnish", path, check=check, base=varnish.base))
        warm_up(found, server, args.connections, workdir, args.warm_up)
        before = varnish.counters()
        run_rounds(found, server, args, workdir, label="Varnish ")
        after = varnish.counters()
    finally:
        varnish.stop()
    print_table(found, args.rounds)
    if before and after:
        hits, misses, backend = (b - a for a, b in zip(before, after, strict=True))
        print(
            f"\nVarnish during the rounds: {hits} hits, {misses} misses or passes, "
            f"{backend} requests to gunicorn"
        )
    print("\nVia Varnish / direct (median of the rounds' ratios):")
    for direct, cached in zip(found[::2], found[1::2], strict=True):
        line = f"  {direct.name[: -len(', direct')]:<34} req/s {round_ratio(cached, direct):6.1f}x"
        if all("cpu_ms" in r for r in direct.results + cached.results):
            line += (
                f"   gunicorn CPU per request {cached.median('cpu_ms'):.3f} ms "
                f"(direct {direct.median('cpu_ms'):.2f} ms)"
            )
        print(line)
    errors = sum(s.errors() for s in found)
    return [("zero errors through Varnish and beside it", errors == 0, f"{errors} errors")], errors


PARTS = ("main", "publish", "varnish", "sizes")

SIZE_SCENARIOS = [
    "graphql guide (uncached)",
    "graphql list of 20 (uncached)",
    "graphql hub (uncached)",
    "graphql search (uncached)",
]


def size_database_url(url, size):
    """The database for one size: the DATABASE_URL's name with `_g<size>`."""
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}_g{size}")), f"{name}_g{size}"


def live_guides(url):
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=10) as connection:
            return connection.execute(
                "SELECT count(*) FROM guides_guidepage g JOIN wagtailcore_page p "
                "ON p.id = g.page_ptr_id WHERE p.live"
            ).fetchone()[0]
    except psycopg.Error:
        return None


def prepare_size_database(env, size, reuse):
    """A database with exactly `size` guides of demo content; kept after the
    run, reused as it is with --reuse when it has that many."""
    import psycopg

    if live_guides(env["DATABASE_URL"]) == size:
        print(f"  {size} guides: the main database", flush=True)
        return dict(env)
    url, name = size_database_url(env["DATABASE_URL"], size)
    count = live_guides(url) if reuse else None
    if count == size:
        print(f"  {name}: reused, {size} guides", flush=True)
    else:
        main_count = live_guides(env["DATABASE_URL"]) or 0
        main_name = urllib.parse.urlsplit(env["DATABASE_URL"]).path.lstrip("/")
        # Larger than the main database: start from a copy of it (a file copy
        # in PostgreSQL, which needs no one connected to it) and add the rest.
        template = f' TEMPLATE "{main_name}"' if 0 < main_count < size else ""
        from django.db import connections

        connections.close_all()
        maintenance = urllib.parse.urlunsplit(
            urllib.parse.urlsplit(env["DATABASE_URL"])._replace(path="/postgres")
        )
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            for attempt in range(20):
                try:
                    connection.execute(f'CREATE DATABASE "{name}"{template}')
                    break
                except psycopg.errors.ObjectInUse:  # a server's connection closing
                    if attempt == 19:
                        raise
                    time.sleep(0.5)
        source = f"a copy of {main_name} ({main_count} guides)" if template else "an empty database"
        print(f"  {name}: filling to {size} guides from {source}…", flush=True)
    started = time.monotonic()
    size_env = {**env, "DATABASE_URL": url}
    # No statement timeout while filling (the servers keep the production one).
    fill_env = {**size_env, "DATABASE_STATEMENT_TIMEOUT": "0"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    # migrate also when reusing: the code may have new migrations since.
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=fill_env, cwd=ROOT, check=True)
    if count != size:
        filling = subprocess.Popen(
            [*manage, "load_demo_content", "--guides", str(size)],
            env=fill_env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for line in filling.stdout:
            if not line.startswith(("    +", "    ~")):  # progress, not each object
                print(f"    {line.rstrip()}", flush=True)
        if filling.wait():
            raise SystemExit(f"load_demo_content --guides {size} failed")
        print(f"  {name} ready in {time.monotonic() - started:.0f} s", flush=True)
    return size_env


def size_comparison(env, sizes, args, workdir):
    """The uncached guide, list of 20, hub and search at each size, one gunicorn
    per size with the same settings, interleaved. Returns (targets, errors)."""
    print(f"\nFlat with size: {', '.join(f'{n:,}' for n in sizes)} guides", flush=True)
    servers, by_size = [], {}
    # Every database first: a copy of the main one needs no server on it.
    size_envs = [prepare_size_database(env, size, args.reuse) for size in sizes]
    try:
        for index, (size, size_env) in enumerate(zip(sizes, size_envs, strict=True)):
            if size_env.get("REDIS_URL"):
                # A Redis database of its own: the same cache keys mean other content.
                parts = urllib.parse.urlsplit(size_env["REDIS_URL"])
                size_env["REDIS_URL"] = urllib.parse.urlunsplit(
                    parts._replace(path=f"/{index + 1}")
                )
            server = Server(size_env, args.workers_used, workdir / f"size-{size}")
            server.workdir.mkdir()
            server.start()
            servers.append(server)
            status, payload = http(
                server.base
                + "/api/v2/pages/?type=guides.GuidePage&slug=asking-for-a-second-opinion"
            )
            guide_id = payload["items"][0]["id"]
            status, payload = http(
                server.base + "/api/v2/pages/?type=guides.GuideIndexPage&limit=1"
            )
            hub_slug = payload["items"][0]["meta"]["slug"]
            # Full pages of 20 at every size: as many pages as the smallest has.
            pages = max(1, min(3, sizes[0] // 20))
            found = {
                s.name: s
                for s in scenarios(guide_id, hub_slug, apq=False, wide=0, list_pages=pages)
            }
            by_size[size] = []
            for name in SIZE_SCENARIOS:
                scenario = found[name]
                scenario.name = f"{name} @ {size}"
                scenario.server = server
                by_size[size].append(scenario)
        # Each scenario at every size back to back, so each ratio between sizes
        # compares runs a few seconds apart.
        ordered = [by_size[size][i] for i in range(len(SIZE_SCENARIOS)) for size in sizes]
        warm_up(ordered, None, args.connections, workdir, args.warm_up)
        run_rounds(ordered, None, args, workdir, label="sizes ")
    finally:
        for server in servers:
            server.stop()
    print_table(ordered, args.rounds)
    small, large = sizes[0], sizes[-1]
    print(
        f"\nLatency per size, median of {args.rounds} round(s), and {large:,} / {small:,} "
        "(median of the rounds' ratios):\n"
    )
    heads = " | ".join(f"p50 @ {n:,}" for n in sizes)
    print(f"| {'scenario':<30} | {heads} | p50 ratio | p99 ratio | CPU ratio | target |")
    print(
        f"| {'-' * 30} | "
        + " | ".join("-" * len(f"p50 @ {n:,}") for n in sizes)
        + " | ---: | ---: | ---: | --- |"
    )
    targets = []
    for i, name in enumerate(SIZE_SCENARIOS):
        first, last = by_size[small][i], by_size[large][i]
        cells = " | ".join(
            f"{by_size[n][i].median('p50') / 1000:{len(f'p50 @ {n:,}') - 3}.1f} ms" for n in sizes
        )
        p50 = round_ratio(last, first, "p50")
        p99 = round_ratio(last, first, "p99")
        cpu = (
            f"{round_ratio(last, first, 'cpu_ms'):8.2f}x"
            if all("cpu_ms" in r for r in first.results + last.results)
            else " " * 9
        )
        passed = 1 / 1.5 <= p50 <= 1.5
        print(
            f"| {name:<30} | {cells} | {p50:8.2f}x | {p99:8.2f}x | {cpu} | "
            f"{'PASS' if passed else 'FAIL'} |"
        )
        targets.append(
            (f"{name}: p50 at {large:,} within 1.5x of {small:,} guides", passed, f"{p50:.2f}x")
        )
    errors = sum(s.errors() for s in ordered)
    targets.append(("zero errors at every size", errors == 0, f"{errors} errors"))
    return targets, errors


def publish_section(server, guide_id, apq, args, workdir):
    """Readers without publishing, then while publishing. Returns (targets, errors)."""
    print(
        f"\nPublish under load: {args.publish_seconds} s, {args.publish_connections} "
        "connections reading the guide, first without publishing, then with one "
        "publish a second…",
        flush=True,
    )
    from guides.models import GuidePage
    from home.management.commands.load_demo_content import publish_as_demo_team

    # One publish first, untimed and unloaded: the first save in a process
    # loads the readability dictionary (textstat's cmudict, ~15 s on a busy
    # machine), which an editor's server has done long before.
    started = time.monotonic()
    publish_as_demo_team(GuidePage.objects.get(pk=guide_id))
    print(f"  first publish in this process (not measured): {time.monotonic() - started:.1f} s")
    script_path, _ = guide_read_script(guide_id, apq, workdir)
    quiet = wrk_result(
        run_wrk(server.base, script_path, args.publish_seconds, args.publish_connections, 2)
    )
    result, publishes, stale, publish_errors, publish_ms, details, readers = publish_under_load(
        server, guide_id, apq, args.publish_seconds, args.publish_connections, workdir
    )
    load_errors = print_publish_line("reads without publishing", quiet)
    load_errors += print_publish_line("reads while publishing  ", result)
    tail = result["p99"] / max(quiet["p99"], 1)
    print(f"  p99 while publishing / p99 without: {tail:.2f}x")
    print(
        f"  publishes: {publishes}, median {statistics.median(publish_ms or [0]):.0f} ms each; "
        f"checked by {' and '.join(readers)} read after each: stale reads {stale}, "
        f"errors {publish_errors}"
    )
    for line in details[:10]:
        print(f"    {line}")
    targets = []
    targets.append(("zero errors under publishing", load_errors + publish_errors == 0, ""))
    targets.append(("zero stale reads after publish", stale == 0, f"{stale} stale"))
    targets.append(
        (
            "readers' p99 while publishing once a second <= 3x p99 without",
            tail <= 3.0,
            f"{tail:.2f}x",
        )
    )
    return targets, load_errors + publish_errors + stale


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--guides", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--wide-connections",
        type=int,
        default=50,
        help="connections of the tail-latency runs of ping and the cached guide (0: none)",
    )
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py)"
    )
    parser.add_argument("--publish-seconds", type=int, default=60)
    parser.add_argument("--publish-connections", type=int, default=50)
    parser.add_argument(
        "--sizes",
        default="100,10000",
        help="guide counts of the flat-with-size comparison, comma-separated, each in its own "
        "database DATABASE_URL's name + _g<N> (empty: skip it)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep a size database that already has that many guides instead of refilling it",
    )
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help=f"which parts to run, comma-separated, of {','.join(PARTS)} (default: all)",
    )
    parser.add_argument(
        "--vcl",
        type=Path,
        default=ROOT / "deploy" / "varnish.vcl",
        help="the VCL of the Varnish part (default deploy/varnish.vcl; a stand-in when missing)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI check that everything runs: 50 guides, 3 s scenarios, one round, 10 s "
        "publishing, sizes 50 and 100 (100: a copy of the 50 plus 50)",
    )
    args = parser.parse_args()
    args.warm_up = 1  # seconds of wrk per scenario before the rounds
    if args.smoke:
        args.warm_up = 0  # one request each still checks the answer
        args.guides, args.rounds, args.seconds = 50, 1, 3
        args.publish_seconds, args.publish_connections, args.connections = 10, 10, 8
        args.sizes, args.reuse = "50,100", True
    args.parts = {part.strip() for part in args.parts.split(",") if part.strip()}
    if args.parts - set(PARTS):
        raise SystemExit(f"--parts: unknown {', '.join(sorted(args.parts - set(PARTS)))}")
    sizes = sorted({int(n) for n in args.sizes.split(",") if n.strip()})
    if len(sizes) == 1:
        raise SystemExit("--sizes needs at least two sizes (or none)")
    run_started = time.monotonic()
    workdir, env, redis = benchmark_environment("api-benchmark-")
    server = None
    try:
        setup_django(env)
        fill(args.guides)
        from guides.models import GuideIndexPage, GuidePage

        guide = GuidePage.objects.live().get(slug="asking-for-a-second-opinion")
        hub_slug = GuideIndexPage.objects.live().order_by("path").first().slug
        workers = args.workers or runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"]
        args.workers_used = workers
        server = Server(env, workers, workdir)
        server.start()
        apq = register_persisted_query(server.base, guide.pk)
        print(
            f"Guides: {GuidePage.objects.live().count()}; gunicorn workers: {workers}; "
            f"cache: {'Redis' if env.get('REDIS_URL') else 'per-process memory'}; "
            f"persisted queries: {'yes' if apq else 'NOT SUPPORTED by this server'}; "
            f"wrk: {args.connections} connections, {args.seconds:g} s per run, {args.rounds} round(s).",
            flush=True,
        )
        targets, failed = [], 0
        if "main" in args.parts:
            found = scenarios(guide.pk, hub_slug, apq, args.wide_connections)
            warm_up(found, server, args.connections, workdir, args.warm_up)
            run_rounds(found, server, args, workdir)
            print_table(found, args.rounds)
            targets, failed = ratio_targets(found)
        if "publish" in args.parts:
            more, errors = publish_section(server, guide.pk, apq, args, workdir)
            targets, failed = targets + more, failed + errors
        if "varnish" in args.parts:
            more, errors = varnish_comparison(server, guide.pk, apq, args, workdir)
            targets, failed = targets + more, failed + errors
        server.stop()  # the sizes start their own servers
        if "sizes" in args.parts and sizes:
            more, errors = size_comparison(env, sizes, args, workdir)
            targets, failed = targets + more, failed + errors

        print("\nTargets:")
        for label, passed, note in targets:
            verdict = "n/a " if passed is None else ("PASS" if passed else "FAIL")
            print(f"  {verdict}  {label}  {note}")
        print(f"\nBenchmark took {time.monotonic() - run_started:.0f} s.")
    finally:
        if server:
            server.stop()
        if redis:
            redis.terminate()
            redis.wait()
        shutil.rmtree(workdir, ignore_errors=True)
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
