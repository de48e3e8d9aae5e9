"""The CI check on breaking schema changes (.ci/schema_breaking_changes.py)."""

import importlib.util
import io
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location(
    "schema_breaking_changes", ROOT / ".ci" / "schema_breaking_changes.py"
)
checker = importlib.util.module_from_spec(spec)
spec.loader.exec_module(checker)

RELEASED = """
enum Kind { GUIDE FAQ HUB }
type Heading { text: String! }
type Paragraph { value: String! }
union Block = Heading | Paragraph
type Guide { id: ID! title: String! summary: String body: [String] blocks: [Block!]! }
type Query { guide(slug: String): Guide kinds: [Kind!]! }
"""


def run(tmp_path, current, declared=""):
    (tmp_path / "released.graphql").write_text(RELEASED)
    (tmp_path / "schema.graphql").write_text(current)
    (tmp_path / "declared.txt").write_text(declared)
    out = io.StringIO()
    status = checker.check(
        tmp_path / "schema.graphql",
        tmp_path / "released.graphql",
        tmp_path / "declared.txt",
        out=out,
    )
    return status, out.getvalue()


@pytest.mark.parametrize(
    "old, new, description",
    [
        ("summary: String ", "", "Guide.summary was removed."),
        ("title: String!", "title: Int!", "Guide.title changed type from String! to Int!."),
        ("{ GUIDE FAQ HUB }", "{ GUIDE FAQ }", "HUB was removed from enum type Kind."),
        # Narrowed types: an argument that was optional, a union that lost a member.
        (
            "guide(slug: String)",
            "guide(slug: String!)",
            "Query.guide arg slug has changed type from String to String!.",
        ),
        ("Heading | Paragraph", "Heading", "Paragraph was removed from union type Block."),
    ],
)
def test_undeclared_breaking_changes_fail(tmp_path, old, new, description):
    status, report = run(tmp_path, RELEASED.replace(old, new))
    assert status == 1
    assert "UNDECLARED" in report and description in report


def test_declared_breaking_changes_pass(tmp_path):
    current = RELEASED.replace("summary: String ", "").replace("{ GUIDE FAQ HUB }", "{ GUIDE FAQ }")
    declared = (
        "# planned for 2.0\nGuide.summary was removed.\n\nHUB was removed from enum type Kind.\n"
    )
    status, report = run(tmp_path, current, declared)
    assert status == 0, report
    assert "2 breaking change(s)" in report and "0 undeclared" in report


def test_one_undeclared_among_declared_fails(tmp_path):
    current = RELEASED.replace("summary: String ", "").replace("{ GUIDE FAQ HUB }", "{ GUIDE FAQ }")
    status, report = run(tmp_path, current, "Guide.summary was removed.\n")
    assert status == 1 and "1 undeclared" in report


def test_additions_are_not_breaking(tmp_path):
    current = RELEASED.replace("body: [String]", "body: [String] standfirst: String").replace(
        "{ GUIDE FAQ HUB }", "{ GUIDE FAQ HUB PAGE }"
    )
    status, report = run(tmp_path, current)
    assert status == 0, report
    assert "dangerous" in report  # a new enum value may surprise an exhaustive client


def test_the_checked_in_schema_has_no_undeclared_breaking_changes():
    assert checker.main([]) == 0
