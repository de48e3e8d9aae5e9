"""Every request ends within 2 s when PostgreSQL or Redis misbehaves.

Starts a throwaway PostgreSQL (.ci/postgres.sh) and Redis (redis-server) on
their own ports, loads the demo content and serves the app with gunicorn and
the production settings (gunicorn.conf.py, the shared Redis cache). Then, for
PostgreSQL stopped, frozen (SIGSTOP on every server process while the app
holds a connection) and back, and Redis stopped, frozen and back, it prints
the time, status and body of an uncached GraphQL query, a cached GraphQL GET,
/health/, the REST list and detail and /api/ping/, and checks:
- every answer comes within 2 s;
- without PostgreSQL: 503 SERVICE_UNAVAILABLE JSON where the database is
  needed, 200 for the cached GET (from Redis) and /api/ping/;
- without Redis: 200 everywhere, computed from the database;
- after each fault the same gunicorn answers 200 again (no restart).

Then, with several gunicorn workers, no stale answer once Redis is back: for
Redis frozen and Redis stopped (its cache saved to disk first, so the old
answers come back with it), cached answers about a guide, an FAQ and a hub
are read; while Redis is out the guide is unpublished, the FAQ expired and
the hub restricted (each change's retirement fails to reach Redis); after
Redis returns, the answers are read from several threads for a few seconds
and none may show what was changed later than STALE_LIMIT_SECONDS after its
return (cms/caching/pending_retirements.py). The last stale answer's time is
printed: the bound reached.

Usage: .venv/bin/python .ci/faults.py [--port 55401] [--redis-port 55402]
       [--http-port 55403] [--workers-http-port 55404] [--only-stale-answers]
"""

import argparse
import contextlib
import itertools
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from database_outage import POSTGRES, PYTHON, ROOT, request, serve, stop, wait_until_serving

LIMIT_SECONDS = 2.0
RECOVERY_SECONDS = 20
CACHED_QUERY = "{ hubs { title url } }"
_nonce = itertools.count()


def probes(detail_id):
    """name -> (path, body); the GraphQL POST is a new document each time (a
    new alias: the cache key ignores comments and spacing), so never cached."""
    return {
        "GraphQL uncached": (
            "/graphql/",
            {"query": f"{{ n{next(_nonce)}: guides(perPage: 2) {{ items {{ title url }} }} }}"},
        ),
        "GraphQL cached GET": ("/graphql/?query=" + urllib.request.quote(CACHED_QUERY), None),
        "health": ("/health/", None),
        "REST list": ("/api/v2/pages/?type=guides.GuidePage", None),
        "REST detail": (f"/api/v2/pages/{detail_id}/", None),
        "ping": ("/api/ping/", None),
    }


def run_probes(port, label, detail_id, expect):
    """expect: name -> expected status. Returns failures."""
    failures = []
    print(f"{label}:")
    for name, (path, body) in probes(detail_id).items():
        try:
            status, _headers, payload, elapsed = request(port, path, body)
        except OSError as error:  # empty reply, reset, client timeout
            status, payload, elapsed = None, repr(error), float("inf")
        text = str(payload).replace("\n", " ")[:110]
        print(f"  {name:20} {elapsed:6.2f}s  {status}  {text}")
        wanted = expect[name]
        if status != wanted:
            failures.append(f"{label} {name}: {status}, expected {wanted}: {text}")
        elif status == 503:
            code = (payload.get("errors") or [{}])[0].get("extensions", {}).get("code")
            if code != "SERVICE_UNAVAILABLE":
                failures.append(f"{label} {name}: 503 without SERVICE_UNAVAILABLE: {text}")
        elif status == 200 and isinstance(payload, dict) and payload.get("errors"):
            failures.append(f"{label} {name}: errors in a 200: {text}")
        if elapsed > LIMIT_SECONDS:
            failures.append(f"{label} {name}: took {elapsed:.2f}s, over {LIMIT_SECONDS}s")
    return failures


ALL_OK = dict.fromkeys(probes(0), 200)
NO_DATABASE = dict.fromkeys(probes(0), 503) | {"GraphQL cached GET": 200, "ping": 200}


def wait_recovered(port, detail_id, label):
    started = time.monotonic()
    while time.monotonic() - started < RECOVERY_SECONDS:
        statuses = []
        for path, body in probes(detail_id).values():
            try:
                statuses.append(request(port, path, body)[0])
            except OSError:
                statuses.append(None)
        if set(statuses) == {200}:
            print(f"  {label}: all 200 again after {time.monotonic() - started:.2f}s")
            return []
        time.sleep(0.3)
    return [f"{label}: no recovery within {RECOVERY_SECONDS}s"]


