"""The CDN tier proven with a real Varnish (Debian's varnish + varnish-modules' xkey).

Serves the demo content with gunicorn (production settings, CDN=varnish)
behind varnishd running deploy/varnish.vcl, then, from this process acting as
the editor (Django set up on the same database and Redis, so its signal
handlers purge Varnish as the admin's would):

1. warms GraphQL GETs (guide A, guide B, A's hub, the list of guides) and the
   REST details of A and B through Varnish: each is a MISS, then a HIT; a
   client accepting nothing, gzip, or brotli gets that coding (gzip done by
   Varnish, brotli a variant of its own), each the same answer;
2. publishes a change to guide A: as soon as the publish returns, A's answer,
   its hub's and the list's show the change through Varnish (0 stale, for
   every kind of client), and
   B's GraphQL and REST answers are still Varnish HITs;
3. publishes A PUBLISH_ROUNDS more times while reader threads read A through
   Varnish; after each publish returns, every read shows the new title;
4. unpublishes A: through Varnish it is gone at once (null / 404, not in
   the list), and B is still a HIT;
5. with the HTTPS redirect on (as in production), a plain-HTTP request is
   redirected and that redirect is never kept: HTTPS clients of the same URL
   then get the answer, not a redirect to themselves.

Every request says it came over HTTPS (X-Forwarded-Proto, as the TLS proxy
in front of Varnish sets it) unless it says otherwise.

Usage: .venv/bin/python .ci/varnish_check.py [--port 8150] [--varnish-port 8151]
Needs varnishd and REDIS_URL (or redis-server to start one); DATABASE_URL
defaults to a throwaway SQLite file.
"""

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PUBLISH_ROUNDS = 10


# Accept-Encoding of the three kinds of client: none, gzip only, brotli too.
ENCODINGS = {"identity": None, "gzip": "gzip", "br": "gzip, deflate, br"}


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


OPENER = urllib.request.build_opener(NoRedirects)


def fetch(port, path, accept_encoding=None, scheme="https"):
    """(status, headers, body text, decoded as its Content-Encoding says)."""
    headers = {"Accept": "application/json", "X-Forwarded-Proto": scheme}
    if accept_encoding:
        headers["Accept-Encoding"] = accept_encoding
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with OPENER.open(request, timeout=10) as response:
            status, headers, content = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, content = error.code, error.headers, error.read()
    coding = headers.get("Content-Encoding")
    if coding == "gzip":
        content = gzip.decompress(content)
    elif coding == "br":
        content = brotli.decompress(content)
    return status, headers, content.decode()


def graphql_path(query):
    return "/graphql/?" + urllib.parse.urlencode({"query": query})


