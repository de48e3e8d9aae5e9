"""Fail on breaking changes to the GraphQL schema that nobody declared.

Compares the checked-in schema.graphql (what this commit serves) with
schema/released.graphql (what the last release served, which frontends in
the field still query) using graphql-core's find_breaking_changes. Every
breaking change must be declared, one per line, in
schema/declared-breaking-changes.txt, as the description this script prints,
e.g. `GuidePage.rawValue was removed.` (blank lines and `#` comments are
ignored). Dangerous changes (e.g. a value added to an enum) are printed, not
failed. At a release, copy schema.graphql to schema/released.graphql and
empty the declarations.

Usage: .venv/bin/python .ci/schema_breaking_changes.py
       [--schema schema.graphql] [--released schema/released.graphql]
       [--declared schema/declared-breaking-changes.txt]
"""

import argparse
import sys
from pathlib import Path

from graphql import build_schema
from graphql.utilities import find_breaking_changes, find_dangerous_changes

ROOT = Path(__file__).resolve().parent.parent


def read_declared(path):
    if not path.exists():
        return set()
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {line for line in lines if line and not line.startswith("#")}


def check(schema_path, released_path, declared_path, out=sys.stdout):
    """0 when every breaking change is declared, 1 otherwise; reports on `out`."""
    released = build_schema(released_path.read_text(encoding="utf-8"))
    current = build_schema(schema_path.read_text(encoding="utf-8"))
    breaking = find_breaking_changes(released, current)
    dangerous = find_dangerous_changes(released, current)
    declared = read_declared(declared_path)

    undeclared = [change for change in breaking if change.description not in declared]
    for change in dangerous:
        print(f"dangerous ({change.type.name}): {change.description}", file=out)
    for change in breaking:
        state = "declared" if change.description in declared else "UNDECLARED"
        print(f"breaking, {state} ({change.type.name}): {change.description}", file=out)
    stale = declared - {change.description for change in breaking}
    for description in sorted(stale):
        print(f"declared but not found (remove it): {description}", file=out)
    print(
        f"{len(breaking)} breaking change(s) since {released_path.name}, "
        f"{len(undeclared)} undeclared; {len(dangerous)} dangerous.",
        file=out,
    )
    if undeclared:
        print(
            f"Declare each breaking change above in {declared_path} (one description a line), "
            "after telling the frontends, or keep the old field beside the new one.",
            file=out,
        )
        return 1
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schema", type=Path, default=ROOT / "schema.graphql")
    parser.add_argument("--released", type=Path, default=ROOT / "schema" / "released.graphql")
    parser.add_argument(
        "--declared", type=Path, default=ROOT / "schema" / "declared-breaking-changes.txt"
    )
    args = parser.parse_args(argv)
    return check(args.schema, args.released, args.declared)


if __name__ == "__main__":
    sys.exit(main())
