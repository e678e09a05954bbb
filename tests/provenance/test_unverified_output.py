"""Unverified quotes are never passed silently, in any output format or command.

The project is tests/provenance/base with the archive of 'gazette-2024-03-02' removed: one
direct quote cannot be checked (an ``unverified-quote`` note) and the source's archive file is
missing (an ``archive-missing`` note). Everything runs through the real CLI.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import run_cli

BASE = Path(__file__).resolve().parent / "base"
QUOTE_AT = "content/briefings/water.yaml:24:11"
COUNTED = "1 quote unverified, 1 note"


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    (project / "content/archive/gazette-2024-03-02.txt").unlink()
    return project


def test_text_summary_counts_the_notes_and_v_lists_them(tmp_path: Path) -> None:
    project = _project(tmp_path)
    plain = run_cli("validate", str(project))
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout == ""
    # "no problems" is kept (scripts grep it); the notes follow it.
    assert plain.stderr.strip() == (
        "briefgen validate: 1 briefing(s), 3 actors, 3 sources: no problems; "
        f"{COUNTED} (run with -v to list them)"
    )
    verbose = run_cli("validate", "-v", str(project))
    assert f"{QUOTE_AT}: info: quote not verified" in verbose.stdout
    assert verbose.stderr.strip().endswith(f"no problems; {COUNTED}")
    assert run_cli("validate", "-q", str(project)).stderr == ""


def test_json_includes_the_notes_without_v(tmp_path: Path) -> None:
    result = run_cli("validate", "--format", "json", str(_project(tmp_path)))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {(r["severity"], r["code"]) for r in rows} == {
        ("info", "unverified-quote"),
        ("info", "archive-missing"),
    }


def test_github_shows_the_notes_as_notices_without_v(tmp_path: Path) -> None:
    result = run_cli("validate", "--format", "github", str(_project(tmp_path)))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        "::notice file=content/briefings/water.yaml,line=24,col=11::quote not verified"
    )
    assert lines[1].startswith("::notice file=content/sources.yaml,line=11,col=13::")


def test_strict_counts_the_unverified_quote_as_an_error(tmp_path: Path) -> None:
    result = run_cli("validate", "--strict", str(_project(tmp_path)))
    assert result.returncode == 1
    assert f"{QUOTE_AT}: error: quote not verified" in result.stdout
    # Only the unverified-quote note is promoted; the other stays a note.
    assert result.stderr.strip().endswith(": 1 error; 1 note (run with -v to list them)")


def test_sources_counts_notes_and_has_quiet(tmp_path: Path) -> None:
    project = _project(tmp_path)
    plain = run_cli("sources", str(project))
    assert plain.returncode == 0, plain.stderr
    assert plain.stderr.strip() == (
        f"briefgen sources: no problems; {COUNTED} (run with -v to list them)"
    )
    quiet = run_cli("sources", "-q", str(project))
    assert quiet.returncode == 0
    assert quiet.stderr == ""
    assert quiet.stdout == plain.stdout
    listed = run_cli("sources", "-v", str(project))
    assert f"{QUOTE_AT}: info: quote not verified" in listed.stderr
    payload = json.loads(run_cli("sources", "--format", "json", str(project)).stdout)
    assert "unverified-quote" in {d["code"] for d in payload["diagnostics"]}


def test_publish_counts_notes_and_v_lists_them(tmp_path: Path) -> None:
    project = _project(tmp_path)
    # Opted in: without it, publish refuses the quote (tests/site/test_quote_gate.py).
    with (project / "briefgen.yaml").open("a", encoding="utf-8") as settings:
        settings.write("publish_unverified_quotes: true\n")
    site = tmp_path / "site"
    plain = run_cli("publish", "--no-pdf", "--out", str(site), str(project))
    assert plain.returncode == 0, plain.stderr
    assert "info:" not in plain.stdout
    assert (
        plain.stderr.strip()
        .splitlines()[-1]
        .endswith(f"files in {site}; {COUNTED} (run with -v to list them)")
    )
    verbose = run_cli("publish", "--no-pdf", "-v", "-q", "--out", str(site), str(project))
    assert verbose.returncode == 0, verbose.stderr
    assert f"{QUOTE_AT}: info: quote not verified" in verbose.stdout
    assert verbose.stderr == ""


def test_build_summary_counts_the_unverified_quotes(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = run_cli("build", "--format", "md", str(project))
    assert result.returncode == 0, result.stderr
    assert f"; {COUNTED} (run with -v to list them)" in result.stderr
    markdown = (project / "output/water/briefing.md").read_text(encoding="utf-8")
    assert "unverified" in markdown.lower()
