"""The service under gunicorn, as in production, while its PostgreSQL goes away.

Starts a throwaway PostgreSQL cluster on its own port (with .ci/postgres.sh),
loads the demo content, serves the app with gunicorn.conf.py and checks that:
- with the database up, GraphQL and /health/ answer 200, a page address its
  headless 404 (no public HTML);
- with the database stopped, every one of them answers a 503 JSON error with
  the SERVICE_UNAVAILABLE code and a Retry-After header within 2 seconds;
- once the database is back, the same server answers 200 with data again;
- with the database on a server that accepts connections and never answers,
  or on an unreachable (blackholed) address, the answer is the same 503
  within 2 seconds as well: the connect timeout bounds the wait.

Usage: .venv/bin/python .ci/database_outage.py [--port 54339] [--http-port 8139]
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES = str(ROOT / ".ci" / "postgres.sh")
LIMIT_SECONDS = 2.0
BLACKHOLE = "10.255.255.1"  # non-routable: packets go nowhere, nothing refuses them
GRAPHQL_QUERY = "{ hubs { title } }"


def request(port, path, body=None):
    """(status, headers, parsed JSON or text, seconds taken)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        headers={"Accept": "application/json"}
        | ({"Content-Type": "application/json"} if data is not None else {}),
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            status, headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, raw = error.code, error.headers, error.read()
    elapsed = time.monotonic() - started
    try:
        payload = json.loads(raw)
    except ValueError:
        payload = raw.decode(errors="replace")
    return status, headers, payload, elapsed


REQUESTS = {
    "GraphQL POST": ("/graphql/", {"query": GRAPHQL_QUERY}),
    "GraphQL GET": ("/graphql/?query=" + urllib.request.quote(GRAPHQL_QUERY), None),
    "health check": ("/health/", None),
    "page": ("/", None),
    "admin": ("/admin/login/", None),
}


def check_unavailable(port, label, limit=LIMIT_SECONDS):
    failures = []
    for name, (path, body) in REQUESTS.items():
        status, headers, payload, elapsed = request(port, path, body)
        print(f"  {label}: {name} -> {status} in {elapsed:.2f}s")
        code = None
        if isinstance(payload, dict):
            code = (payload.get("errors") or [{}])[0].get("extensions", {}).get("code")
        if status != 503 or code != "SERVICE_UNAVAILABLE" or not headers.get("Retry-After"):
            failures.append(f"{label} {name}: {status} {str(payload)[:200]}")
        if elapsed > limit:
            failures.append(f"{label} {name}: took {elapsed:.2f}s, over {limit}s")
    return failures


def check_available(port, label):
    failures = []
    status, _headers, payload, _elapsed = request(port, "/graphql/", {"query": GRAPHQL_QUERY})
    hubs = payload.get("data", {}).get("hubs") if isinstance(payload, dict) else None
    print(f"  {label}: GraphQL -> {status}, {len(hubs or [])} hubs")
    if status != 200 or not hubs or "errors" in payload:
        failures.append(f"{label} GraphQL: {status} {str(payload)[:300]}")
    # A page address is a 404 with no FRONTEND_BASE_URL (no public HTML), not a 503.
    for name, expected in (("health check", 200), ("page", 404)):
        path, _body = REQUESTS[name]
        status, _headers, payload, _elapsed = request(port, path)
        print(f"  {label}: {name} -> {status}")
        if status != expected:
            failures.append(f"{label} {name}: {status} {str(payload)[:300]}")
    return failures


def wait_until_serving(port, server, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            request(port, "/health/")
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def serve(database_url, http_port, workdir):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "database-outage-check-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "PORT": str(http_port),
        # One worker: each request goes to the process that saw the outage.
        "WEB_CONCURRENCY": "1",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
    }
    if not (workdir / "static").exists():
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env, check=True
        )
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "--config", "gunicorn.conf.py"]
        + ["--access-logfile", str(workdir / "access.log"), "cms.wsgi:application"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "gunicorn.log", "w"),  # noqa: SIM115
    )
    wait_until_serving(http_port, server)
    return server


def stop(server):
    server.terminate()
    server.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=54339, help="port of the throwaway PostgreSQL")
    parser.add_argument("--http-port", type=int, default=8139, help="port gunicorn listens on")
    args = parser.parse_args()
    os.chdir(ROOT)
    workdir = Path(tempfile.mkdtemp(prefix="database-outage-"))
    workdir.chmod(0o755)  # the postgres user runs the cluster inside it
    datadir = str(workdir / "pgdata")
    failures = []
    database_url = subprocess.run(
        [POSTGRES, "start", datadir, str(args.port)], check=True, stdout=subprocess.PIPE, text=True
    ).stdout.split()[-1]
    server = None
    try:
        env = {**os.environ, "DATABASE_URL": database_url}
        env["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
        subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], env=env, check=True)
        subprocess.run([PYTHON, "manage.py", "load_demo_content"], env=env, check=True)
        server = serve(database_url, args.http_port, workdir)

        print("Database up")
        failures += check_available(args.http_port, "up")

        subprocess.run([POSTGRES, "stop", datadir, str(args.port)], check=True)
        print("Database stopped")
        failures += check_unavailable(args.http_port, "stopped")
        # Again after the first failures: still quick, still 503.
        failures += check_unavailable(args.http_port, "still stopped")

        subprocess.run([POSTGRES, "resume", datadir, str(args.port)], check=True)
        started = time.monotonic()
        print("Database started again")
        while time.monotonic() - started < 15:
            status, *_ = request(args.http_port, "/graphql/", {"query": GRAPHQL_QUERY})
            if status == 200:
                break
            time.sleep(0.2)
        print(f"  recovered after {time.monotonic() - started:.2f}s")
        failures += check_available(args.http_port, "back")
        stop(server)

        retry_after = int(os.environ.get("DATABASE_UNAVAILABLE_RETRY_AFTER", "2"))
        # A server that accepts the connection and never answers, and an address
        # packets go to and never come back from: only the connect timeout ends the wait.
        with socket.create_server(("127.0.0.1", 0), backlog=16) as silent:
            for label, address in (
                ("silent server", f"127.0.0.1:{silent.getsockname()[1]}"),
                ("unreachable address", f"{BLACKHOLE}:5432"),
            ):
                print(f"Database: {label} ({address})")
                server = serve(f"postgres://postgres@{address}/guides", args.http_port, workdir)
                time.sleep(retry_after + 0.5)  # let the start-up request's failure expire
                # The first request waits for the connect timeout (1.5 s; cms/postgresql) ...
                failures += check_unavailable(args.http_port, label)
                # ... the next ones, within Retry-After, answer at once.
                failures += check_unavailable(args.http_port, f"{label} again", limit=0.5)
                stop(server)
    finally:
        if server is not None and server.poll() is None:
            stop(server)
        subprocess.run([POSTGRES, "stop", datadir, str(args.port)], check=False)
    if failures:
        print("\nFAILED:\n" + "\n".join(failures))
        print((workdir / "gunicorn.log").read_text()[-3000:])
        raise SystemExit(1)
    print("Database outage: every check passed.")


if __name__ == "__main__":
    main()
