"""Incremental and parallel builds: skip what is up to date, rebuild what changed, same bytes.

Each test builds a copy of the full fixture holding two briefings (the fixture's and a copy of
it under another id) with the real CLI, and reads what was rendered from ``--verbose``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from briefgen.build import MEMO_FILE
from tests.conftest import REPO, run_cli
from tests.editions.outputs_bytes import comparable
from tests.render.helpers import REFERENCE_ID, copy_fixture, reference_available, reference_copy

FULL_ID = "water-quotas-2024-03"
OTHER_ID = "water-quotas-copy"
KEY_FILE = ".briefgen-key"


def _project(tmp_path: Path) -> Path:
    project = copy_fixture("full", tmp_path)
    briefings = project / "content" / "briefings"
    shutil.copy(briefings / f"{FULL_ID}.yaml", briefings / f"{OTHER_ID}.yaml")
    return project


def _build(project: Path, *args: str, env: dict[str, str] | None = None) -> set[str]:
    """Run a verbose build of md and html; the ids of the briefings it rendered."""
    formats = () if "--format" in args else ("--format", "md,html")
    result = run_cli("build", str(project), "-v", *formats, *args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    rendered = re.findall(r"^(?:wrote|unchanged) \S*?([^/\s]+)/briefing\.\w+ ", result.stderr, re.M)
    skipped = re.findall(r"^up to date (\S+)$", result.stderr, re.M)
    assert not set(rendered) & set(skipped)
    assert f"{len(skipped)} briefing(s) up to date" in result.stderr or not skipped
    return set(rendered)


def _outputs(folder: Path) -> list[Path]:
    """The files of each briefing folder (not the build's record beside them)."""
    found = (p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    return sorted(p for p in found if p.as_posix() != MEMO_FILE)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_second_build_skips_and_force_rebuilds(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert _build(project) == {FULL_ID, OTHER_ID}
    html = project / "output" / FULL_ID / "briefing.html"
    before = html.stat().st_mtime_ns
    assert (project / "output" / FULL_ID / KEY_FILE).is_file()
    assert _build(project) == set()
    assert html.stat().st_mtime_ns == before
    assert _build(project, "--force") == {FULL_ID, OTHER_ID}
    assert html.stat().st_mtime_ns == before  # same bytes: the file is left alone


def test_a_changed_briefing_rebuilds_only_itself(tmp_path: Path) -> None:
    project = _project(tmp_path)
    _build(project)
    _edit(
        project / "content" / "briefings" / f"{OTHER_ID}.yaml", 'version: "2.1"', 'version: "2.2"'
    )
    assert _build(project) == {OTHER_ID}
    assert "version 2.2" in (project / "output" / OTHER_ID / "briefing.html").read_text()


def test_a_used_actor_rebuilds_an_unused_one_does_not(tmp_path: Path) -> None:
    project = _project(tmp_path)
    _build(project)
    actors = project / "content" / "actors.yaml"
    _edit(actors, "actors:\n", "actors:\n  - id: nobody-here\n    name: Nobody\n    kind: person\n")
    assert _build(project) == set()
    _edit(actors, "name: Leila Haddad", "name: Leila Haddad-Nour")
    assert _build(project) == {FULL_ID, OTHER_ID}


def test_a_template_rebuilds_everything(tmp_path: Path) -> None:
    project = _project(tmp_path)
    _build(project)
    (project / "templates").mkdir()
    (project / "templates" / "briefing.css").write_text("body { color: #111; }\n", "utf-8")
    assert _build(project) == {FULL_ID, OTHER_ID}
    assert _build(project) == set()


def test_other_formats_or_an_edited_output_rebuild(tmp_path: Path) -> None:
    project = _project(tmp_path)
    _build(project)
    assert _build(project, "--format", "md") == {FULL_ID, OTHER_ID}
    assert _build(project, "--format", "md") == set()
    (project / "output" / OTHER_ID / "briefing.md").write_text("edited by hand\n", "utf-8")
    assert _build(project, "--format", "md") == {OTHER_ID}
    assert "edited by hand" not in (project / "output" / OTHER_ID / "briefing.md").read_text()


def test_parallel_build_gives_the_same_bytes(tmp_path: Path) -> None:
    project = _project(tmp_path)
    briefings = project / "content" / "briefings"
    shutil.copy(briefings / f"{FULL_ID}.yaml", briefings / "water-quotas-third.yaml")
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    args = ("--format", "pdf,html,md")
    assert len(_build(project, *args, "--out", str(serial))) == 3
    assert len(_build(project, *args, "--out", str(parallel), "--jobs", "2")) == 3
    files = _outputs(serial)
    assert len(files) == 3 * 4  # three formats and the key, for three briefings
    assert files == _outputs(parallel)
    for name in files:
        assert comparable(serial / name) == comparable(parallel / name), name


def test_jobs_must_be_a_number_or_auto(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert _build(project, "--jobs", "auto") == {FULL_ID, OTHER_ID}
    bad = run_cli("build", str(project), "--jobs", "0")
    assert bad.returncode == 2
    assert "--jobs" in bad.stderr


SEED = REPO.parent / "shared" / "seed"


@pytest.mark.skipif(
    not reference_available() or not any(SEED.glob("*.txt")),
    reason="needs the reference content and the seed report beside the clone",
)
def test_quote_status_rebuilds(tmp_path: Path) -> None:
    # An archive copy turns the reference quotes from unverified to verified: a new key.
    project = reference_copy(tmp_path)
    assert _build(project) == {REFERENCE_ID}
    html = project / "output" / REFERENCE_ID / "briefing.html"
    assert 'class="unverified"' in html.read_text(encoding="utf-8")
    archive = project / "content" / "archive" / "inn-2023-02-04.txt"
    archive.parent.mkdir()
    shutil.copy(sorted(SEED.glob("*.txt"))[0], archive)
    assert _build(project) == {REFERENCE_ID}
    assert 'class="unverified"' not in html.read_text(encoding="utf-8")


# A record beside a briefing's outputs of any shape but the one briefgen writes: the
# briefing is built again, with no traceback (the output folder is untrusted).
MALFORMED_KEY_RECORDS = {
    "not JSON": b"{not json",
    "not UTF-8": b'\xff{"files": {}, "key": ""}',
    "nested past any limit": b"[" * 100_000 + b"]" * 100_000,
    "a list": b"[]",
    "files as a list": b'{"files": [["briefing.md", "0"]], "key": "k"}',
    "a digest that is a number": b'{"files": {"briefing.md": 7}, "key": "k"}',
    "a key that is a number": b'{"files": {}, "key": 7}',
    "a field more": b'{"files": {}, "key": "k", "more": 1}',
}


@pytest.mark.parametrize("kind", MALFORMED_KEY_RECORDS)
def test_a_malformed_key_record_rebuilds_its_briefing(tmp_path: Path, kind: str) -> None:
    project = _project(tmp_path)
    _build(project)
    (project / "output" / OTHER_ID / KEY_FILE).write_bytes(MALFORMED_KEY_RECORDS[kind])
    assert _build(project, "--format", "md,html") == {OTHER_ID}
    assert (project / "output" / OTHER_ID / KEY_FILE).read_bytes().startswith(b"{\n")
