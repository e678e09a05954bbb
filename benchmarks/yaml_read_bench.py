"""Reading the reference content's YAML: briefgen's reader against PyYAML's two composers.

    .venv/bin/python benchmarks/yaml_read_bench.py [ROUNDS]

Composes every file of content/ ROUNDS times (default 200) with PyYAML's pure-Python composer
and with libyaml's (``yaml.CSafeLoader``), then reads them with ``read_yaml_file`` (libyaml's
events, briefgen's own building and checks), and prints the time per file of each.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from briefgen.diagnostics import Report
from briefgen.load import read_yaml_file

CONTENT = Path(__file__).resolve().parent.parent / "content"


def _per_file(files: list[Path], rounds: int, read: Callable[[Path], object]) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        for file in files:
            read(file)
    return (time.perf_counter() - started) / (rounds * len(files)) * 1000


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    files = [CONTENT / "actors.yaml", CONTENT / "sources.yaml"]
    files += sorted((CONTENT / "briefings").glob("*.yaml"))
    texts = {file: file.read_text(encoding="utf-8") for file in files}
    pure = _per_file(files, rounds, lambda f: yaml.compose(texts[f], Loader=yaml.SafeLoader))
    fast = _per_file(files, rounds, lambda f: yaml.compose(texts[f], Loader=yaml.CSafeLoader))
    ours = _per_file(files, rounds, lambda f: read_yaml_file(f, f.name, Report(), CONTENT))
    print(f"compose, pure Python:  {pure:6.2f} ms per file")
    print(f"compose, libyaml:      {fast:6.2f} ms per file ({pure / fast:.1f}x faster)")
    print(f"briefgen read_yaml_file: {ours:4.2f} ms per file ({pure / ours:.1f}x faster than pure)")


if __name__ == "__main__":
    main()
