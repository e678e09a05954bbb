"""Quotes not matched against an archive are marked on every site page that shows them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli

PAGES = ("actors/tom-sample.html", "timeline.html", "briefings/example.html")


def _publish(project: Path) -> Path:
    result = run_cli("publish", "--no-pdf", "-q", str(project))
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "output" / "site"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "desk"
    assert run_cli("init", str(target)).returncode == 0
    return target


def test_verified_quote_carries_no_mark(project: Path) -> None:
    site = _publish(project)
    for page in PAGES:
        assert 'class="unverified"' not in (site / page).read_text(encoding="utf-8"), page


def test_quote_without_archive_is_marked_everywhere(project: Path) -> None:
    (project / "content/archive/radio-north-2024-05-03.txt").unlink()
    site = _publish(project)
    for page in PAGES:
        assert 'class="unverified"' in (site / page).read_text(encoding="utf-8"), page
