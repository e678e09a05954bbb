"""A second `briefgen publish` with nothing changed, against the first, through the real CLI.

Usage: python benchmarks/publish_bench.py [PROJECT] [--copies N] [--rounds R]

Makes a project with N copies of every briefing of PROJECT (default: the reference content,
20 briefings), then, R times over, in a fresh copy each round: `briefgen publish` (nothing
built yet: every PDF is rendered), then `briefgen publish` again with nothing changed (every
PDF should be reused). Prints each round's two wall times, their ratio, and how many PDFs each
run rendered (from publish's summary), then the median ratio. Rounds interleave the two kinds
of run, so a noisy machine disturbs both alike.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RENDERED = re.compile(r"(\d+) PDFs? rendered")


def _project_copy(source: Path, copies: int, target: Path) -> Path:
    ignore = shutil.ignore_patterns("output", ".git", "tests", ".venv", "benchmarks", "docs")
    shutil.copytree(source, target, ignore=ignore)
    briefings = sorted((target / "content" / "briefings").glob("*.yaml"))
    count = len(briefings)
    for briefing in briefings:
        for n in range(1, -(-copies // count)):
            shutil.copy(briefing, briefing.with_name(f"{briefing.stem}-copy{n}.yaml"))
    return target


def _publish(root: Path) -> tuple[float, str]:
    """Wall seconds of one `briefgen publish`, and how many PDFs it says it rendered."""
    env = {**os.environ, "NO_COLOR": "1"}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "publish", str(root)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"publish failed ({result.returncode}):\n{result.stderr}")
    found = RENDERED.search(result.stderr)
    return seconds, found.group(1) if found else "?"


def main() -> None:
    """Run the rounds and print a small table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("project", nargs="?", default=".", type=Path)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        for round_number in range(1, args.rounds + 1):
            root = _project_copy(args.project, args.copies, Path(tmp) / f"round{round_number}")
            first, first_pdfs = _publish(root)
            second, second_pdfs = _publish(root)
            ratios.append(second / first)
            print(
                f"round {round_number}: first {first:6.2f} s ({first_pdfs} PDFs rendered), "
                f"second {second:6.2f} s ({second_pdfs} PDFs rendered), "
                f"ratio {second / first:.3f}"
            )
            shutil.rmtree(root)
    print(f"median ratio second/first over {args.rounds} rounds: {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
