"""Slow clients cannot stop the service: gunicorn as deployed, a dozen trickling connections.

Serves the app with gunicorn.conf.py and the production settings (its worker
class, thread count and worker count as deployed: nothing is overridden but
the address), then opens --clients connections to it that never finish their
request, half of them trickling header lines and half a POST body, one piece
every second, and meanwhile asks /api/ping/ on new connections for --seconds,
timing each answer. It fails if a ping fails or takes over --limit seconds.

With sync workers each such connection holds a whole worker until gunicorn's
timeout kills it (60 s), so a dozen of them stop the service; with threaded
workers (gthread) each holds one thread and the rest keep answering.

Usage: .venv/bin/python .ci/slow_clients.py [--port 8143] [--clients 12] [--seconds 20]
Everything is on 127.0.0.1; the number of clients and the duration are capped.
"""

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
MAX_CLIENTS = 64
MAX_SECONDS = 120


def ping(port, timeout):
    """(status, seconds) of GET /api/ping/ on a new connection, as over HTTPS via the proxy."""
    started = time.monotonic()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", "/api/ping/", headers={"X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        connection.close()


def wait_until_serving(port, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            if ping(port, timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


class SlowClient(threading.Thread):
    """A connection that starts a request and sends one more piece each second, never ending it."""

    def __init__(self, port, number, stop):
        super().__init__(daemon=True)
        self.port, self.number, self.stop = port, number, stop
        self.kind = "headers" if number % 2 == 0 else "body"
        self.pieces = 0
        self.closed_by_server = False

    def start_request(self):
        head = f"Host: {HOST}\r\nX-Forwarded-Proto: https\r\nUser-Agent: slow-{self.number}\r\n"
        if self.kind == "headers":
            return f"GET /api/ping/ HTTP/1.1\r\n{head}".encode()  # no blank line: unfinished
        return (
            f"POST /graphql/ HTTP/1.1\r\n{head}Content-Type: application/json\r\n"
            "Content-Length: 2000\r\n\r\n{"
        ).encode()

    def piece(self):
        if self.kind == "headers":
            return f"X-Trickle-{self.pieces}: a\r\n".encode()
        return b" "

    def run(self):
        with socket.create_connection((HOST, self.port), timeout=5) as sock:
            try:
                sock.sendall(self.start_request())
                while not self.stop.wait(1.0):
                    sock.sendall(self.piece())
                    self.pieces += 1
            except OSError:
                self.closed_by_server = True


def serve(port, workdir):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "slow-clients-check-" + os.urandom(8).hex(),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/slow.sqlite3",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
    }
    env.pop("WEB_CONCURRENCY", None)  # the worker count as deployed
    log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "--config", "gunicorn.conf.py"]
        + ["--bind", f"{HOST}:{port}", "--no-control-socket", "cms.wsgi:application"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_until_serving(port, server)
    return server


def measure(port, seconds, limit):
    """Pings every 0.1 s for `seconds`: (latencies, failures)."""
    latencies, failures = [], []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, elapsed = ping(port, timeout=limit + 10)
        except OSError as error:
            failures.append(f"ping: {error!r}")
            latencies.append(float("inf"))
            continue
        latencies.append(elapsed)
        if status != 200:
            failures.append(f"ping: {status}")
        if elapsed > limit:
            failures.append(f"ping took {elapsed:.2f}s, over {limit}s")
        time.sleep(0.1)
    return latencies, failures


def summary(latencies):
    finite = sorted(x for x in latencies if x != float("inf"))
    if not finite:
        return "no answer"
    return (
        f"{len(latencies)} pings, median {statistics.median(finite) * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8143)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--limit", type=float, default=1.0, help="slowest ping allowed, seconds")
    args = parser.parse_args()
    clients = min(args.clients, MAX_CLIENTS)
    seconds = min(args.seconds, MAX_SECONDS)
    workdir = Path(tempfile.mkdtemp(prefix="ci-slow-clients."))
    server = serve(args.port, workdir)
    stop = threading.Event()
    slow = []
    failures = []
    try:
        baseline, failures_before = measure(args.port, 2, args.limit)
        print(f"before: {summary(baseline)}", flush=True)
        failures += failures_before
        slow = [SlowClient(args.port, number, stop) for number in range(clients)]
        for client in slow:
            client.start()
        time.sleep(1.5)  # every slow request under way before the first ping
        kinds = ", ".join(f"{sum(c.kind == k for c in slow)} {k}" for k in ("headers", "body"))
        print(f"{clients} slow clients ({kinds}) for {seconds:.0f}s", flush=True)
        latencies, failures_during = measure(args.port, seconds, args.limit)
        print(f"during: {summary(latencies)}", flush=True)
        failures += failures_during
        still_sending = sum(not c.closed_by_server for c in slow)
        print(f"slow clients still sending at the end: {still_sending} of {clients}")
    finally:
        stop.set()
        for client in slow:
            client.join(timeout=5)
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    if failures:
        print(f"\nFAILED: {len(failures)} problem(s); first ones:")
        print("\n".join(failures[:10]))
        print((workdir / "gunicorn.log").read_text()[-2000:])
        shutil.rmtree(workdir, ignore_errors=True)
        raise SystemExit(1)
    shutil.rmtree(workdir, ignore_errors=True)
    print("Slow clients: /api/ping/ answered quickly throughout.")


if __name__ == "__main__":
    main()
