"""The project's .git is hostile input: read only inside the project, and nothing run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.history import read_history
from briefgen.history.repository import open_repository
from tests.history.gitrepo import commit_all, new_project, two_versions


@pytest.fixture
def project(init_template: Path, tmp_path: Path) -> Path:
    return two_versions(init_template, tmp_path / "desk")


def test_versions_of_a_briefing(project: Path) -> None:
    history = read_history(project, ["example"])
    assert history.note is None
    versions = history.of("example")
    assert [v.version for v in versions] == ["1.0", "1.1"]
    assert [v.committed for v in versions] == [1_717_243_200, 1_717_243_200 + 86_400]
    assert versions[0].briefing.assessments[0].likelihood == "roughly even chance"


def test_a_version_is_its_last_commit(project: Path) -> None:
    # A fix committed while the version stays 1.1 replaces what 1.1 holds.
    path = project / "content/briefings/example.yaml"
    path.write_text(path.read_text().replace("Radio North", "Radio North FM"))
    last = commit_all(project, "Typo", 2)
    versions = read_history(project, ["example"]).of("example")
    assert [v.version for v in versions] == ["1.0", "1.1"]
    assert versions[1].commit == last


def test_shallow_clone_has_no_history(project: Path) -> None:
    head = (project / ".git/refs/heads/master").read_text().strip()
    (project / ".git/shallow").write_text(head + "\n")
    history = read_history(project, ["example"])
    assert history.of("example") == []
    assert history.note is not None and "shallow clone" in history.note


def _gitdir_file(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.git"
    (project / ".git").rename(outside)
    (project / ".git").write_text(f"gitdir: {outside}\n")


def _gitdir_link(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.git"
    (project / ".git").rename(outside)
    (project / ".git").symlink_to(outside)


def _alternates(project: Path, tmp_path: Path) -> None:
    (project / ".git/objects/info").mkdir(exist_ok=True)
    (project / ".git/objects/info/alternates").write_text(f"{tmp_path}/other/objects\n")


def _include(project: Path, tmp_path: Path) -> None:
    with (project / ".git/config").open("a") as config:
        config.write(f"[include]\n\tpath = {tmp_path}/secret.conf\n")


def _inner_link(project: Path, tmp_path: Path) -> None:
    (project / ".git/refs/heads/stolen").symlink_to("/etc/hostname")


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (_gitdir_file, ".git is a file pointing elsewhere"),
        (_gitdir_link, ".git is a symbolic link"),
        (_alternates, ".git/objects/info/alternates points to another repository"),
        (_include, ".git/config includes other files"),
        (_inner_link, ".git/refs/heads/stolen is a symbolic link"),
    ],
)
def test_nothing_outside_the_project_is_read(
    project: Path, tmp_path: Path, spoil: object, reason: str
) -> None:
    spoil(project, tmp_path)  # type: ignore[operator]
    opened = open_repository(project)
    assert opened.repo is None
    assert opened.reason is not None and reason in opened.reason


def test_repository_code_never_runs(init_template: Path, tmp_path: Path) -> None:
    # What git itself would run on reading this repository: none of it runs.
    project = new_project(init_template, tmp_path / "desk")
    (project / ".gitattributes").write_text("*.yaml filter=x diff=x\n")
    commit_all(project, "Version 1.0", 0)
    marker = tmp_path / "ran"
    command = f"touch {marker}"
    # Set after the commit: the test's own commit must not run the filter.
    with (project / ".git/config").open("a") as config:
        config.write(
            f'[core]\n\tfsmonitor = "{command}"\n\tpager = {command}\n'
            f"[alias]\n\tlog = !{command}\n[diff]\n\texternal = {command}\n"
            f'[filter "x"]\n\tsmudge = {command}\n\tclean = {command}\n'
            f'[diff "x"]\n\ttextconv = {command}\n'
        )
    for hook in ("post-checkout", "pre-commit", "post-index-change", "reference-transaction"):
        path = project / ".git/hooks" / hook
        path.write_text(f"#!/bin/sh\n{command}\n")
        os.chmod(path, 0o755)
    history = read_history(project, ["example"])
    assert [v.version for v in history.of("example")] == ["1.0"]
    assert not marker.exists()


def test_unreadable_repository_is_no_history(project: Path) -> None:
    # An extension dulwich does not know, then a corrupt object: no history, no traceback.
    with (project / ".git/config").open("a") as config:
        config.write("[extensions]\n\tmadeup = true\n")
    (project / ".git/config").write_text(
        (project / ".git/config")
        .read_text()
        .replace("repositoryformatversion = 0", "repositoryformatversion = 1")
    )
    opened = open_repository(project)
    assert opened.repo is None
    assert opened.reason is not None and opened.reason.startswith("cannot read .git: ")


def test_corrupt_object_is_no_history(project: Path) -> None:
    objects = sorted(p for p in (project / ".git/objects").glob("??/*") if p.is_file())
    for path in objects:
        path.chmod(0o644)
        path.write_bytes(b"not a zlib stream")
    history = read_history(project, ["example"])
    assert history.of("example") == []
    assert history.note is not None and history.note.startswith("cannot read the git history")
