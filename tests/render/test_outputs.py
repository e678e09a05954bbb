"""Golden Markdown and HTML, byte-identical rebuilds, and the build command's behaviour.

Golden files live in tests/render/golden/. After an intended change to the output, run
``pytest tests/render --update-golden`` and review the diff line by line.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from briefgen.render.environment import builtin_templates_dir
from tests.conftest import run_cli
from tests.render.helpers import (
    REFERENCE_ID,
    build,
    check_golden,
    copy_fixture,
    reference_available,
    reference_copy,
    without_stylesheet,
)

FULL_ID = "water-quotas-2024-03"
FORMATS = ("briefing.md", "briefing.html", "briefing.pdf")


@pytest.fixture(scope="module")
def full_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("full", tmp_path_factory.mktemp("full"))
    return build(project, "--format", "md,html") / FULL_ID


def _check_goldens(prefix: str, folder: Path) -> None:
    html = (folder / "briefing.html").read_text(encoding="utf-8")
    check_golden(f"{prefix}.md", (folder / "briefing.md").read_text(encoding="utf-8"))
    check_golden(f"{prefix}.html", without_stylesheet(html))


def test_golden_full_fixture(full_out: Path) -> None:
    _check_goldens("full", full_out)


@pytest.mark.skipif(not reference_available(), reason="reference content not written yet")
def test_golden_reference_briefing(tmp_path: Path) -> None:
    # A copy without content/archive/: the golden must not depend on a local archive.
    project = reference_copy(tmp_path)
    _check_goldens("reference", build(project, "--format", "md,html") / REFERENCE_ID)


@pytest.fixture(scope="module")
def full_reader_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("full", tmp_path_factory.mktemp("full-reader"))
    return build(project, "--format", "md,html", "--layout", "reader") / FULL_ID


def test_golden_full_fixture_reader_layout(full_reader_out: Path) -> None:
    _check_goldens("full-reader", full_reader_out)


@pytest.mark.skipif(not reference_available(), reason="reference content not written yet")
def test_golden_reference_briefing_reader_layout(tmp_path: Path) -> None:
    project = reference_copy(tmp_path, layout="reader")
    _check_goldens("reference-reader", build(project, "--format", "md,html") / REFERENCE_ID)


def test_reader_page_embeds_both_stylesheets(full_reader_out: Path) -> None:
    html = (full_reader_out / "briefing.html").read_text(encoding="utf-8")
    base = (builtin_templates_dir() / "briefing.css").read_text(encoding="utf-8")
    reader = (builtin_templates_dir() / "reader" / "briefing.css").read_text(encoding="utf-8")
    assert html.count("<style>") == 1
    assert f"<style>\n{base}\n{reader}\n</style>" in html
    assert not re.search(r"<link\b", html, re.I)


def test_embedded_page_is_self_contained(full_out: Path) -> None:
    # The golden files leave the stylesheet out; here it is, whole, and nothing is linked.
    html = (full_out / "briefing.html").read_text(encoding="utf-8")
    css = (builtin_templates_dir() / "briefing.css").read_text(encoding="utf-8")
    assert html.count("<style>") == 1
    assert f"<style>\n{css}\n</style>" in html
    tag = r"<[a-z][^<>]*"
    assert not re.search(tag + r"\s(?:src|srcset|data)=", html, re.I)
    assert not re.search(r"<link\b", html, re.I)
    assert "@import" not in html and "url(" not in html


def test_two_builds_give_identical_bytes(tmp_path: Path) -> None:
    project = copy_fixture("full", tmp_path)
    first = build(project)
    kept = tmp_path / "first"
    shutil.copytree(first, kept)
    shutil.rmtree(first)
    second = build(project)
    for name in FORMATS:
        assert (kept / FULL_ID / name).read_bytes() == (second / FULL_ID / name).read_bytes()


def test_source_date_epoch_sets_modification_date(tmp_path: Path) -> None:
    from pypdf import PdfReader

    project = copy_fixture("full", tmp_path)
    out = build(project, "--format", "pdf", env={"SOURCE_DATE_EPOCH": "1709856000"})
    info = PdfReader(out / FULL_ID / "briefing.pdf").metadata
    assert info is not None
    assert info["/ModDate"].startswith("D:20240308")
    assert info["/CreationDate"] == "D:20240308"


def test_rebuild_leaves_unchanged_files_alone(tmp_path: Path) -> None:
    project = copy_fixture("full", tmp_path)
    out = build(project, "--format", "md")
    before = (out / FULL_ID / "briefing.md").stat().st_mtime_ns
    result = run_cli("build", str(project), "--format", "md", "--out", str(out), "--force")
    assert "1 unchanged" in result.stderr
    assert (out / FULL_ID / "briefing.md").stat().st_mtime_ns == before


def test_errors_write_nothing(tmp_path: Path) -> None:
    project = copy_fixture("full", tmp_path)
    briefing = project / "content" / "briefings" / f"{FULL_ID}.yaml"
    briefing.write_text(briefing.read_text().replace("TLP:AMBER+STRICT", "TLP:WHITE"))
    result = run_cli("build", str(project))
    assert result.returncode == 1
    assert "TLP:CLEAR" in result.stdout  # the diagnostic, as validate prints it
    assert "nothing written" in result.stderr
    assert not (project / "output").exists()


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    project = copy_fixture("full", tmp_path)
    briefing = project / "content" / "briefings" / f"{FULL_ID}.yaml"
    text = briefing.read_text().replace(
        "sources: [agency-wire-2024-03-06, council-notice-2024-02]",
        "sources: [agency-wire-2024-03-06]",
    )
    briefing.write_text(text)
    assert run_cli("build", str(project), "--format", "md").returncode == 0
    assert run_cli("build", str(project), "--format", "md", "--strict").returncode == 1


def test_only_and_format(tmp_path: Path) -> None:
    project = copy_fixture("full", tmp_path)
    out = build(project, "--only", FULL_ID, "--format", "md")
    assert sorted(p.name for p in (out / FULL_ID).iterdir()) == [".briefgen-key", "briefing.md"]
    unknown = run_cli("build", str(project), "--only", "nope")
    assert unknown.returncode == 2
    assert "no briefing 'nope'" in unknown.stderr
    bad = run_cli("build", str(project), "--format", "docx")
    assert bad.returncode == 2


def test_init_project_builds(tmp_path: Path) -> None:
    assert run_cli("init", str(tmp_path / "p")).returncode == 0
    out = build(tmp_path / "p")
    assert sorted(p.name for p in (out / "example").glob("briefing.*")) == sorted(FORMATS)
