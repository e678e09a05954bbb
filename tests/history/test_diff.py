"""The fact-level diff on briefings changed in memory: each kind of change, once."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.diagnostics import Report
from briefgen.history.diff import Change, diff_briefings, word_diff
from briefgen.load.yaml_reader import read_yaml_file
from briefgen.model.briefings import Briefing


@pytest.fixture
def example(init_template: Path) -> Briefing:
    path = init_template / "content/briefings/example.yaml"
    loaded = read_yaml_file(path, "example.yaml", Report())
    assert loaded is not None
    return Briefing.model_validate(loaded.data)


def _changed(old: Briefing, **edits: object) -> list[Change]:
    data = old.model_dump(mode="json", exclude_none=True)
    for dotted, value in edits.items():
        target = data
        *parents, last = dotted.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value
    return diff_briefings(old, Briefing.model_validate(data))


def test_same_briefing_has_no_changes(example: Briefing) -> None:
    assert diff_briefings(example, example) == []


def test_date_keeps_its_precision(example: Briefing) -> None:
    (change,) = _changed(example, events__0__date="2024-05")
    assert (change.kind, change.where, change.old, change.new) == (
        "date",
        ("events", "berths-closed"),
        "2024-05-02",
        "2024-05",
    )


def test_status_marking_confidence_section(example: Briefing) -> None:
    changes = _changed(
        example,
        decisions__0__status="suspended",
        marking="TLP:AMBER",
        assessments__0__confidence="moderate",
        outlook="Talks are off.",
    )
    kinds = [(c.kind, c.where, c.old, c.new) for c in changes]
    assert kinds == [
        ("marking", ("briefing", ""), example.marking.value, "TLP:AMBER"),
        ("status", ("decisions", "closure"), "in-effect", "suspended"),
        ("confidence", ("assessments", "1"), "low", "moderate"),
        ("section", ("outlook", ""), example.outlook, "Talks are off."),
    ]


def test_removed_fact_and_version_left_out(example: Briefing) -> None:
    changes = _changed(example, statements=[], version="2.0", issued="2024-06-01")
    assert [(c.kind, c.where) for c in changes] == [
        ("removed", ("statements", "union-reaction")),
        ("removed", ("statements", "authority-position")),
    ]


def test_word_diff() -> None:
    ops = word_diff("a b c d", "a x c d e")
    assert [(o.op, o.text) for o in ops] == [
        ("=", "a"),
        ("-", "b"),
        ("+", "x"),
        ("=", "c d"),
        ("+", "e"),
    ]


def test_information_gap_and_bottom_line_reworded(example: Briefing) -> None:
    # Gap items are {text, marking} portions since issue 14; the bottom line is a section.
    changes = _changed(
        example,
        information_gaps__0__text="How much cargo has gone to other ports.",
        bottom_line="The berths stay shut.",
    )
    assert [(c.kind, c.where, c.new) for c in changes] == [
        ("section", ("bottom_line", ""), "The berths stay shut."),
        ("section", ("information_gaps", "1"), "How much cargo has gone to other ports."),
    ]
