"""A build after editing a few briefing files checks and renders those alone, as a full run would.

Each case edits briefing files of a copy of the site fixture after a full build; the next
build must validate only the edited briefings (validate_project's ``only``, counted, not
replaced), and its report and its outputs must be exactly those of a full run on the same
files: the report of a fresh full validation, and the bytes of a ``--force`` build into
another folder. Any other change (a new briefing, the sources file) is a full run.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import briefgen.build
from briefgen.build import MEMO_FILE, BuildOptions, build
from briefgen.validate import validate_project
from tests.editions.outputs_bytes import comparable
from tests.site.conftest import AMBER_ID, CLEAR_IDS, FIXTURE

HTML_MD = BuildOptions(formats=("html", "md"))
BRIEFINGS = "content/briefings"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "project"))


@pytest.fixture
def only_calls(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The ``only`` of each validation a build runs (None: the whole project)."""
    calls: list[Any] = []
    validate = briefgen.build.validate_project

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("only"))
        return validate(*args, **kwargs)

    monkeypatch.setattr(briefgen.build, "validate_project", counting)
    return calls


def _replace(briefing_id: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / BRIEFINGS / f"{briefing_id}.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return edit


def _both(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        for one in edits:
            one(root)

    return edit


# Each edits briefing files only: (the edit, the ids it touches).
EDITS: dict[str, tuple[Callable[[Path], None], set[str]]] = {
    "a title": (_replace(CLEAR_IDS[0], "title: ", "title: Revised "), {CLEAR_IDS[0]}),
    # The only briefing citing canary-source-zq3 stops citing it: the source becomes unused,
    # a warning in content/sources.yaml that the other briefings' citations decide.
    "the last citation of a source": (
        _replace(AMBER_ID, "canary-source-zq3", "board-notice-2021", count=-1),
        {AMBER_ID},
    ),
    "a new warning in the edited file": (
        _replace(
            CLEAR_IDS[1],
            "sources: [board-notice-2024, bay-gazette-2024]",
            "sources: [board-notice-2024]",
        ),
        {CLEAR_IDS[1]},
    ),
    "two briefings at once": (
        _both(
            _replace(CLEAR_IDS[0], "title: ", "title: Revised "),
            _replace(CLEAR_IDS[1], "title: ", "title: Also revised "),
        ),
        {CLEAR_IDS[0], CLEAR_IDS[1]},
    ),
}


def _texts(report: Any) -> list[str]:
    return [d.text() for d in report.sorted()]


def _outputs(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): comparable(p)
        for p in folder.rglob("*")
        if p.is_file() and p.name != MEMO_FILE
    }


@pytest.mark.parametrize("name", EDITS.keys())
def test_an_edit_checks_and_builds_only_what_changed(
    project: Path, tmp_path: Path, only_calls: list[Any], name: str
) -> None:
    edit, touched = EDITS[name]
    assert build(project, HTML_MD).ok
    edit(project)
    only_calls.clear()
    partial = build(project, HTML_MD)
    assert only_calls == [touched]
    assert partial.ok, partial.report.items
    assert {unit.split("/")[0] for unit in partial.rendered} == touched
    # Exactly what a full run finds and makes from the same files.
    assert _texts(partial.report) == _texts(validate_project(project).report)
    full = build(project, dataclasses.replace(HTML_MD, out_dir=tmp_path / "full", force=True))
    assert full.ok and partial.keys == full.keys
    assert _outputs(project / "output") == _outputs(tmp_path / "full")
    # And the build after it has nothing to do.
    only_calls.clear()
    assert build(project, HTML_MD).rendered == [] and only_calls == []


def test_the_unused_source_warning_follows_the_edit(project: Path) -> None:
    assert build(project, HTML_MD).ok
    EDITS["the last citation of a source"][0](project)
    partial = build(project, HTML_MD)
    assert any("canary-source-zq3' is not cited" in t for t in _texts(partial.report))
    # Cited again: the warning goes, again without checking the other briefings.
    _replace(AMBER_ID, "board-notice-2021", "canary-source-zq3", count=-1)(project)
    again = build(project, HTML_MD)
    assert not any("is not cited" in t for t in _texts(again.report))
    assert _texts(again.report) == _texts(validate_project(project).report)


def test_an_edit_with_an_error_writes_nothing_and_keeps_the_record(
    project: Path, only_calls: list[Any]
) -> None:
    assert build(project, HTML_MD).ok
    memo = (project / "output" / MEMO_FILE).read_bytes()
    _replace(CLEAR_IDS[0], "title: ", "title: [unclosed ")(project)
    only_calls.clear()
    failed = build(project, HTML_MD)
    assert only_calls == [{CLEAR_IDS[0]}]
    assert not failed.valid and failed.written == []
    assert _texts(failed.report) == _texts(validate_project(project).report)
    assert (project / "output" / MEMO_FILE).read_bytes() == memo


OTHER_CHANGES: dict[str, Callable[[Path], None]] = {
    "a new briefing": lambda root: shutil.copy(
        root / BRIEFINGS / f"{CLEAR_IDS[0]}.yaml", root / BRIEFINGS / "another-one.yaml"
    ),
    "a briefing removed": lambda root: (root / BRIEFINGS / f"{CLEAR_IDS[0]}.yaml").unlink(),
    "the sources": lambda root: (root / "content/sources.yaml").write_text(
        (root / "content/sources.yaml").read_text(encoding="utf-8") + "\n# a comment\n",
        encoding="utf-8",
    ),
    "a briefing and the settings": _both(
        _replace(CLEAR_IDS[0], "title: ", "title: Revised "),
        lambda root: (root / "briefgen.yaml").write_text(
            (root / "briefgen.yaml").read_text(encoding="utf-8") + "# a comment\n",
            encoding="utf-8",
        ),
    ),
}


@pytest.mark.parametrize("change", OTHER_CHANGES.values(), ids=OTHER_CHANGES.keys())
def test_any_other_change_checks_everything(
    project: Path, only_calls: list[Any], change: Callable[[Path], None]
) -> None:
    assert build(project, HTML_MD).ok
    change(project)
    only_calls.clear()
    build(project, HTML_MD)
    assert only_calls == [None]


def test_only_and_force_check_everything(project: Path, only_calls: list[Any]) -> None:
    assert build(project, HTML_MD).ok
    _replace(CLEAR_IDS[0], "title: ", "title: Revised ")(project)
    only_calls.clear()
    build(project, dataclasses.replace(HTML_MD, force=True))
    _replace(CLEAR_IDS[0], "title: ", "title: Again ")(project)
    build(project, dataclasses.replace(HTML_MD, only=(CLEAR_IDS[0],)))
    assert only_calls == [None, None]