def wait_for(port, path, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if fetch(port, path)[0] < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{what} did not start on port {port}")


def start_redis(workdir):
    if os.environ.get("REDIS_URL"):
        return None, os.environ["REDIS_URL"]
    if not shutil.which("redis-server"):
        raise SystemExit("needs REDIS_URL or redis-server: the editor and gunicorn share the cache")
    port = 8159
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return process, f"redis://127.0.0.1:{port}/3"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--varnish-port", type=int, default=8151)
    args = parser.parse_args()
    if not shutil.which("varnishd") and not Path("/usr/sbin/varnishd").exists():
        raise SystemExit("varnishd not found: apt-get install varnish varnish-modules")
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"

    workdir = Path(tempfile.mkdtemp(prefix="ci-varnish."))
    workdir.chmod(0o755)  # varnishd (started as root) reads the VCL as its own user
    processes = []
    redis_process, redis_url = start_redis(workdir)
    if redis_process:
        processes.append(redis_process)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "varnish-check-only-" + os.urandom(8).hex(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/varnish.sqlite3",
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "GRAPHQL_RESPONSE_CACHE_ENABLED": "true",
        "CDN": "varnish",
        "CDN_PURGE_URL": f"http://127.0.0.1:{args.varnish_port}",
        "CACHE_KEY_PREFIX": "varnish-check",
    }
    os.environ.update(env)
    try:
        print("-- database and demo content", flush=True)
        for command in (["migrate", "--noinput"], ["load_demo_content"]):
            subprocess.run(
                [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
            )
        print(f"-- gunicorn on {args.port}, varnishd on {args.varnish_port}", flush=True)
        processes.append(
            subprocess.Popen(
                [
                    str(ROOT / ".venv/bin/gunicorn"),
                    "--config",
                    "gunicorn.conf.py",
                    "--bind",
                    f"127.0.0.1:{args.port}",
                    "--workers",
                    "2",
                    "--no-control-socket",
                    "cms.wsgi:application",
                ],
                cwd=ROOT,
                env=env,
                stdout=open(workdir / "gunicorn.log", "w"),  # noqa: SIM115
                stderr=subprocess.STDOUT,
            )
        )
        wait_for(args.port, "/health/", "gunicorn")
        vcl = (ROOT / "deploy" / "varnish.vcl").read_text()
        vcl = vcl.replace('.port = "8000";', f'.port = "{args.port}";')
        (workdir / "varnish.vcl").write_text(vcl)
        processes.append(
            subprocess.Popen(
                [
                    varnishd,
                    "-F",
                    "-a",
                    f"127.0.0.1:{args.varnish_port}",
                    "-f",
                    str(workdir / "varnish.vcl"),
                    "-n",
                    str(workdir / "varnish"),
                    "-s",
                    "malloc,64m",
                ],
                stdout=open(workdir / "varnish.log", "w"),  # noqa: SIM115
                stderr=subprocess.STDOUT,
            )
        )
        wait_for(args.varnish_port, "/health/", "varnishd")
        failures = check(args.port, args.varnish_port)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if os.environ.get("CI_KEEP_LOGS"):
            print(f"logs in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print(f"FAIL: {len(failures)} check(s) failed")
        for failure in failures:
            print(" -", failure)
        sys.exit(1)
    print("every Varnish check passed")


def check(port, varnish):
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from guides.models import GuidePage, RelatedGuide

    guides = list(GuidePage.objects.live().order_by("path"))
    a = guides[0]
    # B: a guide with no link to or from A, whose answers A's changes must leave alone.
    linked = set(RelatedGuide.objects.filter(page=a).values_list("guide", flat=True))
    linked |= set(RelatedGuide.objects.filter(guide=a).values_list("page", flat=True))
    b = next(guide for guide in guides[1:] if guide.pk not in linked)
    hub = a.get_parent().specific
    failures = []

    def expect(condition, message):
        print(("  ok   " if condition else "  FAIL ") + message, flush=True)
        if not condition:
            failures.append(message)

    reads = {
        "guide A": graphql_path(f"{{ guide(id: {a.pk}) {{ title summary hub {{ title }} }} }}"),
        "guide B": graphql_path(f"{{ guide(id: {b.pk}) {{ title summary hub {{ title }} }} }}"),
        "A's hub": graphql_path(
            f"{{ hub(id: {hub.pk}) {{ title guides(perPage: 50) {{ items {{ title }} }} }} }}"
        ),
        "guide list": graphql_path("{ guides(perPage: 50) { items { title } } }"),
        "REST A": f"/api/v2/pages/{a.pk}/?fields=title",
        "REST B": f"/api/v2/pages/{b.pk}/?fields=title",
    }
    print("-- 1. warm through Varnish: a MISS, then a HIT", flush=True)
    for name, path in reads.items():
        first = fetch(varnish, path)
        second = fetch(varnish, path)
        expect(first[0] == 200 and second[0] == 200, f"{name}: 200 ({first[0]}, {second[0]})")
        expect(
            second[1].get("X-Cache") == "HIT",
            f"{name}: a HIT the second time ({second[1].get('X-Cache')})",
        )
    print("-- 1b. each client gets its own coding through Varnish, the same answer", flush=True)
    for name in ("guide list", "REST A"):
        plain = fetch(varnish, reads[name])[2]
        for kind, accept_encoding in ENCODINGS.items():
            fetch(varnish, reads[name], accept_encoding)
            status, headers, body = fetch(varnish, reads[name], accept_encoding)
            coding = headers.get("Content-Encoding") or "identity"
            expect(
                status == 200 and coding == kind and body == plain,
                f"{name}, {kind} client: {coding}, a {headers.get('X-Cache')}, same answer",
            )
            expect(
                "accept-encoding" in headers.get("Vary", "").lower(),
                f"{name}, {kind} client: Vary names Accept-Encoding",
            )
    direct = fetch(port, reads["guide A"])[1]
    expect("xkey" in direct and f"page:{a.pk}" in direct["xkey"], "gunicorn names the tags in xkey")
    expect("s-maxage=" in direct.get("Cache-Control", ""), "gunicorn sends s-maxage")

    print("-- 2. publish a change to guide A", flush=True)
    title = publish(a, "after the first publish")
    for name in ("guide A", "A's hub", "guide list", "REST A"):
        for kind, accept_encoding in ENCODINGS.items():
            status, headers, body = fetch(varnish, reads[name], accept_encoding)
            origin = "fresh" if title in fetch(port, reads[name])[2] else "stale"
            expect(
                title in body,
                f"{name}, {kind} client, shows the change at once"
                f" (X-Cache {headers.get('X-Cache')}, gunicorn {origin})",
            )
    for name in ("guide B", "REST B"):
        expect(
            fetch(varnish, reads[name])[1].get("X-Cache") == "HIT",
            f"{name} is still a HIT (tags: {fetch(port, reads[name])[1].get('xkey')})",
        )

    print(f"-- 3. {PUBLISH_ROUNDS} publishes of A while readers read it", flush=True)
    stop = threading.Event()
    read_count = [0]

    def reader():
        while not stop.is_set():
            fetch(varnish, reads["guide A"])
            read_count[0] += 1

    threads = [threading.Thread(target=reader, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    stale = []
    for round_number in range(PUBLISH_ROUNDS):
        title = publish(a, f"round {round_number}")
        for name in ("guide A", "guide list", "REST A"):
            for kind, accept_encoding in ENCODINGS.items():
                if title not in fetch(varnish, reads[name], accept_encoding)[2]:
                    stale.append(f"{name} ({kind}) after round {round_number}")
        time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    expect(
        not stale,
        f"0 stale reads after {PUBLISH_ROUNDS} publishes ({stale or 0}; {read_count[0]} reads beside)",
    )

    print("-- 4. unpublish guide A", flush=True)
    a.refresh_from_db()
    a.unpublish()
    body = fetch(varnish, reads["guide A"])[2]
    expect(json.loads(body)["data"]["guide"] is None, "guide A is null at once")
    expect(a.title not in fetch(varnish, reads["guide list"])[2], "the list no longer shows A")
    expect(fetch(varnish, reads["REST A"])[0] == 404, "REST A is a 404 at once")
    expect(fetch(varnish, reads["guide B"])[1].get("X-Cache") == "HIT", "guide B is still a HIT")

    print("-- 5. a plain-HTTP request cannot make HTTPS clients loop on a redirect", flush=True)
    for name in ("guide B", "REST B", "guide list"):
        fetch(varnish, reads[name])  # already cached over HTTPS, or cached now
        path = reads[name] + ("&" if "?" in reads[name] else "?") + "poison=1"
        for attempt in range(2):
            status, headers, _body = fetch(varnish, path, scheme="http")
            expect(
                status == 301 and headers.get("X-Cache") == "MISS",
                f"{name}, plain HTTP #{attempt + 1}: a 301 not kept ({status}, "
                f"{headers.get('X-Cache')}, Cache-Control {headers.get('Cache-Control')})",
            )
        for accept_encoding in ENCODINGS.values():
            status, headers, _body = fetch(varnish, path, accept_encoding)
            expect(
                status == 200,
                f"{name}, HTTPS after the plain request: 200 ({status} {headers.get('Location')})",
            )
        expect(
            fetch(varnish, reads[name])[1].get("X-Cache") == "HIT",
            f"{name}: the HTTPS answer cached before is still a HIT",
        )
    return failures


def publish(guide, suffix):
    from home.management.commands.load_demo_content import publish_as_demo_team

    guide.refresh_from_db()
    guide.title = f"{guide.title.split('  - ')[0]}  - {suffix}"
    publish_as_demo_team(guide)  # through clinical review, as every guide
    return guide.title


if __name__ == "__main__":
    main()
