"""Wall time of `briefgen validate` on a project, as a user runs it (a fresh process each time).

Usage: python benchmarks/validate_bench.py [PROJECT] [--runs N]

Prints the median and spread of N runs, next to the start-up of a bare interpreter in the
same run, so the ratio can be compared across noisy machines.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _time(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=False, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    """Run the benchmark and print a small table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("project", nargs="?", default=".", type=Path)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    validate = [sys.executable, "-m", "briefgen", "validate", "-q"]
    bare = [sys.executable, "-c", "pass"]
    rows = {"python -c pass": bare, "briefgen validate": validate}
    medians: dict[str, float] = {}
    for label, command in rows.items():
        _time(command, args.project)  # warm the file cache
        samples = [_time(command, args.project) for _ in range(args.runs)]
        medians[label] = statistics.median(samples)
        print(
            f"{label:20s} median {medians[label]:.3f} s  "
            f"min {min(samples):.3f}  max {max(samples):.3f}  (n={args.runs})"
        )
    ratio = medians["briefgen validate"] / medians["python -c pass"]
    print(f"validate / bare interpreter: {ratio:.1f}x")


if __name__ == "__main__":
    main()
