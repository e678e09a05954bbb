"""`briefgen publish` refuses unverified direct quotes unless the project opts in.

The fixture opts in (its tests check how the site marks such a quote); these tests take the
setting out of a copy and publish it as a user would.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import run_cli
from tests.site.conftest import copy_fixture

OPT_IN = "publish_unverified_quotes: true\n"


def _without_opt_in(tmp_path: Path) -> Path:
    project = copy_fixture(tmp_path)
    settings = project / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8")
    assert OPT_IN in text
    settings.write_text(text.replace(OPT_IN, ""), encoding="utf-8")
    return project


def test_publish_refuses_an_unverified_quote_and_says_where(tmp_path: Path) -> None:
    project = _without_opt_in(tmp_path)
    site = project / "output" / "site"
    site.mkdir(parents=True)
    (site / "index.html").write_text("previous site", encoding="utf-8")

    result = run_cli("publish", str(project), "--no-pdf")

    assert result.returncode == 1, result.stderr
    refusals = re.findall(
        r"^(content/briefings/[\w-]+\.yaml):(\d+):(\d+): error: quote '([\w-]+)' is unverified",
        result.stdout,
        flags=re.MULTILINE,
    )
    # One refusal: the released briefing's quote. The AMBER briefing's quote is withheld by
    # the ceiling, so it does not stop the publish.
    assert [(path, quote) for path, _, _, quote in refusals] == [
        ("content/briefings/north-quay-2024.yaml", "director-on-closure")
    ], result.stdout
    line = int(refusals[0][1])
    source_line = (project / refusals[0][0]).read_text(encoding="utf-8").splitlines()[line - 1]
    assert source_line.lstrip().startswith("text:"), source_line
    assert "publish_unverified_quotes: true" in result.stdout  # the way to opt in
    assert "nothing written" in result.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == "previous site"


def test_publish_with_the_opt_in_marks_the_quote_instead(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    result = run_cli("publish", str(project), "--no-pdf")
    assert result.returncode == 0, result.stderr
    assert "is unverified, and publish" not in result.stdout + result.stderr
    assert "quotes unverified" in result.stderr  # still counted in the summary


def test_strict_reports_each_unverified_quote_once(tmp_path: Path) -> None:
    project = _without_opt_in(tmp_path)
    result = run_cli("publish", str(project), "--no-pdf", "--strict")
    assert result.returncode == 1
    north_quay = [
        line
        for line in result.stdout.splitlines()
        if line.startswith("content/briefings/north-quay-2024.yaml:39:")
    ]
    assert len(north_quay) == 1, result.stdout
