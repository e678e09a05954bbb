"""Wall time of `briefgen build`: serial, in parallel, and an incremental build with nothing to do.

Usage: python benchmarks/parallel_bench.py [PROJECT] [--copies N] [--jobs J] [--runs R]

Makes a temporary project holding N copies of every briefing of PROJECT (default: the
reference content; content/archive/ and output/ are left out), then runs the real command line
R times each way, every time into a fresh output folder:

- serial: ``briefgen build --jobs 1``
- parallel: ``briefgen build --jobs J``
- no-op: ``briefgen build --jobs J`` again on the parallel output (every briefing skipped)

and prints the median wall times (interpreter start included, as a user sees them) and their
ratios. It also checks that the serial and parallel outputs are the same bytes.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _project_copy(source: Path, copies: int, target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copy(source / "briefgen.yaml", target / "briefgen.yaml")
    skip = shutil.ignore_patterns("archive")
    shutil.copytree(source / "content", target / "content", ignore=skip)
    if (source / "templates").is_dir():
        shutil.copytree(source / "templates", target / "templates")
    for briefing in sorted((target / "content" / "briefings").glob("*.yaml")):
        for n in range(1, copies):
            shutil.copy(briefing, briefing.with_name(f"{briefing.stem}-copy{n}.yaml"))
    return target


def _build(project: Path, out: Path, jobs: int) -> float:
    """Seconds of one `briefgen build` of all formats into ``out``."""
    command = [sys.executable, "-m", "briefgen", "build", str(project), "-q"]
    command += ["--out", str(out), "--jobs", str(jobs)]
    start = time.perf_counter()
    subprocess.run(command, check=True, env={**os.environ, "NO_COLOR": "1"})
    return time.perf_counter() - start


def _same_bytes(left: Path, right: Path) -> bool:
    names = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    if names != sorted(p.relative_to(right) for p in right.rglob("*") if p.is_file()):
        return False
    return all(filecmp.cmp(left / n, right / n, shallow=False) for n in names)


def _measure(project: Path, work: Path, jobs: int, runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"serial": [], "parallel": [], "no-op": []}
    for run in range(runs):
        serial, parallel = work / f"serial{run}", work / f"parallel{run}"
        times["serial"].append(_build(project, serial, 1))
        times["parallel"].append(_build(project, parallel, jobs))
        times["no-op"].append(_build(project, parallel, jobs))
        assert _same_bytes(serial, parallel), "serial and parallel outputs differ"
    return times


def main() -> None:
    """Run the benchmark and print a small table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("project", nargs="?", default=".", type=Path)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = _project_copy(args.project, args.copies, Path(tmp) / "p")
        count = len(list((project / "content" / "briefings").glob("*.yaml")))
        _build(project, Path(tmp) / "warm", 1)  # warm the OS file cache and font cache
        times = _measure(project, Path(tmp), args.jobs, args.runs)
    median = {name: statistics.median(samples) for name, samples in times.items()}
    print(f"{count} briefings x pdf,html,md; {os.cpu_count()} CPUs; median of {args.runs} runs")
    for name, seconds in median.items():
        ratio = median["serial"] / seconds
        print(f"  {name:9s} {seconds:6.2f} s  ({ratio:5.2f}x the speed of serial)")
    print("  serial and parallel outputs: identical bytes")


if __name__ == "__main__":
    main()
