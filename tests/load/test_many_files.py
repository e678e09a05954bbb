"""Many briefings read by two processes give what one process reading them all gives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from briefgen.diagnostics import Report
from briefgen.load import load_project_files, many_files
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="reading in parallel needs fork")


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(REPO / "content", root / "content", ignore=shutil.ignore_patterns("archive"))
    shutil.copy(REPO / "briefgen.yaml", root / "briefgen.yaml")
    folder = root / "content" / "briefings"
    (reference,) = sorted(folder.glob("*.yaml"))
    for n in range(6):
        shutil.copy(reference, folder / f"copy-{n}.yaml")
    (folder / "copy-2.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    (folder / "copy-4.yaml").write_text("a: 1\na: 2\n", encoding="utf-8")
    return root


def _load(root: Path, fork_from: int, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    monkeypatch.setattr(many_files, "FORK_FROM", fork_from)
    # Fork even on one core (CI's may have one): what is compared is the data, not the speed.
    monkeypatch.setattr(many_files, "_can_fork", lambda: True)
    report = Report()
    files = load_project_files(root, report)
    read = {
        name: (f.display, f.data, f.positions.tables(), f.positions.aliased_paths())
        for name, f in files.briefings.items()
    }
    return read, files.unreadable, [d.text() for d in report.items]


def test_a_forked_copy_reads_half_the_briefings_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    alone = _load(root, 10**9, monkeypatch)
    forked = _load(root, 2, monkeypatch)
    assert forked == alone
    assert len(alone[1]) == 1 and len(alone[2]) == 2  # the broken file; its error and the duplicate


def test_a_failed_copy_leaves_its_half_to_be_read_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    alone = _load(root, 10**9, monkeypatch)
    monkeypatch.setattr(many_files.pickle, "dumps", _fail)
    assert _load(root, 2, monkeypatch) == alone


def _fail(*_: object, **__: object) -> bytes:
    raise RuntimeError("the copy fails")


def test_a_failure_here_ends_the_copy_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The copy's results are bigger than a pipe holds: it waits for this process to read them.
    # Should this process fail first, it must not wait forever for the copy to end.
    root = _project(tmp_path)
    parent = os.getpid()
    read = many_files.read_yaml_file

    def failing_here(*args: object, **kwargs: object) -> object:
        if os.getpid() == parent:
            raise RuntimeError("failed in this process")
        return read(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(many_files, "read_yaml_file", failing_here)
    monkeypatch.setattr(many_files, "FORK_FROM", 2)
    monkeypatch.setattr(many_files, "_can_fork", lambda: True)
    with pytest.raises(RuntimeError, match="failed in this process"):
        load_project_files(root, Report())
