"""Time of reading issued versions from a git history of many commits.

Usage: python benchmarks/history_bench.py [--commits N] [--versions V] [--others K]

Makes a throwaway repository from the ``briefgen init`` project with N commits: every commit
changes a side file, every fifth one also edits the example briefing, and the version is bumped
V times along the way; K more briefings are committed once. Then times ``read_history`` for
all briefings (cold, as a build does: one walk per briefing) and ``briefgen diff``'s default.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dulwich import porcelain
from dulwich.repo import Repo

from briefgen.history import read_history

START = 1_717_243_200


def _commit(repo: Repo, paths: list[str], message: str, when: int) -> None:
    porcelain.add(repo, paths=[str(Path(repo.path) / p) for p in paths])
    porcelain.commit(
        repo,
        message=message.encode(),
        author=b"Bench <bench@example.org>",
        committer=b"Bench <bench@example.org>",
        author_timestamp=when,
        author_timezone=0,
        commit_timestamp=when,
        commit_timezone=0,
    )


def make_repository(root: Path, commits: int, versions: int, others: int) -> None:
    """The project at ``root`` with the history described in the module's docstring."""
    subprocess.run([sys.executable, "-m", "briefgen", "init", str(root)], check=True)
    briefing = root / "content/briefings/example.yaml"
    text = briefing.read_text()
    for n in range(others):
        (root / f"content/briefings/other-{n}.yaml").write_text(text)
    repo = porcelain.init(str(root))
    porcelain.add(repo)
    _commit(repo, [], "start", START)
    every = max(1, commits // versions)
    for n in range(1, commits):
        (root / "notes.txt").write_text(f"note {n}\n")
        paths = ["notes.txt"]
        if n % 5 == 0:
            version = f"1.{n // every}"
            body = text.replace('version: "1.0"', f'version: "{version}"')
            briefing.write_text(body.replace("Northport", f"Northport ({n})"))
            paths.append("content/briefings/example.yaml")
        _commit(repo, paths, f"commit {n}", START + n * 60)
    repo.close()


def main() -> None:
    """Build the repository, then time the reads."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--others", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "desk"
        started = time.perf_counter()
        make_repository(root, args.commits, args.versions, args.others)
        print(f"made {args.commits} commits in {time.perf_counter() - started:.1f} s")
        ids = ["example", *(f"other-{n}" for n in range(args.others))]
        started = time.perf_counter()
        history = read_history(root, ids)
        elapsed = time.perf_counter() - started
        found = len(history.of("example"))
        print(f"read_history, {len(ids)} briefings: {elapsed:.3f} s ({found} versions of example)")
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "briefgen", "diff", "example", str(root)],
            check=True,
            capture_output=True,
        )
        print(f"briefgen diff example (whole command): {time.perf_counter() - started:.3f} s")


if __name__ == "__main__":
    main()
