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
- ping: /api/ping/, no database: the floor of the stack.

Then "publish under load": wrk reads the guide (persisted GET) for
--publish-seconds at --publish-connections while this process publishes a
change to it every second (save_revision().publish(), as the admin does) and,
as soon as each publish returns, reads it back through GraphQL (persisted GET
and uncached POST) and counts reads that still show the old text.

    createdb api_benchmark                 # or any PostgreSQL database
    DATABASE_URL=postgres://USER@127.0.0.1:5432/api_benchmark \\
        .venv/bin/python benchmarks/api_benchmark.py

    # CI smoke run (50 guides, short scenarios, one round, 10 s of publishing):
    ... benchmarks/api_benchmark.py --smoke

Needs `wrk` (apt-get install wrk). With REDIS_URL unset and `redis-server`
installed, it starts a throwaway Redis so all gunicorn workers and this
process share one cache, as production with several workers must.

Exit status 1 on any error (non-2xx, socket error, GraphQL error) or stale
read; the throughput ratios are printed as PASS/FAIL but never fail the run.
"""

import argparse
import hashlib
import json
import os
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
    return wrk.format("GET", [==[PATH]==])
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


def lua_script(path, bodies=(), vary=False):
    """A wrk script for GET `path`, or POST of `bodies` (JSON texts) in rotation.

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
    def __init__(self, name, path, bodies=(), vary=False, check=None):
        self.name, self.path, self.bodies, self.vary, self.check = name, path, bodies, vary, check
        self.results = []

    def write_script(self, directory):
        slug = "".join(c if c.isalnum() else "_" for c in self.name)
        self.script = directory / f"{slug}.lua"
        self.script.write_text(lua_script(self.path, self.bodies, self.vary))

    def preflight(self, base):
        """One request by hand: it must answer 200 with data and no errors."""
        if self.bodies:
            body = dict(self.bodies[0])
            if self.vary:
                body["variables"] = {**body["variables"], "nonce": secrets.token_hex(8)}
            status, payload = http(base + self.path, body)
        else:
            status, payload = http(base + self.path)
        ok = status == 200 and isinstance(payload, dict) and "errors" not in payload
        if ok and self.check:
            ok = self.check(payload)
        if not ok:
            raise SystemExit(f"{self.name}: unexpected answer {status}: {str(payload)[:500]}")

    def median(self, key):
        return statistics.median(result[key] for result in self.results)

    def errors(self):
        return sum(r["bad_status"] + r["graphql_errors"] + r["socket_errors"] for r in self.results)


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
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    call_command("load_demo_content", guides=guides, verbosity=0)
    print(f"Content ready in {time.monotonic() - started:.0f} s.", flush=True)


def scenarios(guide_id, hub_slug, apq):
    """The scenarios in run order: each pair a target compares runs back to back."""
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
            [{"query": LIST_QUERY, "variables": {"page": n}} for n in (1, 2, 3)],
            vary=True,
            check=lambda p: len(p["data"]["guides"]["items"]) == 20,
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
    return found


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
        if s is ping:
            continue
        line = (
            f"  {s.name:<34} {round_ratio(s, ping):5.2f}x ping   {round_ratio(s, rest):5.2f}x rest"
        )
        if has_cpu and s is not rest:
            line += f"   CPU per request {round_ratio(s, rest, 'cpu_ms'):5.2f}x rest's"
        print(line)
    targets = []
    uncached = round_ratio(by_name["graphql guide (uncached)"], rest)
    targets.append(
        ("uncached GraphQL guide >= 1.0x REST guide", uncached >= 1.0, f"{uncached:.2f}x")
    )
    cached_name = "graphql guide (persisted, cached)"
    if cached_name in by_name:
        cached = round_ratio(by_name[cached_name], ping)
        targets.append(("cached GraphQL guide >= 0.8x ping", cached >= 0.8, f"{cached:.2f}x"))
    else:
        targets.append(("cached GraphQL guide >= 0.8x ping", None, "not run: no APQ"))
    errors = sum(s.errors() for s in found)
    targets.append(("zero errors in the scenarios", errors == 0, f"{errors} errors"))
    return targets, errors


