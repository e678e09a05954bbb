"""The build plan shared by build and publish: one key, outputs reused, nothing rendered twice.

In-process (build, build_site, the sources command through click's runner), on copies of the
site fixture (two briefings at TLP:CLEAR, one at TLP:AMBER, above its publish ceiling); one
test runs the real CLI to read publish's summary.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import briefgen.editions.plan as plan
import briefgen.provenance.verify as verify
from briefgen.build import BuildOptions, build
from briefgen.cli.sources_cmd import sources
from briefgen.editions import render_briefing
from briefgen.editions.plan import briefing_keys
from briefgen.model import Project
from briefgen.render.inputs import briefing_inputs
from briefgen.site.ceiling import apply_ceiling
from briefgen.site.publish import SiteBuild, build_site, project_outputs
from briefgen.validate import validate_project
from tests.conftest import REPO, run_cli
from tests.editions.outputs_bytes import comparable
from tests.site.conftest import AMBER_ID, CLEAR_IDS, FIXTURE

KEY_FILE = ".briefgen-key"
PROVENANCE_BASE = REPO / "tests" / "provenance" / "base"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the site fixture."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "project"))


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the briefings rendered in this process from now on (serial runs only)."""
    seen: list[str] = []

    def counted(
        project: Project, briefing_id: str, formats: object, **shared: Any
    ) -> dict[str, bytes]:
        seen.append(briefing_id)
        return render_briefing(project, briefing_id, formats, **shared)  # type: ignore[arg-type]

    monkeypatch.setattr(plan, "render_briefing", counted)
    return seen


def _validated(root: Path) -> Project:
    project = validate_project(root).project
    assert project is not None
    return project


def _publish(root: Path, jobs: int = 1) -> SiteBuild:
    return build_site(_validated(root), outputs=project_outputs(root), jobs=jobs)


def _record(root: Path, briefing_id: str) -> dict[str, object]:
    text = (root / "output" / briefing_id / KEY_FILE).read_text(encoding="utf-8")
    record: dict[str, object] = json.loads(text)
    return record


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_key_does_not_change_with_the_formats(project: Path) -> None:
    assert build(project, BuildOptions(formats=("md",))).ok
    md_only = _record(project, CLEAR_IDS[0])
    assert build(project, BuildOptions(formats=("html", "md"))).ok
    both = _record(project, CLEAR_IDS[0])
    assert md_only["key"] == both["key"]
    assert set(both["files"]) == {"briefing.html", "briefing.md"}  # type: ignore[arg-type]
    inputs = briefing_inputs(_validated(project), CLEAR_IDS[0], templates="")
    assert "formats" not in inputs and "source_date_epoch" in inputs


def test_a_released_briefing_has_the_same_key_in_the_whole_project() -> None:
    whole = _validated(FIXTURE)
    released = apply_ceiling(whole).project
    assert sorted(released.briefings) == list(CLEAR_IDS)
    assert briefing_keys(released, CLEAR_IDS) == briefing_keys(whole, CLEAR_IDS)


def test_publish_after_build_renders_no_pdf(project: Path) -> None:
    built = run_cli("build", str(project))
    assert built.returncode == 0, built.stderr
    pdfs = {i: (project / "output" / i / "briefing.pdf").read_bytes() for i in CLEAR_IDS}
    published = run_cli("publish", str(project))
    assert published.returncode == 0, published.stderr
    assert "; 0 PDFs rendered, 2 reused" in published.stderr
    site = project / "output" / "site" / "briefings"
    for briefing_id, pdf in pdfs.items():
        assert (site / f"{briefing_id}.pdf").read_bytes() == pdf


