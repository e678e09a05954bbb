"""An archive the input fingerprint leaves out still decides whether a run is recalled.

A source's archive may be any file of the project, also one in the output folder or in a
top-level hidden folder, which the fingerprint does not read (:mod:`briefgen.editions.fingerprint`).
Before, a build or publish that verified a quote against such an archive was recalled after the
archive changed: the quote, no longer in the archive, passed without an error. On copies of the
site fixture, through the real CLI (publish's record is kept by the command).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from tests.conftest import run_cli
from tests.site.conftest import FIXTURE

QUOTE = "Safety comes before speed."  # north-quay-2024, from board-notice-2024
HOLDS = f"Lena Probe, the director, wrote: {QUOTE} The quay stays closed.\n"
LACKS = "The notice says nothing of the kind.\n"


@pytest.fixture(
    params=[".archives/notice.txt", "output/archives/notice.txt", "content/__pycache__/n.txt"]
)
def project(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the site fixture whose board-notice-2024 has its archive at the param."""
    root = Path(shutil.copytree(FIXTURE, tmp_path / "project"))
    sources = root / "content" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    marker = "    url: https://example.org/eastbay/notices/north-quay\n"
    assert marker in text
    written = str(request.param)
    sources.write_text(
        text.replace(marker, f"{marker}    archive:\n      path: {written}\n"), encoding="utf-8"
    )
    archive = root / written
    archive.parent.mkdir(parents=True)
    archive.write_text(HOLDS, encoding="utf-8")
    return root, archive


def test_a_build_is_not_recalled_once_such_an_archive_changed(project: tuple[Path, Path]) -> None:
    root, archive = project
    options = BuildOptions(formats=("md",))
    first = build(root, options)
    assert first.ok, first.report.items
    archive.write_text(LACKS, encoding="utf-8")
    again = build(root, options)
    assert not again.ok
    assert any("quote not found" in d.message for d in again.report.items)


def test_a_build_is_still_recalled_while_it_is_as_it_was(project: tuple[Path, Path]) -> None:
    root, _ = project
    options = BuildOptions(formats=("md",))
    assert build(root, options).ok
    again = build(root, options)
    assert again.ok and again.rendered == [] and again.written == []
    # Recalled: the record's report, not a new one (a full run would also say so; see below).
    assert (root / "output" / ".briefgen-build").is_file()


def test_a_publish_is_not_recalled_once_such_an_archive_changed(
    project: tuple[Path, Path],
) -> None:
    root, archive = project
    first = run_cli("publish", str(root), "--no-pdf", "-q")
    assert first.returncode == 0, first.stderr
    archive.write_text(LACKS, encoding="utf-8")
    again = run_cli("publish", str(root), "--no-pdf")
    assert again.returncode == 1, again.stderr
    assert "quote not found" in again.stdout + again.stderr
    assert "unchanged: nothing changed" not in again.stderr


def test_a_publish_is_still_recalled_while_it_is_as_it_was(project: tuple[Path, Path]) -> None:
    root, _ = project
    assert run_cli("publish", str(root), "--no-pdf", "-q").returncode == 0
    again = run_cli("publish", str(root), "--no-pdf")
    assert again.returncode == 0, again.stderr
    assert "unchanged: nothing changed since the last publish" in again.stderr
