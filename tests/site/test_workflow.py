"""The GitHub Actions workflow: `briefgen init` writes it, and the wheel ships it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import yaml

from tests.conftest import REPO, run_cli

SCAFFOLD_WORKFLOW = REPO / "briefgen/scaffold/.github/workflows/publish.yml"
REPO_WORKFLOW = REPO / ".github/workflows/publish.yml"


def _steps(path: Path) -> list[str]:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [step.get("run") or step.get("uses") for step in workflow["jobs"]["build"]["steps"]]


def test_init_writes_the_publish_workflow(tmp_path: Path) -> None:
    result = run_cli("init", str(tmp_path / "desk"))
    assert result.returncode == 0, result.stderr
    written = tmp_path / "desk/.github/workflows/publish.yml"
    assert written.read_bytes() == SCAFFOLD_WORKFLOW.read_bytes()


def test_the_workflow_validates_builds_publishes_and_deploys() -> None:
    for path in (SCAFFOLD_WORKFLOW, REPO_WORKFLOW):
        steps = _steps(path)
        assert "briefgen validate --format github" in steps
        assert steps.index("briefgen build") < steps.index("briefgen publish")
        assert "actions/upload-artifact@v4" in steps
        assert "actions/upload-pages-artifact@v3" in steps
        deploy = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]["deploy"]
        assert deploy["steps"][0]["uses"] == "actions/deploy-pages@v4"
        assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
        assert "refs/heads/main" in deploy["if"]


def test_the_repository_uses_the_same_workflow_as_new_projects() -> None:
    assert _steps(SCAFFOLD_WORKFLOW) == _steps(REPO_WORKFLOW)


def test_the_wheel_ships_the_workflow(wheel_file: Path) -> None:
    with zipfile.ZipFile(wheel_file) as archive:
        names = archive.namelist()
    assert "briefgen/scaffold/.github/workflows/publish.yml" in names
    assert "briefgen/templates/site/site.css" in names