def test_publish_writes_what_build_and_the_next_publish_reuse(
    project: Path, renders: list[str]
) -> None:
    first = _publish(project)
    assert first.pdfs_rendered == CLEAR_IDS and first.pdfs_reused == ()
    assert renders == list(CLEAR_IDS)
    assert set(_record(project, CLEAR_IDS[0])["files"]) == {  # type: ignore[arg-type]
        "briefing.pdf",
        "briefing.html",
        "briefing.md",
    }
    result = build(project, BuildOptions())
    assert result.ok and result.skipped == list(CLEAR_IDS)  # only the withheld one is built
    renders.clear()
    second = _publish(project)
    assert renders == [] and second.pdfs_rendered == () and second.pdfs_reused == CLEAR_IDS
    assert second.files == first.files


def test_a_changed_briefing_is_rendered_again_and_only_it(
    project: Path, renders: list[str]
) -> None:
    _publish(project)
    renders.clear()
    changed = CLEAR_IDS[1]
    _edit(project / "content" / "briefings" / f"{changed}.yaml", "title: ", "title: Revised ")
    again = _publish(project)
    assert renders == [changed]
    assert again.pdfs_rendered == (changed,) and again.pdfs_reused == (CLEAR_IDS[0],)
    assert "Revised" in (project / "output" / changed / "briefing.md").read_text("utf-8")


def test_a_briefing_above_the_ceiling_is_never_rendered_by_publish(
    project: Path, renders: list[str]
) -> None:
    assert build(project, BuildOptions(formats=("md",), only=(AMBER_ID,))).ok
    renders.clear()
    site = _publish(project)
    assert AMBER_ID not in renders and AMBER_ID not in site.pdfs_rendered + site.pdfs_reused
    assert not any(AMBER_ID in path for path in site.files)
    record = _record(project, AMBER_ID)  # build's outputs of it are left as they were
    assert set(record["files"]) == {"briefing.md"}  # type: ignore[arg-type]


def test_a_draft_reuses_markdown_and_writes_nothing(project: Path, renders: list[str]) -> None:
    draft = build_site(_validated(project), pdf=False, outputs=project_outputs(project))
    assert renders == list(CLEAR_IDS)
    assert not (project / "output").exists()
    assert build(project, BuildOptions(formats=("md",))).ok
    renders.clear()
    again = build_site(_validated(project), pdf=False, outputs=project_outputs(project))
    assert renders == [] and again.files == draft.files


def test_publish_in_two_jobs_gives_the_same_bytes(project: Path, tmp_path: Path) -> None:
    other = Path(shutil.copytree(project, tmp_path / "other"))
    serial, parallel = _publish(project), _publish(other, jobs=2)
    assert parallel.pdfs_rendered == serial.pdfs_rendered == CLEAR_IDS
    assert parallel.files.keys() == serial.files.keys()
    for path, data in serial.files.items():
        assert parallel.files[path] == data, path
    for briefing_id in CLEAR_IDS:
        for name in ("briefing.pdf", "briefing.html", "briefing.md", KEY_FILE):
            mine = comparable(project / "output" / briefing_id / name)
            assert comparable(other / "output" / briefing_id / name) == mine, name


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the archive text extractions (by archive path) made in this process."""
    calls: list[str] = []
    real: Callable[..., str] = verify.extract_text

    def counted(file: verify.ArchiveFile) -> str:
        calls.append(file.display)
        return real(file)

    # verify looks the function up in its own namespace (imported from archives by name).
    monkeypatch.setattr(verify, "extract_text", counted)
    return calls


def test_sources_verifies_each_archive_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch)
    runs: list[int] = []
    verify_all = verify.verify_all

    def counted_run(*args: object, **kwargs: object) -> object:
        runs.append(1)
        return verify_all(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(verify, "verify_all", counted_run)
    result = CliRunner().invoke(sources, [str(PROVENANCE_BASE)], standalone_mode=False)
    assert result.exception is None, result.output
    assert re.search(r"direct quotes: \d+ verified", result.output)
    assert calls, "the base project's quotes are checked against its archives"
    assert len(calls) == len(set(calls)), calls  # each archive read once: no second check
    assert len(runs) == 1
