"""Throwaway git repositories for the history tests: dulwich commits with fixed dates."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from dulwich import porcelain
from dulwich.repo import Repo

EXAMPLE = "content/briefings/example.yaml"
# 1 June 2024, 12:00 UTC; each commit one day later, so the history is the same every run.
START = 1_717_243_200
DAY = 86_400


def new_project(init_template: Path, target: Path) -> Path:
    """A copy of the ``briefgen init`` project in ``target``, made a git repository.

    The example is made a plain TLP:CLEAR note (no portion markings, no edition), as these
    tests re-mark and publish the whole note; editions have their own tests (tests/editions).
    """
    shutil.copytree(init_template, target)
    example = target / EXAMPLE
    text = example.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^\s+marking: TLP:\w+.*\n|^editions: .*\n", "", text)
    example.write_text(text.replace("marking: TLP:GREEN\n", "marking: TLP:CLEAR\n", 1), "utf-8")
    porcelain.init(str(target))
    return target


def commit_all(root: Path, message: str, day: int) -> str:
    """Stage every file and commit it as 'Test Author', dated ``day`` days after START."""
    repo = Repo(str(root))
    try:
        porcelain.add(repo)
        when = START + day * DAY
        sha = porcelain.commit(
            repo,
            message=message.encode(),
            author=b"Test Author <test@example.org>",
            committer=b"Test Author <test@example.org>",
            author_timestamp=when,
            author_timezone=0,
            commit_timestamp=when,
            commit_timezone=0,
        )
        return sha.decode()
    finally:
        repo.close()


def edit(root: Path, old: str, new: str, path: str = EXAMPLE) -> None:
    """Replace ``old`` (which must be there once) by ``new`` in a project file."""
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    file.write_text(text.replace(old, new), encoding="utf-8")


NEW_EVENT = """events:
  - id: union-meeting
    date: "2024-05-03"
    title: Dockworkers' union calls a members' meeting
    location: Northport
    sources: [radio-north-2024-05-03]
"""


def second_version(root: Path) -> None:
    """The edits of version 1.1: an event added, a likelihood re-graded, a paraphrase
    reworded, a source removed from the key point, the version bumped."""
    edit(root, "events:\n", NEW_EVENT)
    edit(root, "likelihood: roughly even chance", "likelihood: likely")
    edit(
        root,
        "the closure would end once safety checks were done.",
        "the closure would end as soon as the safety checks were complete.",
    )
    edit(
        root,
        "sources: [harbour-notice-2024-05-02, radio-north-2024-05-03]\nevents:",
        "sources: [harbour-notice-2024-05-02]\nevents:",
    )
    edit(root, 'version: "1.0"', 'version: "1.1"')
    edit(root, 'issued: "2024-05-04"', 'issued: "2024-05-06"')


def two_versions(init_template: Path, target: Path) -> Path:
    """A project with version 1.0 and version 1.1 committed."""
    root = new_project(init_template, target)
    commit_all(root, "Version 1.0", 0)
    second_version(root)
    commit_all(root, "Version 1.1", 1)
    return root
