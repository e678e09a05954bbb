"""A build or publish with nothing changed renders nothing; one edit renders that briefing only.

Asserted on what was rendered (``BuildResult.rendered``/``skipped``, ``SiteBuild.pdfs_rendered``
/``pdfs_reused`` and publish's summary), never on time. On copies of the site fixture (two
briefings at TLP:CLEAR, one at TLP:AMBER above the publish ceiling), in process except the
last test, which reads the real CLI's summary.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from briefgen.site.publish import SiteBuild, build_site, project_outputs
from briefgen.validate import validate_project
from tests.conftest import run_cli
from tests.site.conftest import AMBER_ID, CLEAR_IDS, FIXTURE

ALL_IDS = sorted((*CLEAR_IDS, AMBER_ID))
HTML_MD = BuildOptions(formats=("html", "md"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the site fixture."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "project"))


def _publish(root: Path) -> SiteBuild:
    project = validate_project(root).project
    assert project is not None
    return build_site(project, outputs=project_outputs(root))


def _edit_title(root: Path, briefing_id: str) -> None:
    path = root / "content" / "briefings" / f"{briefing_id}.yaml"
    text = path.read_text(encoding="utf-8")
    assert "title: " in text
    path.write_text(text.replace("title: ", "title: Revised ", 1), encoding="utf-8")


def test_a_build_with_nothing_changed_renders_nothing(project: Path) -> None:
    first = build(project, HTML_MD)
    assert first.ok and first.rendered == ALL_IDS and first.skipped == []
    second = build(project, HTML_MD)
    assert second.ok and second.rendered == [] and second.skipped == ALL_IDS
    assert second.written == []


def test_a_build_after_one_edit_renders_that_briefing_only(project: Path) -> None:
    assert build(project, HTML_MD).ok
    _edit_title(project, CLEAR_IDS[1])
    again = build(project, HTML_MD)
    assert again.rendered == [CLEAR_IDS[1]]
    assert again.skipped == [i for i in ALL_IDS if i != CLEAR_IDS[1]]
    assert {w.briefing_id for w in again.written} == {CLEAR_IDS[1]}


def test_a_publish_with_nothing_changed_renders_no_pdf(project: Path) -> None:
    first = _publish(project)
    assert first.pdfs_rendered == CLEAR_IDS and first.pdfs_reused == ()
    second = _publish(project)
    assert second.pdfs_rendered == () and second.pdfs_reused == CLEAR_IDS
    assert second.files == first.files
    # And a build after it: every released briefing is up to date in every format.
    built = build(project, BuildOptions(only=CLEAR_IDS))
    assert built.rendered == [] and built.skipped == list(CLEAR_IDS)


def test_publish_after_one_edit_renders_exactly_one_pdf(project: Path) -> None:
    assert run_cli("publish", str(project)).returncode == 0
    _edit_title(project, CLEAR_IDS[0])
    result = run_cli("publish", str(project))
    assert result.returncode == 0, result.stderr
    assert "; 1 PDF rendered, 1 reused" in result.stderr
    again = run_cli("publish", str(project))
    assert "; 0 PDFs rendered, 2 reused" in again.stderr


def test_workers_take_source_date_epoch_as_it_is_now(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Workers come from a fork server started with the environment of its time; the key (and
    # so the bytes) must follow SOURCE_DATE_EPOCH as the parent has it when it builds.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    pdf_only = BuildOptions(formats=("pdf",), only=CLEAR_IDS, jobs=2)
    assert build(project, dataclasses.replace(pdf_only, out_dir=tmp_path / "before")).ok
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    parallel = build(project, dataclasses.replace(pdf_only, out_dir=tmp_path / "parallel"))
    serial = build(project, dataclasses.replace(pdf_only, out_dir=tmp_path / "serial", jobs=1))
    assert parallel.ok and serial.ok
    for briefing_id in CLEAR_IDS:
        made = (tmp_path / "parallel" / briefing_id / "briefing.pdf").read_bytes()
        assert made == (tmp_path / "serial" / briefing_id / "briefing.pdf").read_bytes()
