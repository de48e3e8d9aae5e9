"""benchmarks/profile_guide.py from several checkouts of this repository,
side by side: each round runs every checkout once (every other round in
reverse order), so a busy machine slows them alike; the figures are the
medians over rounds of each scenario's CPU ms per request, and the ratio
REST guide / GraphQL guide per round and of the medians.

    git worktree add --detach /tmp/before main     # and link its .venv
    DATABASE_URL=postgres://USER@127.0.0.1:5432/profile_guide REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python benchmarks/compare_trees.py --rounds 6 --requests 100 /tmp/before .
"""

import argparse
import os
import re
import statistics
import subprocess
from pathlib import Path

SCENARIOS = ("graphql guide", "rest guide", "graphql list of 20", "rest list of 20")
ROW = re.compile(r"\| (" + "|".join(SCENARIOS) + r")\s*\|\s*([\d.]+)")


def run(tree, guides, requests):
    command = [
        str(Path(tree) / ".venv/bin/python"),
        "benchmarks/profile_guide.py",
        f"--guides={guides}",
        f"--requests={requests}",
    ]
    done = subprocess.run(command, cwd=tree, capture_output=True, text=True, check=True)
    return {name: float(value) for name, value in ROW.findall(done.stdout)}


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("trees", nargs="+", help="checkouts, each with its .venv")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--requests", type=int, default=100, help="per scenario and round")
    parser.add_argument("--guides", type=int, default=1000)
    args = parser.parse_args()
    found = {tree: [] for tree in args.trees}
    for turn in range(args.rounds):
        for tree in args.trees if turn % 2 == 0 else args.trees[::-1]:
            found[tree].append(run(tree, args.guides, args.requests))
            load = os.getloadavg()[0]
            print(f"round {turn + 1} {tree}: {found[tree][-1]} (load {load:.1f})", flush=True)
    print(f"\n| tree | {' | '.join(SCENARIOS)} | REST / GraphQL guide | per round |")
    print(f"| --- | {' | '.join('---:' for _ in SCENARIOS)} | ---: | --- |")
    for tree, rounds in found.items():
        medians = {name: statistics.median(r[name] for r in rounds) for name in SCENARIOS}
        per_round = [r["rest guide"] / r["graphql guide"] for r in rounds]
        cells = " | ".join(f"{medians[name]:.2f}" for name in SCENARIOS)
        ratio = medians["rest guide"] / medians["graphql guide"]
        spread = f"{min(per_round):.2f}-{max(per_round):.2f}x"
        print(f"| {tree} | {cells} | {ratio:.2f}x | {spread} |")


if __name__ == "__main__":
    main()
