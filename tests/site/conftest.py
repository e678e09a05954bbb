"""Fixtures of the site tests: the canary project, published once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli

FIXTURE = Path(__file__).resolve().parent / "fixture"
AMBER_ID = "canary-sealed-zq0"
CLEAR_IDS = ("night-shift-2021", "north-quay-2024")


def copy_fixture(target: Path) -> Path:
    """A fresh copy of the fixture project under ``target``."""
    project = target / "project"
    shutil.copytree(FIXTURE, project)
    return project


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The fixture project published with `briefgen publish`: (site folder, stderr)."""
    project = copy_fixture(tmp_path_factory.mktemp("published"))
    result = run_cli("publish", str(project))
    assert result.returncode == 0, result.stderr + result.stdout
    return project / "output" / "site", result.stderr


@pytest.fixture(scope="session")
def site(published: tuple[Path, str]) -> Path:
    """The published site folder (read it, never change it)."""
    return published[0]


def site_files(site: Path) -> list[Path]:
    """Every file under the site, in name order."""
    return sorted(p for p in site.rglob("*") if p.is_file())


def html_pages(site: Path) -> list[Path]:
    """Every HTML page of the site."""
    return [p for p in site_files(site) if p.suffix == ".html"]