def publish_under_load(server, guide_id, apq, seconds, connections, workdir):
    """Publish a change every second while wrk reads the guide; check each publish
    is visible to the next read. Returns (wrk result, publishes, stale reads, errors)."""
    from guides.models import GuidePage

    variables = {"id": str(guide_id)}
    if apq:
        read_path = persisted_get_path(GUIDE_QUERY, variables)
        script = lua_script(read_path)
    else:
        read_path = "/graphql/"
        script = lua_script(read_path, [{"query": GUIDE_QUERY, "variables": variables}])
    script_path = workdir / "publish_under_load.lua"
    script_path.write_text(script)
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
        guide.save_revision().publish()
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


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--guides", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py)"
    )
    parser.add_argument("--publish-seconds", type=int, default=60)
    parser.add_argument("--publish-connections", type=int, default=50)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI check that everything runs: 50 guides, 3 s scenarios, one round, 10 s publishing",
    )
    args = parser.parse_args()
    if args.smoke:
        args.guides, args.rounds, args.seconds = 50, 1, 3
        args.publish_seconds, args.publish_connections, args.connections = 10, 10, 8
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database.")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk).")

    workdir = Path(tempfile.mkdtemp(prefix="api-benchmark-"))
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
    server = None
    try:
        setup_django(env)
        fill(args.guides)
        from guides.models import GuideIndexPage, GuidePage

        guide = GuidePage.objects.live().get(slug="asking-for-a-second-opinion")
        hub_slug = GuideIndexPage.objects.live().order_by("path").first().slug
        workers = args.workers or runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"]
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
        found = scenarios(guide.pk, hub_slug, apq)
        for scenario in found:
            scenario.write_script(workdir)
            scenario.preflight(server.base)
            # Warm up: renditions, connections, first-use imports in every worker.
            wrk_result(run_wrk(server.base, scenario.script, 1, args.connections, 1))
        for round_number in range(args.rounds):
            # Every other round in reverse: no scenario always runs first or
            # last, and the pairs the targets compare stay back to back.
            for scenario in found if round_number % 2 == 0 else found[::-1]:
                scenario.write_script(workdir)  # fresh nonces for this run
                cpu_before = server.idle_cpu_seconds()
                result = wrk_result(
                    run_wrk(server.base, scenario.script, args.seconds, args.connections, 1)
                )
                cpu_after = server.idle_cpu_seconds()
                if cpu_before is not None and cpu_after is not None:
                    # When wrk stops, each connection still has a request in
                    # the server, which answers it after wrk has counted.
                    served = result["requests"] + args.connections
                    result["cpu_ms"] = (cpu_after - cpu_before) * 1000 / served
                scenario.results.append(result)
            print(f"  round {round_number + 1}/{args.rounds} done", flush=True)
        print_table(found, args.rounds)
        targets, errors = ratio_targets(found)

        print(
            f"\nPublish under load: {args.publish_seconds} s, {args.publish_connections} "
            "connections reading the guide, one publish a second…",
            flush=True,
        )
        result, publishes, stale, publish_errors, publish_ms, details, readers = publish_under_load(
            server, guide.pk, apq, args.publish_seconds, args.publish_connections, workdir
        )
        load_errors = result["bad_status"] + result["graphql_errors"] + result["socket_errors"]
        print(
            f"  reads: {result['rps']:.0f} req/s, p50 {result['p50'] / 1000:.1f} ms, "
            f"p99 {result['p99'] / 1000:.1f} ms, errors {load_errors} "
            f"(non-2xx {result['bad_status']}, GraphQL {result['graphql_errors']}, "
            f"socket {result['socket_errors']})"
        )
        print(
            f"  publishes: {publishes}, median {statistics.median(publish_ms):.0f} ms each; "
            f"checked by {' and '.join(readers)} read after each: stale reads {stale}, "
            f"errors {publish_errors}"
        )
        for line in details[:10]:
            print(f"    {line}")
        targets.append(("zero errors under publishing", load_errors + publish_errors == 0, ""))
        targets.append(("zero stale reads after publish", stale == 0, f"{stale} stale"))

        print("\nTargets:")
        for label, passed, note in targets:
            verdict = "n/a " if passed is None else ("PASS" if passed else "FAIL")
            print(f"  {verdict}  {label}  {note}")
        failed = errors + load_errors + publish_errors + stale
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
