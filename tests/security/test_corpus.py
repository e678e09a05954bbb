"""Every hostile project of cases.py, run through the real CLI and checked by the harness."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import run_cli
from tests.security import harness
from tests.security.cases import CASES
from tests.site.conftest import FIXTURE

TRACEBACK = re.compile(r"Traceback \(most recent call last\)|internal error")


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site fixture with its HTML/Markdown outputs and draft site already written."""
    project = tmp_path_factory.mktemp("built") / "project"
    shutil.copytree(FIXTURE, project)
    # The cases override the analyst layout's templates (briefing.md, briefing/body.html).
    with (project / "briefgen.yaml").open("a", encoding="utf-8") as settings:
        settings.write("layout: analyst\n")
    for command in (("build", "--format", "html,md"), ("publish", "--no-pdf")):
        result = run_cli(*command, str(project))
        assert result.returncode == 0, result.stdout + result.stderr
    return project


def _whole(path: Path) -> bool:
    data = path.read_bytes()
    if path.suffix == ".pdf":
        return len(PdfReader(path).pages) > 0
    if path.suffix == ".html":
        return data.rstrip().endswith(b"</html>")
    return bool(data)


def _check_previous_outputs(
    project: Path, before: dict[str, tuple[str, int]], failed: bool, command: str
) -> list[str]:
    problems = []
    output = project / "output"
    for relative, (digest, _) in before.items():
        path = output / relative
        stray = harness.STRAY.search(path.name) or any(
            harness.STRAY.search(part) for part in Path(relative).parts
        )
        if digest == "folder" or digest.startswith("link:") or stray:
            continue
        if not path.is_file() or path.is_symlink():
            # A successful publish replaces the whole site; nothing else disappears.
            if not (relative.startswith("site/") and not failed):
                problems.append(f"previous output gone: output/{relative}")
            continue
        changed = harness.snapshot_digest(path) != digest
        if changed and failed and command == "publish" and relative.startswith("site/"):
            problems.append(f"a failed publish changed output/{relative}")
        elif changed and not _whole(path):
            problems.append(f"output/{relative} is not whole")
    return problems


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_project(case: harness.Case, built_project: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    canary = tmp_path / "canary"
    shutil.copytree(built_project, project, symlinks=True)
    harness.make_canary(canary)
    listener = harness.Listener()
    try:
        harness.prepare(case, project, canary, listener)
        canary_before = harness.snapshot(canary)
        outputs_before = harness.snapshot(project / "output")
        outcome = harness.run(case, project, canary, listener, tmp_path / "audit.log")
    finally:
        listener.close()
    said = outcome.output
    assert not TRACEBACK.search(said), said
    assert outcome.returncode in (0, 1, 2), (outcome.returncode, said)
    if case.exit is None:
        assert outcome.returncode in (0, 1), (outcome.returncode, said)
    else:
        assert outcome.returncode == case.exit, (outcome.returncode, said)
    if outcome.returncode != 0:
        assert harness.LOCATED.search(said), f"no located message:\n{said}"
    if case.message:
        assert re.search(case.message, said), f"expected /{case.message}/ in:\n{said}"
    assert outcome.audit == [], "\n".join(outcome.audit)
    assert listener.connections == 0
    assert harness.snapshot(canary) == canary_before, "the canary folder changed"
    assert harness.secret_holders(project) == []
    assert harness.SECRET not in said.replace(str(canary), "")
    assert harness.stray_temporaries(project) == []
    if case.command[0] == "publish":
        assert harness.sealed_holders(project / "output/site") == []
    failed = outcome.returncode != 0
    problems = _check_previous_outputs(project, outputs_before, failed, case.command[0])
    assert problems == [], problems
