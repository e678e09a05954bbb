"""Shared helpers for the test suite: run the real CLI as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import golden

REPO = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden``: the one switch that rewrites every expected-output file."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden and expected-output files from the actual output "
        "(then review the diff line by line)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Make the switch readable from helpers that are not fixtures (golden comparisons)."""
    golden.UPDATE = bool(config.getoption("--update-golden"))


@pytest.fixture
def update_golden() -> bool:
    """True under ``pytest --update-golden``."""
    return golden.UPDATE


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``briefgen ARGS`` in a fresh interpreter, as a user would, and capture its output."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *args],
        cwd=cwd or REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def cli() -> object:
    """The :func:`run_cli` helper as a fixture."""
    return run_cli


@pytest.fixture(scope="session")
def init_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ``briefgen init`` project per test session: copy it, never change it."""
    target = tmp_path_factory.mktemp("init-template") / "desk"
    created = run_cli("init", str(target))
    assert created.returncode == 0, created.stderr
    return target


@pytest.fixture(scope="session")
def wheel_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The briefgen wheel built from this tree (once per test session)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = out.glob("briefgen-*.whl")
    return wheel
