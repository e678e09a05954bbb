"""``briefgen validate`` on two cores reports exactly what a check on one core reports.

Every case of the validation and provenance suites (each a project with one kind of problem,
or quotes checked against archives), checked with a
forked copy taking half of its briefings however few they are, must give the diagnostics and
counts that :func:`briefgen.validate.validate_project` gives in one process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from briefgen.diagnostics import Diagnostic, Severity
from briefgen.load import many_files
from briefgen.validate import two_cores, validate_project
from tests.case_runner import Case, case_folders, make_project
from tests.conftest import REPO, run_cli
from tests.render.helpers import reference_copy

# The case suites whose projects are validated: bad input, and quotes against archives.
SUITES = [Path(__file__).resolve().parent, REPO / "tests" / "provenance"]
CASES = [folder for suite in SUITES for folder in case_folders(suite)]

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="two cores need fork")


def _shown(items: Sequence[Diagnostic]) -> list[tuple[str, str | None, str]]:
    return [(d.text(), d.hint, d.code) for d in items]


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Split from one briefing on, even on one core; count the splits (the work still runs)."""
    splits: list[int] = []
    split = many_files.in_two_halves

    def counting(items: Sequence[object], work: Callable[..., object]) -> object:
        splits.append(len(items))
        return split(items, work)

    monkeypatch.setattr(many_files, "FORK_FROM", 1)
    monkeypatch.setattr(many_files, "_can_fork", lambda: True)
    monkeypatch.setattr(two_cores, "in_two_halves", counting)
    return splits


@pytest.mark.parametrize("folder", CASES, ids=lambda p: f"{p.parent.parent.name}-{p.name}")
def test_each_case_reports_the_same_on_two_cores(
    folder: Path, tmp_path: Path, forked: list[int]
) -> None:
    project = tmp_path / "project"
    make_project(Case.read(folder), folder.parent.parent / "base", project)
    alone = validate_project(project)
    checked = two_cores.check_project(project)
    briefings = project / "content" / "briefings"
    assert forked or not list(briefings.glob("*.yaml")), "split whenever there are briefings"
    assert _shown(checked.report.sorted()) == _shown(alone.report.sorted())
    if alone.project is None:
        assert checked.counts is None
    else:
        found = alone.project
        counts = (len(found.briefings), len(found.actors), len(found.sources))
        assert checked.counts == two_cores.Counts(*counts)


def test_the_cli_says_the_same_on_a_large_project(tmp_path: Path) -> None:
    # 80 briefings (past the threshold, on two cores in CI), some broken in different ways.
    root = reference_copy(tmp_path, layout=None)
    folder = root / "content" / "briefings"
    (reference,) = sorted(folder.glob("*.yaml"))
    text = reference.read_text(encoding="utf-8")
    for n in range(79):
        (folder / f"copy-{n:02d}.yaml").write_text(text, encoding="utf-8")
    (folder / "copy-03.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    (folder / "copy-41.yaml").write_text(text.replace("marking:", "marking: TLP:BLUE #"), "utf-8")
    (folder / "copy-77.yaml").write_text(text.replace("[@", "[@no-such-"), "utf-8")
    (folder / "Not_An_Id.yaml").write_text(text, encoding="utf-8")
    on_two = run_cli("validate", "-v", str(root))
    assert on_two.returncode == 1 and "Traceback" not in on_two.stderr
    report = validate_project(root).report
    assert on_two.stdout.splitlines() == [d.text() for d in report.sorted()]
    assert report.count(Severity.ERROR) >= 3
