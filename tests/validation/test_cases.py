"""Golden-file suite of bad inputs: each folder under cases/ is one project with one problem.

A case is the valid project in base/ with the case folder's files laid over it (see README.md).
The real CLI runs on it as a subprocess; its stdout must equal the case's expected.txt exactly,
and its exit code must be the one in case.toml. With BRIEFGEN_REGENERATE=1 the expected files
are rewritten from the actual output instead (review the diff before committing it).
"""

from __future__ import annotations

import os
import re
import shutil
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import run_cli

HERE = Path(__file__).resolve().parent
BASE = HERE / "base"
CASES = HERE / "cases"
META_FILES = {"case.toml", "expected.txt"}
REGENERATE = os.environ.get("BRIEFGEN_REGENERATE") == "1"


@dataclass
class Case:
    """What case.toml says about one case."""

    folder: Path
    description: str
    exit_code: int
    args: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    max_seconds: float = 60.0
    pad: dict[str, int] = field(default_factory=dict)

    @classmethod
    def read(cls, folder: Path) -> Case:
        """Load ``folder/case.toml``."""
        meta = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
        return cls(folder=folder, **meta)


def _case_folders() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "case.toml").is_file())


def build_project(case: Case, target: Path) -> None:
    """Lay the case's files over a copy of base/, then apply its removals and padding."""
    shutil.copytree(BASE, target)
    for source in sorted(case.folder.rglob("*")):
        relative = source.relative_to(case.folder)
        if source.is_dir() or relative.as_posix() in META_FILES:
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
    for relative in case.remove:
        (target / relative).unlink()
    for relative, size in case.pad.items():
        # Large files are made here rather than stored: a comment line repeated up to `size`.
        path = target / relative
        text = path.read_bytes()
        filler = b"# padding to make the file too large\n"
        path.write_bytes(text + filler * ((size - len(text)) // len(filler) + 1))


def _regenerate(case: Case, stdout: str, exit_code: int) -> None:
    (case.folder / "expected.txt").write_text(stdout, encoding="utf-8")
    meta = case.folder / "case.toml"
    text = re.sub(r"(?m)^exit_code = \d+$", f"exit_code = {exit_code}", meta.read_text())
    meta.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("folder", _case_folders(), ids=lambda p: p.name)
def test_case(folder: Path, tmp_path: Path) -> None:
    case = Case.read(folder)
    project = tmp_path / "project"
    build_project(case, project)
    started = time.monotonic()
    result = run_cli("validate", *case.args, str(project))
    elapsed = time.monotonic() - started
    assert "Traceback" not in result.stderr, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    if REGENERATE:
        _regenerate(case, result.stdout, result.returncode)
        return
    expected = (folder / "expected.txt").read_text(encoding="utf-8")
    assert result.stdout == expected, f"{case.description}\nstderr: {result.stderr}"
    assert result.returncode == case.exit_code, result.stdout + result.stderr
    assert elapsed < case.max_seconds, f"took {elapsed:.1f}s, limit {case.max_seconds}s"


def test_base_is_clean_under_strict(tmp_path: Path) -> None:
    """The base every case starts from has no problem at all, so each case shows only its own."""
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    result = run_cli("validate", "--strict", str(project))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_every_case_is_complete() -> None:
    """Each case folder has case.toml, expected.txt, and changes something."""
    for folder in CASES.iterdir():
        assert (folder / "case.toml").is_file(), f"{folder.name}: no case.toml"
        assert (folder / "expected.txt").is_file(), f"{folder.name}: no expected.txt"
        case = Case.read(folder)
        changed = [p for p in folder.rglob("*") if p.is_file() and p.name not in META_FILES]
        assert changed or case.remove or case.args or case.pad, f"{folder.name}: changes nothing"
