"""``briefgen impact``: exactly the facts resting on a source, in every briefing, and how."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

BASE = REPO / "tests" / "validate" / "base"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The validation base: its event cites the report via the broadcast the report relays;
    a second briefing copies the first."""
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    halt = root / "content" / "briefings" / "halt.yaml"
    text = halt.read_text(encoding="utf-8")
    old = "    actors: [palestinian-authority]\n    sources: [report-2023-02-04]\n"
    assert old in text
    new = (
        "    actors: [palestinian-authority]\n    sources:\n"
        "      - source: report-2023-02-04\n        via: radio-2023-02-03\n"
    )
    halt.write_text(text.replace(old, new), encoding="utf-8")
    shutil.copy(halt, halt.with_name("second.yaml"))
    return root


def _impact(project: Path, *args: str) -> dict[str, object]:
    result = run_cli("impact", *args, str(project), "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    payload: dict[str, object] = json.loads(result.stdout)
    return payload


def test_impact_lists_exactly_the_facts_citing_a_source(project: Path) -> None:
    payload = _impact(project, "state-2023-01-27")
    facts = payload["facts"]
    assert isinstance(facts, list)
    assert [(f["briefing"], f["fact"], f["line"], f["depends"]) for f in facts] == [
        ("halt", "key point 1", 10, "direct"),
        ("halt", "assessment 1", 40, "direct"),
        ("second", "key point 1", 10, "direct"),
        ("second", "assessment 1", 40, "direct"),
    ]
    assert payload["standing"] is None


def test_impact_follows_citing_chains(project: Path) -> None:
    facts = _impact(project, "radio-2023-02-03")["facts"]
    assert isinstance(facts, list)
    halt = [(f["fact"], f["depends"], f["chains"]) for f in facts if f["briefing"] == "halt"]
    relayed = [["report-2023-02-04", "radio-2023-02-03"]]
    assert halt == [
        ("key point 1", "relayed", relayed),
        ("event raid", "chain", relayed),
        ("decision halt", "relayed", relayed),
        ("paraphrase abbas-quote", "relayed", relayed),
        ("assessment 1", "relayed", relayed),
    ]


def test_impact_text_names_the_standing_and_how(project: Path) -> None:
    sources = project / "content" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(
        text.replace(
            "    citation_only: true\n",
            '    citation_only: true\n    standing: {status: retracted, date: "2023-02-05"}\n',
        ),
        encoding="utf-8",
    )
    result = run_cli("impact", "radio-2023-02-03", str(project))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == "radio-2023-02-03 (retracted on 5 February 2023): 10 facts rest on it in 2 briefings"
    )
    assert "  event raid: Raid in Jenin" in lines
    at = lines.index("  event raid: Raid in Jenin")
    assert lines[at + 1] == (
        "    (content/briefings/halt.yaml:13:5) via chain report-2023-02-04 → radio-2023-02-03"
    )
    assert lines[at - 1].endswith(
        "relayed: report-2023-02-04 → radio-2023-02-03 ('report-2023-02-04' may be repeating it)"
    )


def test_impact_unknown_source_is_a_usage_error_with_a_suggestion(project: Path) -> None:
    result = run_cli("impact", "state-2023-01-72", str(project))
    assert result.returncode == 2
    assert "did you mean 'state-2023-01-27'?" in result.stderr
    assert result.stdout == ""
