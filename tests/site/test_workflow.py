"""The GitHub Actions workflow: `briefgen init` writes it, and the wheel ships it."""

from __future__ import annotations

import subprocess
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


def _check_step(path: Path) -> str:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    first = workflow["jobs"]["build"]["steps"][0]
    assert "BRIEFGEN" in first["name"]
    return str(first["run"])


def test_a_new_project_must_say_where_briefgen_comes_from(tmp_path: Path) -> None:
    # briefgen is not on PyPI: the scaffold must not install "briefgen" from there (it fails, or
    # installs whoever registers the name). BRIEFGEN starts empty and the first step stops on it.
    assert run_cli("init", str(tmp_path / "desk")).returncode == 0
    written = tmp_path / "desk/.github/workflows/publish.yml"
    workflow = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert workflow["env"]["BRIEFGEN"] == ""
    assert "not published on PyPI" in written.read_text(encoding="utf-8")
    script = _check_step(written)
    empty = subprocess.run(
        ["bash", "-c", script], env={"BRIEFGEN": ""}, capture_output=True, text=True, check=False
    )
    assert empty.returncode == 1
    assert empty.stdout.startswith("::error file=.github/workflows/publish.yml::BRIEFGEN is empty")
    set_ = subprocess.run(
        ["bash", "-c", script],
        env={"BRIEFGEN": "git+https://example.org/briefgen.git@v0.1.0"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (set_.returncode, set_.stdout) == (0, "")


def test_the_repository_installs_briefgen_from_its_own_checkout() -> None:
    workflow = yaml.safe_load(REPO_WORKFLOW.read_text(encoding="utf-8"))
    assert workflow["env"]["BRIEFGEN"] == "."
    assert _check_step(REPO_WORKFLOW) == _check_step(SCAFFOLD_WORKFLOW)