def postgres_pids(datadir):
    postmaster = int(Path(datadir, "postmaster.pid").read_text().split()[0])
    children = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(postmaster)], stdout=subprocess.PIPE, text=True
    ).stdout.split()
    return [postmaster, *map(int, children)]


def signal_all(pids, sig):
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


class Redis:
    def __init__(self, port, workdir):
        self.port, self.dir = port, workdir / "redis"
        self.dir.mkdir(exist_ok=True)

    def start(self):
        subprocess.run(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.dir), "--daemonize", "yes"]
            + ["--pidfile", str(self.dir / "redis.pid"), "--logfile", str(self.dir / "log")],
            check=True,
        )
        for _ in range(50):
            if subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True
            ).stdout:
                return
            time.sleep(0.1)
        raise SystemExit("redis-server did not start")

    def pid(self):
        try:
            return int((self.dir / "redis.pid").read_text())
        except (OSError, ValueError):
            return None

    def stop(self):
        pid = self.pid()
        if pid:
            signal_all([pid], signal.SIGCONT)
            signal_all([pid], signal.SIGKILL)
            for _ in range(50):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
            (self.dir / "redis.pid").unlink(missing_ok=True)


STALE_LIMIT_SECONDS = 2.0
STALE_WATCH_SECONDS = 4.0
STALE_WORKERS = 3
STALE_THREADS = 4


def graphql_get(port, query):
    return request(port, "/graphql/?query=" + urllib.request.quote(query))


