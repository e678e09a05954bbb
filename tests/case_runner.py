"""One runner for every data-driven case suite: a base project, changed by a case folder.

A suite is a folder with ``base/`` (a complete project) and ``cases/<name>/``. Each case folder
holds the files it lays over a copy of the base, ``case.toml`` and ``expected.txt``:

```toml
description = "what this case shows"   # printed when the case fails
exit_code = 1                           # the exit code the command must end with
args = ["sources", "--strict"]          # optional: the command line (default: ["validate"]);
                                        # the project folder is appended
remove = ["content/actors.yaml"]        # optional: base files to delete
max_seconds = 5                         # optional: time limit for the run (default 60)
stdout_contains = ["..."]               # optional: text that must be printed
stdout_excludes = ["..."]               # optional: text that must not be printed

[pad]                                   # optional: grow a file to this many bytes
"content/actors.yaml" = 3145728         # (large files are made, not stored)

[[edit]]                                # optional: replace text in a base file
file = "content/sources.yaml"
old = "..."
new = "..."
```

The real CLI runs as a subprocess; its standard output must equal ``expected.txt`` byte for
byte and its exit code ``exit_code``. ``pytest --update-golden`` rewrites both from the actual
run instead: review the diff line by line before committing it.
"""

from __future__ import annotations

import re
import shutil
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.conftest import run_cli

META_FILES = frozenset({"case.toml", "expected.txt"})


@dataclass
class Case:
    """What one case.toml says."""

    folder: Path
    description: str
    exit_code: int
    args: list[str] = field(default_factory=lambda: ["validate"])
    remove: list[str] = field(default_factory=list)
    max_seconds: float = 60.0
    stdout_contains: list[str] = field(default_factory=list)
    stdout_excludes: list[str] = field(default_factory=list)
    pad: dict[str, int] = field(default_factory=dict)
    edit: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def read(cls, folder: Path) -> Case:
        """Load ``folder/case.toml``."""
        meta: dict[str, Any] = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
        return cls(folder=folder, **meta)

    @property
    def name(self) -> str:
        """The folder name, which is the case's test id."""
        return self.folder.name


def case_folders(suite: Path) -> list[Path]:
    """The case folders of a suite, in name order."""
    return sorted(p for p in (suite / "cases").iterdir() if (p / "case.toml").is_file())


def make_project(case: Case, base: Path, target: Path) -> None:
    """Copy ``base``, lay the case's files over it, apply its edits, removals and padding."""
    shutil.copytree(base, target)
    for source in sorted(case.folder.rglob("*")):
        relative = source.relative_to(case.folder)
        if source.is_dir() or relative.as_posix() in META_FILES:
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    for change in case.edit:
        path = target / change["file"]
        text = path.read_text(encoding="utf-8")
        assert change["old"] in text, f"{case.name}: edit target not found in {path}"
        path.write_text(text.replace(change["old"], change["new"], 1), encoding="utf-8")
    for removed in case.remove:
        (target / removed).unlink()
    for padded, size in case.pad.items():
        # Large files are made here rather than stored: a comment line repeated up to `size`.
        grown = target / padded
        data = grown.read_bytes()
        filler = b"# padding to make the file too large\n"
        grown.write_bytes(data + filler * ((size - len(data)) // len(filler) + 1))


def _rewrite(case: Case, stdout: str, exit_code: int) -> None:
    (case.folder / "expected.txt").write_text(stdout, encoding="utf-8")
    meta = case.folder / "case.toml"
    text = re.sub(r"(?m)^exit_code = \d+$", f"exit_code = {exit_code}", meta.read_text())
    meta.write_text(text, encoding="utf-8")


def run_case(folder: Path, base: Path, tmp_path: Path, *, update: bool) -> None:
    """Run one case and check (or, with ``update``, rewrite) its expected output."""
    case = Case.read(folder)
    project = tmp_path / "project"
    make_project(case, base, project)
    started = time.monotonic()
    result = run_cli(*case.args, str(project))
    elapsed = time.monotonic() - started
    assert "Traceback" not in result.stderr, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    for wanted in case.stdout_contains:
        assert wanted in result.stdout, f"{case.description}\nmissing: {wanted}\n{result.stdout}"
    for unwanted in case.stdout_excludes:
        assert unwanted not in result.stdout, f"{case.description}\nunwanted: {unwanted}"
    if update:
        _rewrite(case, result.stdout, result.returncode)
        return
    expected = (folder / "expected.txt").read_text(encoding="utf-8")
    assert result.stdout == expected, f"{case.description}\nstderr: {result.stderr}"
    assert result.returncode == case.exit_code, result.stdout + result.stderr
    assert elapsed < case.max_seconds, f"took {elapsed:.1f}s, limit {case.max_seconds}s"


def check_complete(suite: Path) -> None:
    """Each case folder has case.toml and expected.txt, and changes something."""
    for folder in (suite / "cases").iterdir():
        assert (folder / "case.toml").is_file(), f"{folder.name}: no case.toml"
        assert (folder / "expected.txt").is_file(), f"{folder.name}: no expected.txt"
        case = Case.read(folder)
        changed = [p for p in folder.rglob("*") if p.is_file() and p.name not in META_FILES]
        what = changed or case.remove or case.edit or case.pad or case.args != ["validate"]
        assert what, f"{folder.name}: changes nothing"
