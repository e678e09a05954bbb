"""Data-driven provenance cases: each folder under cases/ is the project in base/, changed.

A case's case.toml says how to change base/ (files laid over it, ``[[edit]]`` replacements in a
file, files to remove), which command to run (``args``; the project path is appended), its exit
code, and text that must (``stdout_contains``) or must not (``stdout_excludes``) be printed. The
real CLI runs as a subprocess. Every archive text here was written for these tests.
"""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli

HERE = Path(__file__).resolve().parent
BASE = HERE / "base"
CASES = HERE / "cases"


@dataclass
class Case:
    """What case.toml says about one case."""

    folder: Path
    description: str
    exit_code: int
    args: list[str] = field(default_factory=lambda: ["validate"])
    stdout_contains: list[str] = field(default_factory=list)
    stdout_excludes: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    edit: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def read(cls, folder: Path) -> Case:
        """Load ``folder/case.toml``."""
        meta: dict[str, Any] = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
        return cls(folder=folder, **meta)


def make_project(case: Case, target: Path) -> None:
    """Copy base/, lay the case's files over it, apply its edits and removals."""
    shutil.copytree(BASE, target)
    for source in sorted(case.folder.rglob("*")):
        relative = source.relative_to(case.folder)
        if source.is_file() and relative.as_posix() != "case.toml":
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
    for change in case.edit:
        path = target / change["file"]
        text = path.read_text(encoding="utf-8")
        assert change["old"] in text, f"{case.folder.name}: edit target not found in {path}"
        path.write_text(text.replace(change["old"], change["new"], 1), encoding="utf-8")
    for relative in case.remove:
        (target / relative).unlink()


def _folders() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "case.toml").is_file())


@pytest.mark.parametrize("folder", _folders(), ids=lambda p: p.name)
def test_case(folder: Path, tmp_path: Path) -> None:
    case = Case.read(folder)
    project = tmp_path / "project"
    make_project(case, project)
    result = run_cli(*case.args, str(project))
    output = result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    for expected in case.stdout_contains:
        assert expected in output, f"{case.description}\nmissing: {expected}\n---\n{output}"
    for unwanted in case.stdout_excludes:
        assert unwanted not in output, f"{case.description}\nunwanted: {unwanted}\n---\n{output}"
    assert result.returncode == case.exit_code, output + result.stderr


def test_base_verifies_every_quote_under_strict() -> None:
    """The base has archived text for every quote: clean even under --strict."""
    result = run_cli("validate", "--strict", "--verbose", str(BASE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