def server_env(database_url, http_port, workdir, redis_port, workers):
    """The environment `serve` gives gunicorn, with several workers."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "SECRET_KEY": "faults-check-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "PORT": str(http_port),
        "WEB_CONCURRENCY": str(workers),
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
    }


def serve_workers(env, workdir):
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "--config", "gunicorn.conf.py"]
        + ["--access-logfile", str(workdir / "access-workers.log"), "cms.wsgi:application"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "gunicorn.log", "a"),  # noqa: SIM115
    )
    wait_until_serving(int(env["PORT"]), server)
    return server


# The changes an editor or reviewer makes while Redis is out, as the admin does them.
# (`guide, faq, hub = ...` is put in front.)
CHANGES = """
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction
from faqs.models import FAQ
from guides.models import GuidePage
GuidePage.objects.get(slug=guide).unpublish()
faq = FAQ.objects.get(pk=faq)
faq.expire_at = timezone.now()
faq.save()
PageViewRestriction.objects.create(page=Page.objects.get(slug=hub), restriction_type="login")
"""


def targets(port, used, turn):
    """A hub (each in turn), a guide in another hub and an FAQ not used yet,
    with what each cached answer must stop showing once they change."""
    content = graphql_get(
        port,
        "{ hubs { slug guides(perPage: 100) { items { slug } } } faqs(perPage: 100) { items { id } } }",
    )[2]["data"]
    hubs = content["hubs"]
    hub = hubs[turn % len(hubs)]
    guide = next(
        item["slug"]
        for other in hubs
        if other is not hub
        for item in other["guides"]["items"]
        if item["slug"] not in used
    )
    faq = next(item["id"] for item in content["faqs"]["items"] if item["id"] not in used)
    used.update({guide, faq})
    hub_guides = {item["slug"] for item in hub["guides"]["items"]}
    checks = {
        f"guide {guide}": (f'{{ guide(slug: "{guide}") {{ title }} }}', lambda d: d["guide"]),
        f"faq {faq}": (f'{{ faq(id: "{faq}") {{ question }} }}', lambda d: d["faq"]),
        f"hub {hub['slug']}": (
            f'{{ hub(slug: "{hub["slug"]}") {{ title }} }}',
            lambda d: d["hub"],
        ),
        "guides list": (
            "{ guides(perPage: 100) { items { slug } } }",
            lambda d: {i["slug"] for i in d["guides"]["items"]} & (hub_guides | {guide}),
        ),
        "hubs list": (
            "{ hubs { slug } }",
            lambda d: hub["slug"] in {h["slug"] for h in d["hubs"]},
        ),
    }
    return (guide, faq, hub["slug"]), checks


def warm(port, checks):
    """Cache every answer (the first read stores it) and check it shows the content."""
    failures = []
    for name, (query, shows) in checks.items():
        for _ in range(3):
            status, _headers, payload, _elapsed = graphql_get(port, query)
        if status != 200 or not shows(payload["data"]):
            failures.append(f"warming {name}: {status} {str(payload)[:200]}")
    return failures


def watch(port, checks, since):
    """Read every answer from several threads for STALE_WATCH_SECONDS:
    [(seconds since `since`, name)] of the stale ones, and the number read."""
    stale, reads, lock = [], [0], threading.Lock()
    deadline = since + STALE_WATCH_SECONDS

    def reader():
        while time.monotonic() < deadline:
            for name, (query, shows) in checks.items():
                try:
                    status, _headers, payload, _elapsed = graphql_get(port, query)
                except OSError:
                    continue
                at = time.monotonic() - since
                with lock:
                    reads[0] += 1
                    if status != 200 or "data" not in payload:
                        stale.append((at, f"{name}: {status} {str(payload)[:100]}"))
                    elif shows(payload["data"]):
                        stale.append((at, name))

    threads = [threading.Thread(target=reader) for _ in range(STALE_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return stale, reads[0]


def stale_answers_check(database_url, args, workdir, redis):
    """See the module's docstring (the second part)."""
    failures = []
    env = server_env(database_url, args.workers_http_port, workdir, args.redis_port, STALE_WORKERS)
    server = serve_workers(env, workdir)
    port = args.workers_http_port
    used = set()
    try:
        for turn, fault in enumerate(("frozen", "stopped")):
            print(f"\n== Stale answers after Redis {fault}, {STALE_WORKERS} gunicorn workers")
            changed, checks = targets(port, used, turn)
            failures += warm(port, checks)
            if fault == "frozen":
                signal_all([redis.pid()], signal.SIGSTOP)
            else:
                # Kept on disk, the cached answers come back with Redis.
                subprocess.run(["redis-cli", "-p", str(args.redis_port), "save"], check=True)
                redis.stop()
            for query, _shows in checks.values():  # some workers see Redis out
                graphql_get(port, query)
            started = time.monotonic()
            done = manage(env, "shell", "-c", f"guide, faq, hub = {changed!r}\n{CHANGES}")
            print(f"  changed {', '.join(changed)} in {time.monotonic() - started:.2f}s")
            if done.returncode:
                failures.append(f"changes with Redis {fault}: {done.stderr[-3000:]}")
            pending = manage(env, "shell", "-c", PENDING).stdout.strip().splitlines()[-1:]
            print(f"  retirements written down, not yet in Redis: {' '.join(pending)}")
            if fault == "frozen":
                signal_all([redis.pid()], signal.SIGCONT)
            else:
                redis.start()
            back = time.monotonic()
            stale, reads = watch(port, checks, back)
            last = max((at for at, _name in stale), default=None)
            late = [(at, name) for at, name in stale if at > STALE_LIMIT_SECONDS]
            print(
                f"  {reads} answers in {STALE_WATCH_SECONDS:.0f}s after Redis came back: "
                f"{len(stale)} stale"
                + (f", the last {last:.2f}s after" if last is not None else "")
            )
            for at, name in stale[:10]:
                print(f"    stale at {at:.2f}s: {name}")
            failures += [
                f"Redis {fault}: stale answer {at:.2f}s after Redis came back: {name}"
                for at, name in late
            ]
            manage(env, "shell", "-c", UNRESTRICT)  # the next turn restricts another hub
    finally:
        stop(server)
    return failures


def manage(env, *arguments):
    return subprocess.run(
        [PYTHON, "manage.py", *arguments], env=env, cwd=ROOT, capture_output=True, text=True
    )


UNRESTRICT = (
    "from wagtail.models import PageViewRestriction; PageViewRestriction.objects.all().delete()"
)
PENDING = (
    "from cms.models import PendingRetirement as P; "
    "print(P.objects.count(), 'rows,', P.objects.filter(failed=True).count(), 'failed')"
)


