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

Usage: .venv/bin/python .ci/faults.py [--port 55401] [--redis-port 55402] [--http-port 55403]
"""

import argparse
import contextlib
import itertools
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from database_outage import POSTGRES, PYTHON, ROOT, request, serve, stop

LIMIT_SECONDS = 2.0
RECOVERY_SECONDS = 20
CACHED_QUERY = "{ hubs { title url } }"
_nonce = itertools.count()


def probes(detail_id):
    """name -> (path, body); the GraphQL POST is new text each time, so never cached."""
    return {
        "GraphQL uncached": (
            "/graphql/",
            {"query": f"{{ guides(perPage: 2) {{ items {{ title url }} }} }} # {next(_nonce)}"},
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=55401, help="PostgreSQL port")
    parser.add_argument("--redis-port", type=int, default=55402)
    parser.add_argument("--http-port", type=int, default=55403, help="gunicorn port")
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
        pg_pids = postgres_pids(datadir)
        signal_all(pg_pids, signal.SIGSTOP)
        failures += run_probes(args.http_port, "PostgreSQL silent", detail_id, NO_DATABASE)
        time.sleep(2.5)  # past Retry-After: the next requests try the database again
        failures += run_probes(args.http_port, "PostgreSQL still silent", detail_id, NO_DATABASE)
        signal_all(pg_pids, signal.SIGCONT)
        pg_pids = []
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
    finally:
        signal_all(pg_pids, signal.SIGCONT)
        if server is not None and server.poll() is None:
            stop(server)
        redis.stop()
        subprocess.run([POSTGRES, "stop", datadir, str(args.port)], check=False)
    if failures:
        print("\nFAILED:\n" + "\n".join(failures))
        print((workdir / "gunicorn.log").read_text()[-4000:])
        raise SystemExit(1)
    shutil.rmtree(workdir, ignore_errors=True)
    print("\nFaults: every answer within 2 s, recovery without a restart.")


if __name__ == "__main__":
    main()
