"""Property-based fuzzing of the REST API with schemathesis, from the
checked-in OpenAPI description (docs/rest-openapi.yaml), against a live
gunicorn serving the app with the demo content loaded.

Every operation (/api/ping/, /api/v2/pages/, /api/v2/pages/{id}/,
/api/v2/pages/find/) gets requests generated from its parameters, valid ones
and (with --negative, the default) ones that break the description. Checks:
no server error, responses conform to the description (documented status
code, content type and body schema), every 4xx is JSON `{"message": ...}`.
Bounded by --examples per operation and mode and --max-seconds overall.

Usage: DATABASE_URL=... .venv/bin/python .ci/rest_fuzz.py [--examples 50] [--at-least 300] [--port 55510]
(the database is migrated and given the demo content first; without
DATABASE_URL a throwaway SQLite file is used.)
"""

import argparse
import collections
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "docs" / "rest-openapi.yaml"


def configure():
    """The production settings, serving plain HTTP on localhost."""
    workdir = tempfile.mkdtemp(prefix="rest-fuzz-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/fuzz.sqlite3")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="rest-fuzzing-only",
        ALLOWED_HOSTS="localhost,127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        MEDIA_ROOT=f"{workdir}/media",
        STATIC_ROOT=f"{workdir}/static",
    )
    os.makedirs(f"{workdir}/static")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return workdir


def start_server(port, workdir):
    """gunicorn on 127.0.0.1:port, one worker; its log in workdir/gunicorn.log."""
    log = open(Path(workdir) / "gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "cms.wsgi:application",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=os.environ.copy(),
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/ping/", timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not start; see {log.name}")


def error_body_problems(response):
    """What is wrong with a 4xx answer's body (empty when fine)."""
    if not 400 <= response.status_code < 500:
        return []
    try:
        body = json.loads(response.content)
    except ValueError:
        return [f"4xx not JSON: {response.content[:200]!r}"]
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return [f"4xx without a message: {str(body)[:200]}"]
    if "Traceback" in response.text or 'File "' in response.text:
        return ["4xx with a traceback"]
    return []


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=50, help="requests per operation and mode")
    parser.add_argument("--at-least", type=int, default=300, help="fail under this many requests")
    parser.add_argument("--max-seconds", type=float, default=300, help="stop generating after this")
    parser.add_argument("--port", type=int, default=55510)
    parser.add_argument("--no-negative", action="store_true", help="valid requests only")
    parser.add_argument("--seed", type=int, default=None, help="for a reproducible run")
    args = parser.parse_args()

    workdir = configure()
    logging.disable(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115

    import requests
    import schemathesis
    from hypothesis import HealthCheck, given, seed, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    base_url = f"http://127.0.0.1:{args.port}"
    schema = schemathesis.openapi.from_path(SPEC)
    server = start_server(args.port, workdir)
    session = requests.Session()
    started = time.monotonic()
    sent = collections.Counter()
    statuses = collections.Counter()
    failures = []
    modes = [GenerationMode.POSITIVE] + ([] if args.no_negative else [GenerationMode.NEGATIVE])

    def fuzzer(operation, mode):
        @settings(
            max_examples=args.examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def fuzz(case):
            if time.monotonic() - started > args.max_seconds:
                return
            response = case.call(base_url=base_url, session=session, allow_redirects=False)
            sent[f"{operation.label} ({mode.value})"] += 1
            statuses[response.status_code] += 1
            found = error_body_problems(response)
            # A request that breaks the description may be refused with any 4xx
            # the description lists; what it gets back must still conform.
            try:
                case.validate_response(response, checks=checks)
            except Exception as error:  # schemathesis' Failure or FailureGroup
                found.append(
                    str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
                )
            for problem in found:
                failures.append((operation.label, problem, case.as_curl_command()))

        return fuzz if args.seed is None else seed(args.seed)(fuzz)

    try:
        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in modes:
                try:
                    fuzzer(operation, mode)()
                except Unsatisfiable:
                    # No parameters to break (/api/ping/): nothing negative to send.
                    print(f"  {operation.label} ({mode.value}): nothing to generate")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    total = sum(sent.values())
    for label, number in sorted(sent.items()):
        print(f"  {label}: {number} requests")
    print(
        f"Generated and sent {total} requests in {time.monotonic() - started:.0f} s; "
        f"answers by HTTP status: {dict(sorted(statuses.items()))}"
    )
    for label, problem, curl in failures[:20]:
        print(f"\nFAILED {label}: {problem}\n  {curl}")
    if failures:
        raise SystemExit(
            f"{len(failures)} answers failed the checks (server log: {workdir}/gunicorn.log)"
        )
    if total < args.at_least:
        raise SystemExit(f"Only {total} requests were generated, fewer than {args.at_least}")
    print("REST fuzzing: no server errors, every answer as described.")


if __name__ == "__main__":
    main()
