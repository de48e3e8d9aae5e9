"""The docs are code: every example in README.md and docs/*.md runs here.

- ```graphql blocks are validated against schema.graphql (graphql-core) and
  sent to /graphql/ on the demo content, with the variables of a following
  ```json variables block if there is one;
- ```sh blocks: `curl` commands to http://127.0.0.1:8000 become test-client
  requests, `python manage.py ...` lines run through call_command
  (```sh norun blocks are shown, not run);
- every relative link resolves to a file, and its #anchor to a heading.

The conventions are written down in docs/architecture.md, "Examples in the
docs are tests". The demo content is loaded once for the module, in a
transaction rolled back at its end.
"""

import json
import re
import shlex
from collections import Counter
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from graphql import build_schema, parse, validate
from graphql.language import InlineFragmentNode, visit
from graphql.language.visitor import Visitor

from tests.conftest import no_deferred_column_reads

ROOT = Path(__file__).resolve().parent.parent
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SCHEMA = build_schema((ROOT / "schema.graphql").read_text())
BASE = "http://127.0.0.1:8000"
FAILING_CODES = {"GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "INTERNAL_SERVER_ERROR"}
COUNTS = Counter()


@dataclass
class Block:
    path: Path
    line: int  # of the opening fence
    language: str
    flags: tuple
    text: str

    @property
    def where(self):
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def fenced_blocks(path):
    """Every fenced block of a Markdown file, in order."""
    blocks, current = [], None
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if current is None:
            match = re.match(r"^```(\S*)\s*(.*)$", line)
            if match:
                current = Block(path, number, match[1], tuple(match[2].split()), "")
        elif line.startswith("```"):
            blocks.append(current)
            current = None
        else:
            current.text += line + "\n"
    assert current is None, f"{path.relative_to(ROOT)}: a code block is never closed"
    return blocks


def graphql_examples():
    """(block, variables) for every ```graphql block."""
    examples = []
    for path in DOC_FILES:
        blocks = fenced_blocks(path)
        for index, block in enumerate(blocks):
            if block.language != "graphql":
                continue
            variables = None
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if following and following.language == "json" and "variables" in following.flags:
                between = path.read_text().splitlines()[
                    block.line + block.text.count("\n") + 1 : following.line - 1
                ]
                assert not any(line.strip() for line in between), (
                    f"{following.where}: a `json variables` block must follow its GraphQL block"
                )
                variables = json.loads(following.text)
            examples.append((block, variables))
    return examples


def shell_blocks():
    """(block, [command words...]) for the curl and manage.py commands of each runnable ```sh block."""
    runnable = []
    for path in DOC_FILES:
        for block in fenced_blocks(path):
            if block.language not in ("sh", "bash", "shell"):
                continue
            if "norun" in block.flags:
                COUNTS["shell blocks shown, not run"] += 1
                continue
            commands = []
            for line in block.text.replace("\\\n", " ").splitlines():
                words = shlex.split(line, comments=True)
                if not words:
                    continue
                if words[0] == "curl":
                    commands.append(words)
                elif "manage.py" in words:
                    # `python manage.py`, `.venv/bin/python manage.py`...
                    assert words.index("manage.py") == 1 and words[0].endswith("python"), (
                        f"{block.where}: run manage.py as `python manage.py ...` "
                        f"(or mark the block `sh norun`): {line}"
                    )
                    commands.append(words)
                else:
                    COUNTS["shell commands not run (neither curl nor manage.py)"] += 1
            if commands:
                runnable.append((block, commands))
    return runnable


GRAPHQL_EXAMPLES = graphql_examples()
SHELL_BLOCKS = shell_blocks()


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    """The demo content, once for every example of the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_content", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def client(demo_content, db):
    return Client()


def graphql_errors(body):
    return [
        error
        for error in body.get("errors") or []
        if (error.get("extensions") or {}).get("code") in FAILING_CODES
        or not (error.get("extensions") or {}).get("code")
    ]


class BodyFragments(Visitor):
    def __init__(self, implementations):
        super().__init__()
        self.implementations = implementations
        self.seen = set()

    def enter_inline_fragment(self, node: InlineFragmentNode, *args):
        if node.type_condition and node.type_condition.name.value in self.implementations:
            self.seen.add(node.type_condition.name.value)


@pytest.mark.parametrize(
    ("block", "variables"), GRAPHQL_EXAMPLES, ids=[b.where for b, _ in GRAPHQL_EXAMPLES]
)
def test_graphql_example_is_valid_and_runs(block, variables, client):
    document = parse(block.text)
    errors = validate(SCHEMA, document)
    assert not errors, f"{block.where}: invalid against schema.graphql: {errors}"
    # An example that spreads on one body block type spreads on every one:
    # a frontend copying it would otherwise render nothing for the others.
    implementations = {
        t.name for t in SCHEMA.get_implementations(SCHEMA.get_type("GuideBodyBlock")).objects
    }
    fragments = BodyFragments(implementations)
    visit(document, fragments)
    missing = implementations - fragments.seen if fragments.seen else set()
    assert not missing, f"{block.where}: the body example leaves out {sorted(missing)}"
    COUNTS["GraphQL examples validated"] += 1

    with no_deferred_column_reads():
        response = client.post(
            "/graphql/",
            data=json.dumps({"query": block.text, "variables": variables or {}}),
            content_type="application/json",
        )
    body = response.json()
    assert response.status_code < 500 and "data" in body, (
        f"{block.where}: {response.status_code} {body}"
    )
    assert not graphql_errors(body), f"{block.where}: {body['errors']}"
    COUNTS["GraphQL examples run"] += 1


def curl_request(words):
    """The method, address, headers and body of a curl command."""
    method, url, headers, data, query = None, None, {}, None, []
    options = iter(words[1:])
    for word in options:
        if word in ("-H", "--header"):
            name, _, value = next(options).partition(":")
            headers[name.strip()] = value.strip()
        elif word in ("-d", "--data", "--data-raw", "--data-binary"):
            data = next(options)
        elif word == "--data-urlencode":
            name, _, value = next(options).partition("=")
            query.append(f"{name}={quote(value)}")
        elif word in ("-G", "--get", "-sG"):
            method = "GET"
        elif word in ("-X", "--request"):
            method = next(options)
        elif word in ("-o", "--output", "-w", "--write-out"):
            next(options)
        elif word.startswith("-"):
            assert word in ("-s", "--silent", "-i", "--compressed", "-f"), f"curl option {word}"
        else:
            url = word
    if query:  # -G: the --data-urlencode pairs go in the address
        url += ("&" if "?" in url else "?") + "&".join(query)
    return method or ("POST" if data is not None else "GET"), url, headers, data


@pytest.mark.parametrize(
    ("block", "commands"), SHELL_BLOCKS, ids=[b.where for b, _ in SHELL_BLOCKS]
)
def test_shell_example_runs(block, commands, client, monkeypatch):
    """The commands of a block run in order (a persisted query's GET follows its POST)."""
    monkeypatch.chdir(ROOT)
    for words in commands:
        if words[0] == "curl":
            run_curl(block, words, client)
        else:
            try:
                call_command(*words[2:], stdout=StringIO(), stderr=StringIO())
            finally:
                # Its changes are rolled back with the test: so must be what was cached meanwhile.
                caches["default"].clear()
            COUNTS["manage.py commands run"] += 1


def run_curl(block, words, client):
    method, url, headers, data = curl_request(words)
    assert url and url.startswith(BASE + "/"), (
        f"{block.where}: curl examples call {BASE}/ (the demo); mark others `sh norun`: {url}"
    )
    parts = urlsplit(url)
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    content_type = extra.pop("HTTP_CONTENT_TYPE", "application/octet-stream")
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    with no_deferred_column_reads():
        response = client.generic(method, path, data or "", content_type=content_type, **extra)
    assert response.status_code == 200, f"{block.where}: {method} {url}: {response.status_code}"
    if parts.path.startswith("/graphql"):
        # What a curl example shows works: an answer with no error at all.
        body = response.json()
        assert body.get("data") and not body.get("errors"), f"{block.where}: {method} {url}: {body}"
    COUNTS["curl commands run"] += 1


# --- Links


def github_anchor(heading):
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", lambda m: m[1] or "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path):
    found, seen = set(), Counter()
    fence = False
    for line in path.read_text().splitlines():
        if line.startswith("```"):
            fence = not fence
        elif not fence and (match := re.match(r"^#{1,6}\s+(.*)$", line)):
            anchor = github_anchor(match[1])
            found.add(anchor if not seen[anchor] else f"{anchor}-{seen[anchor]}")
            seen[anchor] += 1
    return found


def relative_links():
    links = []
    for path in DOC_FILES:
        text = re.sub(r"```.*?```", "", path.read_text(), flags=re.S)
        text = re.sub(r"`[^`\n]*`", "", text)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if not re.match(r"^[a-z]+:", target):
                links.append((path, target))
    return links


LINKS = relative_links()


@pytest.mark.parametrize(
    ("path", "target"), LINKS, ids=[f"{p.relative_to(ROOT)}->{t}" for p, t in LINKS]
)
def test_relative_link_resolves(path, target):
    file_part, _, anchor = target.partition("#")
    linked = (path.parent / file_part).resolve() if file_part else path
    assert linked.exists(), f"{path.relative_to(ROOT)}: {target} names no file"
    if anchor:
        assert linked.suffix == ".md", (
            f"{path.relative_to(ROOT)}: {target}: an anchor into a non-Markdown file"
        )
        assert anchor in anchors(linked), (
            f"{path.relative_to(ROOT)}: {target}: no such heading (has {sorted(anchors(linked))})"
        )
    COUNTS["relative links resolved"] += 1


# --- Settings


def environment_variables():
    """Every variable the settings and gunicorn.conf.py read from the environment."""
    names = set()
    for path in [*sorted((ROOT / "cms" / "settings").glob("*.py")), ROOT / "gunicorn.conf.py"]:
        names |= set(
            re.findall(
                r"""(?:env(?:\.\w+)?|environ\.get|_required)\(\s*["']([A-Z][A-Z0-9_]+)["']""",
                path.read_text(),
            )
        )
    return sorted(names)


def test_every_environment_variable_is_documented():
    documented = "\n".join(path.read_text() for path in DOC_FILES)
    names = environment_variables()
    assert len(names) > 50  # the pattern still finds them
    missing = [name for name in names if f"`{name}`" not in documented]
    assert not missing, (
        f"read from the environment but in no doc (docs/operations.md, Configuration): {missing}"
    )
    COUNTS["environment variables documented"] = len(names)


def test_zz_report(capsys):
    """Runs last in the module: says what the examples above covered."""
    assert len(GRAPHQL_EXAMPLES) >= 10 and SHELL_BLOCKS and LINKS
    with capsys.disabled():
        print(
            f"\ndocs: {len(DOC_FILES)} files, {len(GRAPHQL_EXAMPLES)} GraphQL examples, "
            f"{sum(len(c) for _, c in SHELL_BLOCKS)} curl/manage.py commands in {len(SHELL_BLOCKS)} "
            f"runnable shell blocks, {len(LINKS)} relative links; "
            + ", ".join(f"{name}: {n}" for name, n in sorted(COUNTS.items()))
        )
