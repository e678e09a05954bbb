"""Archive kinds and limits, the JSON report, the rendered mark, and the reference content.

These need files made at test time (a PDF rendered by WeasyPrint from text written here, a
symbolic link, bytes that are not UTF-8, a large archive), so they are not data-driven cases.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

BASE = Path(__file__).resolve().parent / "base"
SOURCES = "content/sources.yaml"
BRIEFING = "content/briefings/water.yaml"
AUTHORITY_HTML = "path: content/archive/authority-2024-03-01.html"
SEED = REPO.parent / "shared" / "seed"


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    return project


def _edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_symlink_out_of_the_project_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("appeal the decision in every court", encoding="utf-8")
    project = _project(tmp_path)
    link = project / "content/archive/linked.txt"
    link.symlink_to(outside)
    _edit(
        project,
        SOURCES,
        "path: content/archive/gazette-2024-03-02.txt",
        "path: content/archive/linked.txt",
    )
    result = run_cli("validate", str(project))
    assert result.returncode == 1
    assert (
        f"{SOURCES}:11:13: error: archive path 'content/archive/linked.txt' leads outside the "
        "project (through a symbolic link)" in result.stdout
    )


def test_archive_that_is_not_utf8(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "content/archive/latin1.txt").write_bytes("Caf\xe9 society".encode("latin-1"))
    _edit(
        project,
        SOURCES,
        "path: content/archive/gazette-2024-03-02.txt",
        "path: content/archive/latin1.txt",
    )
    result = run_cli("validate", str(project))
    assert result.returncode == 1
    assert "error: archive content/archive/latin1.txt is not UTF-8 text (byte 3)" in result.stdout


def test_archive_over_the_size_limit(tmp_path: Path) -> None:
    project = _project(tmp_path)
    with (project / "content/archive/gazette-2024-03-02.txt").open("r+b") as handle:
        handle.truncate(21 * 2**20)  # sparse: no 21 MiB written to disk
    result = run_cli("validate", str(project))
    assert result.returncode == 1
    assert "is 21.0 MiB; the limit is 20 MiB" in result.stdout


def _pdf_archive(project: Path, paragraph: str) -> None:
    from weasyprint import HTML  # the real renderer, not a mock

    html = f"<html><body><h1>Notice</h1><p>{paragraph}</p></body></html>"
    HTML(string=html).write_pdf(project / "content/archive/authority-2024-03-01.pdf")
    _edit(project, SOURCES, AUTHORITY_HTML, "path: content/archive/authority-2024-03-01.pdf")


NOTICE = (
    "From 1 March 2024 the quota for farms in the Northvale district is cut by twenty per cent. "
    "The cut is temporary and will be reviewed every month, “with the first review before the "
    "end of March”. Farmers’ associations were informed on 29 February."
)


def test_pdf_archive_verifies(tmp_path: Path) -> None:
    project = _project(tmp_path)
    _pdf_archive(project, NOTICE)
    result = run_cli("sources", "--strict", str(project))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "quote authority-review [verified]" in result.stdout


def test_pdf_archive_names_the_changed_word(tmp_path: Path) -> None:
    project = _project(tmp_path)
    _pdf_archive(project, NOTICE.replace("the first review", "the second review"))
    result = run_cli("validate", str(project))
    assert result.returncode == 1
    assert (
        f"{BRIEFING}:35:11: error: quote not found in the archive of 'authority-2024-03-01' "
        '(content/archive/authority-2024-03-01.pdf): the quote has "first" where the archive '
        'has "second"' in result.stdout
    )


def test_sources_json(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "content/archive/gazette-2024-03-02.txt").unlink()
    result = run_cli("sources", "--format", "json", "--verbose", str(project))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    (briefing,) = data["briefings"]
    assert briefing["briefing"] == "water"
    assert briefing["quotes"] == {"verified": 1, "unverified": 1, "failing": 0}
    facts = {f["fact"]: f for f in briefing["facts"]}
    appeal = facts["quote mayor-appeal"]
    assert appeal["quote"] == "unverified"
    assert appeal["chains"] == [["gazette-2024-03-02", "radio-2024-03-01"]]
    assert appeal["independent_origins"] == 1
    assert appeal["line"] == 22
    assert facts["assessment 1"]["origins"] == ["radio-2024-03-01", "authority-2024-03-01"]
    codes = {d["code"] for d in data["diagnostics"]}
    assert {"archive-missing", "unverified-quote"} <= codes


def test_sources_exit_codes(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "content/archive/gazette-2024-03-02.txt").unlink()
    assert run_cli("sources", str(project)).returncode == 0
    strict = run_cli("sources", "--strict", str(project))
    assert strict.returncode == 1
    assert "quote not verified" in strict.stderr
    assert run_cli("sources", str(tmp_path / "nowhere")).returncode == 2


def test_rendered_html_marks_only_unverified_quotes(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "content/archive/gazette-2024-03-02.txt").unlink()
    result = run_cli("build", "--format", "html", str(project))
    assert result.returncode == 0, result.stdout + result.stderr
    html = (project / "output/water/briefing.html").read_text(encoding="utf-8")
    marks = html.count('<span class="unverified"')
    # One mark, on the mayor's quote (its archive is gone), plus the legend explaining it.
    assert marks == 2, html
    mayor = html.index("appeal the decision")
    assert html.index('<span class="unverified"', mayor) < html.index("first review")


def test_large_archive_is_fast(tmp_path: Path) -> None:
    """A 5 MB archive: the exact search is linear; only the failing quote is searched closely."""
    project = _project(tmp_path)
    filler = " ".join(f"word{i % 9973} river{i % 7919} quota{i % 104729}." for i in range(180_000))
    archive = project / "content/archive/gazette-2024-03-02.txt"
    archive.write_text(filler + "\n" + archive.read_text(encoding="utf-8"), encoding="utf-8")
    assert archive.stat().st_size > 5_000_000
    started = time.monotonic()
    verified = run_cli("validate", "--strict", str(project))
    fast = time.monotonic() - started
    assert verified.returncode == 0, verified.stdout
    _edit(project, BRIEFING, "appeal the decision", "appeal the ruling")
    started = time.monotonic()
    failing = run_cli("validate", str(project))
    slow = time.monotonic() - started
    assert 'the quote has "ruling" where the archive has "decision"' in failing.stdout
    assert fast < 10 and slow < 20, (fast, slow)


@pytest.mark.skipif(
    not SEED.is_dir() or not any(SEED.glob("*.txt")),
    reason=f"no seed text at {SEED} (CI has shared/ beside the clone); the reference report "
    "is third-party text and is not in the repository",
)
def test_reference_content_quotes_verify_with_the_seed_archive(tmp_path: Path) -> None:
    """With a copy of the reference report where content/ names it, every quote verifies."""
    project = tmp_path / "reference"
    project.mkdir()
    shutil.copy(REPO / "briefgen.yaml", project)
    shutil.copytree(REPO / "content", project / "content", ignore=shutil.ignore_patterns("archive"))
    paths = _reference_archive_paths(project)
    if not paths:
        pytest.skip("content/sources.yaml names no archive for the reference report yet")
    (seed,) = sorted(SEED.glob("*.txt"))
    for relative in paths:
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(seed, project / relative)
    result = run_cli("sources", "--format", "json", "--strict", str(project))
    report = json.loads(result.stdout)
    assert result.returncode == 0, report["diagnostics"]
    quotes = [f for b in report["briefings"] for f in b["facts"] if f["quote"] is not None]
    assert quotes, "the reference content has no direct quotes"
    assert {f["quote"] for f in quotes} == {"verified"}, quotes


def _reference_archive_paths(project: Path) -> list[str]:
    import yaml

    data = yaml.safe_load((project / SOURCES).read_text(encoding="utf-8"))
    return [s["archive"]["path"] for s in data["sources"] if isinstance(s.get("archive"), dict)]


def test_no_archive_text_in_the_repository() -> None:
    """content/archive/ is git-ignored: the reference report's text is not ours to commit."""
    ignore = (REPO / ".gitignore").read_text(encoding="utf-8").split()
    assert "content/archive/" in ignore
