"""``briefgen diff`` run as a user would, on a throwaway repository with two versions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.history.gitrepo import commit_all, new_project, two_versions

EXPECTED_LINES = [
    "~ key point 1 no longer cites radio-north-2024-05-03",
    "+ event union-meeting added: Dockworkers' union calls a members' meeting",
    "~ statement authority-position text reworded: The chief executive said the closure "
    "would end [-once-] {+as soon as the+} safety checks were [-done.-] {+complete.+}",
    "~ assessment 1 likelihood: roughly even chance → likely",
]


@pytest.fixture
def project(init_template: Path, tmp_path: Path) -> Path:
    """Version 1.0 and 1.1 of the example briefing, committed."""
    return two_versions(init_template, tmp_path / "desk")


def test_text_lists_exactly_the_changes(project: Path) -> None:
    # Default: from the previous issued version (1.0) to the working tree (1.1).
    result = run_cli("diff", "example", str(project))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("example: from version 1.0 (commit ")
    assert lines[0].endswith("to the working tree (version 1.1)")
    assert [line.strip() for line in lines[1:-1]] == EXPECTED_LINES
    assert lines[-1] == "4 changes"


def test_json_lists_exactly_the_changes(project: Path) -> None:
    result = run_cli(
        "diff", "example", str(project), "--from", "1.0", "--to", "1.1", "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["from"]["version"] == "1.0" and data["to"]["version"] == "1.1"
    assert len(data["to"]["commit"]) == 40
    got = [(c["kind"], c["list"], c["key"]) for c in data["changes"]]
    assert got == [
        ("sources-removed", "key_points", "1"),
        ("added", "events", "union-meeting"),
        ("reworded", "statements", "authority-position"),
        ("likelihood", "assessments", "1"),
    ]
    regraded = data["changes"][3]
    assert (regraded["old"], regraded["new"]) == ("roughly even chance", "likely")
    assert data["changes"][0]["sources"] == ["radio-north-2024-05-03"]
    removed = [w["text"] for w in data["changes"][2]["words"] if w["op"] == "-"]
    assert removed == ["once", "done."]


def test_revisions_name_states_too(project: Path) -> None:
    # HEAD is 1.1: from HEAD to the working tree nothing changed.
    result = run_cli("diff", "example", str(project), "--from", "HEAD")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "no changes"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "7.3"], "'7.3' is neither an issued version of 'example' nor a git revision"),
        (["--to", "deadbeef"], "issued versions: 1.0, 1.1"),
    ],
)
def test_unknown_version_is_a_usage_error(project: Path, args: list[str], message: str) -> None:
    result = run_cli("diff", "example", str(project), *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_briefing(project: Path) -> None:
    result = run_cli("diff", "exmaple", str(project))
    assert result.returncode == 2
    assert "'exmaple' is not a briefing" in result.stderr
    assert "example" in result.stderr


def test_outside_git_says_why(init_template: Path, tmp_path: Path) -> None:
    project = tmp_path / "desk"
    shutil.copytree(init_template, project)
    result = run_cli("diff", "example", str(project))
    assert result.returncode == 2
    assert "not a git repository" in result.stderr


def test_only_one_version(init_template: Path, tmp_path: Path) -> None:
    project = new_project(init_template, tmp_path / "desk")
    commit_all(project, "Version 1.0", 0)
    result = run_cli("diff", "example", str(project))
    assert result.returncode == 2
    assert "'example' has no issued version before this one" in result.stderr
