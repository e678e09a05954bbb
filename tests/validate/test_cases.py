"""Golden-file suite of bad inputs: each folder under cases/ is one project with one problem.

A case is the valid project in base/ with the case folder's files laid over it (see README.md),
run by the shared runner (tests/case_runner.py): the real CLI's stdout must equal the case's
expected.txt exactly, and its exit code must be the one in case.toml. ``pytest --update-golden``
rewrites the expected files from the actual output instead (review the diff before committing).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.case_runner import case_folders, check_complete, run_case
from tests.conftest import run_cli

HERE = Path(__file__).resolve().parent
BASE = HERE / "base"


@pytest.mark.parametrize("folder", case_folders(HERE), ids=lambda p: p.name)
def test_case(folder: Path, tmp_path: Path, update_golden: bool) -> None:
    run_case(folder, BASE, tmp_path, update=update_golden)


def test_base_is_clean_under_strict(tmp_path: Path) -> None:
    """The base every case starts from has no problem at all, so each case shows only its own."""
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    result = run_cli("validate", "--strict", str(project))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_every_case_is_complete() -> None:
    """Each case folder has case.toml, expected.txt, and changes something."""
    check_complete(HERE)
