"""Review before release: ``briefgen approve`` and the publish gate of ``require_approval``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_cli
from tests.history.gitrepo import edit


@pytest.fixture
def project(init_template: Path, tmp_path: Path) -> Path:
    """The init project with approval required (the example's author is Example Analyst)."""
    root = tmp_path / "desk"
    shutil.copytree(init_template, root)
    with (root / "briefgen.yaml").open("a") as settings:
        settings.write("require_approval: true\n")
    return root


def _publish(root: Path) -> tuple[int, str]:
    result = run_cli("publish", str(root), "--no-pdf", "--quiet")
    return result.returncode, result.stdout + result.stderr


def test_missing_approval_refused(project: Path) -> None:
    code, err = _publish(project)
    assert code == 1
    assert "content/briefings/example.yaml:1:1: error: 'example' has no approval" in err
    assert not (project / "output/site").exists()


def test_self_approval_refused(project: Path) -> None:
    result = run_cli("approve", "example", str(project), "--by", "example analyst")
    assert result.returncode == 2
    assert "is an author of 'example' and cannot approve it" in result.stderr
    assert not (project / "content/approvals.yaml").exists()
    # Written by hand, it is refused at publish.
    run_cli("approve", "example", str(project), "--by", "Rita Reviewer")
    approvals = project / "content/approvals.yaml"
    approvals.write_text(approvals.read_text().replace("Rita Reviewer", "Example Analyst"))
    code, err = _publish(project)
    assert code == 1
    assert "'example' was approved only by its own author (Example Analyst)" in err


def test_stale_approval_names_the_changed_parts(project: Path) -> None:
    result = run_cli("approve", "example", str(project), "--by", "Rita Reviewer")
    assert result.returncode == 0, result.stderr
    edit(project, "likelihood: roughly even chance", "likelihood: likely")
    edit(project, "outlook: Talks", "outlook: New talks")
    code, err = _publish(project)
    assert code == 1
    assert (
        "'example' changed after its approval by Rita Reviewer (version 1.0): "
        "assessments/1 (changed), outlook (changed)"
    ) in err


def test_valid_approval_publishes(project: Path) -> None:
    comment = "# Reviewed in the Tuesday meeting.\n"
    (project / "content/approvals.yaml").write_text(comment + "approvals: {}\n")
    result = run_cli("approve", "example", str(project), "--by", "Rita Reviewer")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("approved example version 1.0 by Rita Reviewer (sha256:")
    text = (project / "content/approvals.yaml").read_text()
    assert text.startswith(comment)  # the user's comment is kept
    entry = yaml.safe_load(text)["approvals"]["example"][0]
    assert entry["by"] == "Rita Reviewer" and entry["version"] == "1.0"
    assert entry["parts"]["events/berths-closed"]
    code, err = _publish(project)
    assert code == 0, err
    assert (project / "output/site/index.html").exists()


def test_bad_approvals_file_is_located(project: Path) -> None:
    (project / "content/approvals.yaml").write_text("approvals:\n  example:\n    - by: X\n")
    code, err = _publish(project)
    assert code == 1
    assert "content/approvals.yaml:3:" in err


def test_a_note_released_as_its_edition_needs_approval(project: Path) -> None:
    # init's example is TLP:GREEN with a TLP:CLEAR edition, over a TLP:CLEAR ceiling: the site
    # would release the edition, so the note it is cut from needs an approval.
    text = (project / "content/briefings/example.yaml").read_text(encoding="utf-8")
    assert "marking: TLP:GREEN\n" in text and "editions: [TLP:CLEAR]" in text
    code, err = _publish(project)
    assert code == 1 and "'example' has no approval" in err


def test_build_refuses_an_unapproved_edition_and_writes_nothing(project: Path) -> None:
    for args in ((), ("--edition", "TLP:CLEAR")):
        result = run_cli("build", str(project), "--format", "md", *args)
        assert result.returncode == 1, result.stderr
        assert "'example' has no approval" in result.stdout + result.stderr
        assert not (project / "output").exists()
    run_cli("approve", "example", str(project), "--by", "Rita Reviewer")
    result = run_cli("build", str(project), "--format", "md")
    assert result.returncode == 0, result.stderr
    assert (project / "output/example/edition-tlp-clear/briefing.md").is_file()


def test_build_of_a_note_without_editions_needs_no_approval(project: Path) -> None:
    edit(project, "editions: [TLP:CLEAR]\n", "")
    result = run_cli("build", str(project), "--format", "md")
    assert result.returncode == 0, result.stderr
