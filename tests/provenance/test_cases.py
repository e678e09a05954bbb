"""Data-driven provenance cases: each folder under cases/ is the project in base/, changed.

A case's case.toml says how to change base/ (files laid over it, ``[[edit]]`` replacements in a
file, files to remove), which command to run (``args``; the project path is appended), its exit
code, and text that must (``stdout_contains``) or must not (``stdout_excludes``) be printed; its
expected.txt is the exact output. The shared runner (tests/case_runner.py) runs the real CLI as
a subprocess; ``pytest --update-golden`` rewrites expected.txt. Every archive text here was
written for these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.case_runner import case_folders, check_complete, run_case
from tests.conftest import run_cli

HERE = Path(__file__).resolve().parent
BASE = HERE / "base"


@pytest.mark.parametrize("folder", case_folders(HERE), ids=lambda p: p.name)
def test_case(folder: Path, tmp_path: Path, update_golden: bool) -> None:
    run_case(folder, BASE, tmp_path, update=update_golden)


def test_every_case_is_complete() -> None:
    """Each case folder has case.toml, expected.txt, and changes something."""
    check_complete(HERE)


def test_base_verifies_every_quote_under_strict() -> None:
    """The base has archived text for every quote: clean even under --strict."""
    result = run_cli("validate", "--strict", "--verbose", str(BASE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
