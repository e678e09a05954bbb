"""Time of building briefings to PDF, HTML and Markdown, in one process (as `briefgen build`).

Usage: python benchmarks/build_bench.py [PROJECT] [--copies N] [--runs R]

Makes N copies of every briefing of PROJECT (default: the reference content, or the init
example) in a temporary project, then times R builds of all formats and reports seconds per
briefing, per format, and the growth of peak memory: with the shared FontConfiguration and
parsed CSS, memory stays flat as more documents are rendered.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from briefgen.build import render_briefing
from briefgen.validate import validate_project


def _project_copy(source: Path, copies: int, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("output", ".git", "tests"))
    for briefing in sorted((target / "content" / "briefings").glob("*.yaml")):
        for n in range(1, copies):
            shutil.copy(briefing, briefing.with_name(f"{briefing.stem}-copy{n}.yaml"))
    return target


def _time_format(project: object, ids: list[str], fmt: str, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        for briefing_id in ids:
            render_briefing(project, briefing_id, (fmt,))  # type: ignore[arg-type]
        samples.append((time.perf_counter() - start) / len(ids))
    return samples


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Run the benchmark and print a small table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("project", nargs="?", default=".", type=Path)
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = _project_copy(args.project, args.copies, Path(tmp) / "p")
        project, report = validate_project(root)
        assert project is not None, [d.text() for d in report.sorted()]
        ids = sorted(project.briefings)
        render_briefing(project, ids[0], ("pdf",))  # warm up: imports, fonts, parsed CSS
        start_mem = _peak_mib()
        for fmt in ("md", "html", "pdf"):
            samples = _time_format(project, ids, fmt, args.runs)
            print(
                f"{fmt:4s} median {statistics.median(samples) * 1000:7.1f} ms/briefing  "
                f"min {min(samples) * 1000:7.1f}  (n={args.runs}x{len(ids)} briefings)"
            )
        grown = _peak_mib() - start_mem
        print(f"peak memory growth over {args.runs * len(ids) * 3} renders: {grown:.1f} MiB")


if __name__ == "__main__":
    main()