def latency_checks(args, datadir, redis, pg_pids):
    """Every answer within LIMIT_SECONDS, PostgreSQL and Redis stopped and frozen."""
    failures = []
    listing = request(args.http_port, "/api/v2/pages/?type=guides.GuidePage")[2]
    detail_id = listing["items"][0]["id"]
    failures += run_probes(args.http_port, "all up", detail_id, ALL_OK)

    print("\n== PostgreSQL stopped")
    subprocess.run([POSTGRES, "stop", datadir, str(args.port)], check=True)
    failures += run_probes(args.http_port, "PostgreSQL stopped", detail_id, NO_DATABASE)
    failures += run_probes(args.http_port, "PostgreSQL still stopped", detail_id, NO_DATABASE)
    subprocess.run([POSTGRES, "resume", datadir, str(args.port)], check=True)
    failures += wait_recovered(args.http_port, detail_id, "PostgreSQL restarted")

    print("\n== PostgreSQL silent (SIGSTOP)")
    failures += run_probes(args.http_port, "before the freeze", detail_id, ALL_OK)
    pg_pids[:] = postgres_pids(datadir)
    signal_all(pg_pids, signal.SIGSTOP)
    failures += run_probes(args.http_port, "PostgreSQL silent", detail_id, NO_DATABASE)
    time.sleep(2.5)  # past Retry-After: the next requests try the database again
    failures += run_probes(args.http_port, "PostgreSQL still silent", detail_id, NO_DATABASE)
    signal_all(pg_pids, signal.SIGCONT)
    pg_pids.clear()
    failures += wait_recovered(args.http_port, detail_id, "PostgreSQL continued")

    print("\n== Redis stopped")
    redis.stop()
    failures += run_probes(args.http_port, "Redis stopped", detail_id, ALL_OK)
    failures += run_probes(args.http_port, "Redis still stopped", detail_id, ALL_OK)
    redis.start()
    failures += wait_recovered(args.http_port, detail_id, "Redis restarted")
    time.sleep(5.5)  # the circuit breaker closes again
    failures += run_probes(args.http_port, "Redis back", detail_id, ALL_OK)

    print("\n== Redis silent (SIGSTOP)")
    signal_all([redis.pid()], signal.SIGSTOP)
    failures += run_probes(args.http_port, "Redis silent", detail_id, ALL_OK)
    failures += run_probes(args.http_port, "Redis still silent", detail_id, ALL_OK)
    signal_all([redis.pid()], signal.SIGCONT)
    time.sleep(5.5)
    failures += wait_recovered(args.http_port, detail_id, "Redis continued")
    failures += run_probes(args.http_port, "Redis back", detail_id, ALL_OK)
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=55401, help="PostgreSQL port")
    parser.add_argument("--redis-port", type=int, default=55402)
    parser.add_argument("--http-port", type=int, default=55403, help="gunicorn port")
    parser.add_argument(
        "--workers-http-port", type=int, default=55404, help="gunicorn port, several workers"
    )
    parser.add_argument(
        "--only-stale-answers", action="store_true", help="only the stale-answer check"
    )
    args = parser.parse_args()
    os.chdir(ROOT)
    workdir = Path(tempfile.mkdtemp(prefix="faults-"))
    workdir.chmod(0o755)  # the postgres user runs the cluster inside it
    datadir = str(workdir / "pgdata")
    redis = Redis(args.redis_port, workdir)
    failures, server, pg_pids = [], None, []
    database_url = subprocess.run(
        [POSTGRES, "start", datadir, str(args.port)], check=True, stdout=subprocess.PIPE, text=True
    ).stdout.split()[-1]
    try:
        redis.start()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        }
        subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], env=env, check=True)
        subprocess.run([PYTHON, "manage.py", "load_demo_content"], env=env, check=True)
        os.environ["REDIS_URL"] = f"redis://127.0.0.1:{args.redis_port}/0"  # serve() passes it on
        server = serve(database_url, args.http_port, workdir)
        if not args.only_stale_answers:
            failures += latency_checks(args, datadir, redis, pg_pids)
        stop(server)
        failures += stale_answers_check(database_url, args, workdir, redis)
    finally:
        signal_all(pg_pids, signal.SIGCONT)
        if server is not None and server.poll() is None:
            stop(server)
        redis.stop()
        subprocess.run([POSTGRES, "stop", datadir, str(args.port)], check=False)
    report(failures, workdir)


def report(failures, workdir):
    if failures:
        print("\nFAILED:\n" + "\n".join(failures))
        print((workdir / "gunicorn.log").read_text()[-4000:])
        raise SystemExit(1)
    shutil.rmtree(workdir, ignore_errors=True)
    print(
        "\nFaults: every answer within 2 s, recovery without a restart, "
        f"no stale answer {STALE_LIMIT_SECONDS:.0f} s after Redis came back."
    )


if __name__ == "__main__":
    main()
