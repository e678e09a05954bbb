"""The input fingerprint of a hostile project: bounded work, never a crash.

The fingerprint (:mod:`briefgen.editions.fingerprint`) reads every folder of the project, also
those briefgen itself never opens, so whatever a project holds there must neither crash a
command (a folder nested thousands deep: a RecursionError, exit 3) nor make it read for hours
(thousands of links to one huge file). On copies of the site fixture.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from briefgen.editions import fingerprint
from briefgen.editions.fingerprint import input_fingerprint
from tests.conftest import run_cli
from tests.site.conftest import FIXTURE

DEPTH = 1200  # past Python's recursion limit (1,000), within PATH_MAX for one-letter names


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the site fixture."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "project"))


def _nest(folder: Path, depth: int) -> None:
    """``folder/a/a/…``, ``depth`` folders deep (made through descriptors: paths get long)."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(depth):
            os.mkdir("a", dir_fd=fd)
            inner = os.open("a", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)


def _unnest(folder: Path) -> None:
    """Remove what :func:`_nest` made, deepest first: ``shutil.rmtree`` (pytest's clean-up of
    old temporary folders too) recurses, and would fail on it with a RecursionError."""
    fds = [os.open(folder, os.O_RDONLY | os.O_DIRECTORY)]
    while "a" in os.listdir(fds[-1]):
        fds.append(os.open("a", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fds[-1]))
    os.close(fds.pop())
    while fds:
        os.rmdir("a", dir_fd=fds[-1])
        os.close(fds.pop())


def _fingerprint(root: Path) -> fingerprint.Fingerprint | None:
    return input_fingerprint(root, [root / "output"], {"command": "test"})


@pytest.mark.parametrize("where", ["docs", "templates/deep", ".git/objects/zz"])
def test_a_folder_nested_thousands_deep_is_walked(project: Path, where: str) -> None:
    _nest(project / where, DEPTH)
    try:
        assert _fingerprint(project) is not None
        result = run_cli("build", str(project), "--format", "md")
    finally:
        _unnest(project / where)
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr


def test_a_file_reached_by_many_links_is_read_once(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = project / "data"
    data.mkdir()
    (data / "big.bin").write_bytes(b"\0" * 4096)
    for number in range(50):
        (data / f"link-{number}").symlink_to("big.bin")
        os.link(data / "big.bin", data / f"hard-{number}")
    reads: list[str] = []
    real_read = fingerprint.read_inside

    def counted(root: Path, relative: str, limit: int) -> bytes:
        reads.append(str(relative))
        return real_read(root, relative, limit)

    monkeypatch.setattr(fingerprint, "read_inside", counted)
    assert _fingerprint(project) is not None
    assert len([r for r in reads if r.startswith("data/")]) == 1


def test_a_project_past_the_byte_budget_has_no_fingerprint(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _fingerprint(project) is not None
    monkeypatch.setattr(fingerprint, "BYTE_BUDGET", 1024 * 1024)
    assert _fingerprint(project) is not None  # the fixture is far smaller
    (project / "data").mkdir()
    with open(project / "data" / "huge.bin", "wb") as handle:
        handle.truncate(2 * 1024 * 1024)  # sparse: costs no disk, would be read in full
    assert _fingerprint(project) is None


def test_a_project_past_the_entry_budget_has_no_fingerprint(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fingerprint, "ENTRY_BUDGET", 500)
    assert _fingerprint(project) is not None
    (project / "data").mkdir()
    for number in range(600):
        (project / "data" / f"f{number}").write_bytes(b"")
    assert _fingerprint(project) is None


def test_a_build_past_the_budget_still_builds_in_full(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.build import BuildOptions, build

    monkeypatch.setattr(fingerprint, "BYTE_BUDGET", 1024)
    options = BuildOptions(formats=("md",))
    assert build(project, options).ok
    assert not (project / "output" / ".briefgen-build").exists()  # no record without one
    again = build(project, options)
    assert again.ok and again.rendered == []  # up to date by key, checked in full


def test_grafts_changed_in_place_change_the_fingerprint(project: Path) -> None:
    # dulwich applies .git/info/grafts (new parents for commits: another version history);
    # the file keeps its name when edited, so its bytes must count.
    grafts = project / ".git" / "info" / "grafts"
    grafts.parent.mkdir(parents=True)
    grafts.write_text(f"{'a' * 40} {'b' * 40}\n", encoding="ascii")
    before = _fingerprint(project)
    grafts.write_text(f"{'a' * 40} {'c' * 40}\n", encoding="ascii")
    after = _fingerprint(project)
    assert before is not None and after is not None
    assert before.whole != after.whole
