"""The releasable edition of a briefing, as a pure function over the model."""

from __future__ import annotations

from typing import Any

from briefgen.model import Briefing, Tlp
from briefgen.model.editions import (
    cut_briefing,
    edition_folder,
    paragraphs,
    strip_marks,
    uses_portion_markings,
)


def _briefing(**extra: Any) -> Briefing:
    data: dict[str, Any] = {
        "title": "A note",
        "marking": "TLP:AMBER",
        "purpose": "information",
        "cutoff": "2024-03-01",
        "issued": "2024-03-02",
        "version": "1",
        "authors": ["An Analyst"],
        "summary": "(TLP:CLEAR) Released.\n\n(TLP:AMBER) Held back.\n\nUnmarked, so held back.",
        **extra,
    }
    return Briefing.model_validate(data)


def test_paragraph_marks_are_read_and_stripped() -> None:
    found = paragraphs("(TLP:GREEN) One.\n\nTwo.\n  \n(TLP:AMBR) Three.")
    assert [(p.mark, p.text) for p in found] == [
        ("TLP:GREEN", "One."),
        (None, "Two."),
        ("TLP:AMBR", "Three."),
    ]
    assert strip_marks("(TLP:GREEN) One.\n\nTwo.") == "One.\n\nTwo."


def test_an_edition_keeps_only_the_portions_at_or_below_its_label() -> None:
    briefing = _briefing(
        key_points=[
            {
                "text": "Kept.",
                "marking": "TLP:CLEAR",
                "sources": ["a", {"source": "b", "marking": "TLP:GREEN"}],
            },
            {"text": "Cut: unmarked.", "sources": ["a"]},
        ],
        information_gaps=["Cut: unmarked.", {"text": "Kept.", "marking": "TLP:CLEAR"}],
        outlook="(TLP:GREEN) Cut at CLEAR, kept at GREEN.",
    )
    clear = cut_briefing(briefing, Tlp.CLEAR)
    assert clear.problems == ()
    assert clear.briefing.marking is Tlp.CLEAR
    assert clear.briefing.summary == "(TLP:CLEAR) Released."
    assert [k.text for k in clear.briefing.key_points] == ["Kept."]
    assert [c.source for c in clear.briefing.key_points[0].sources] == ["a"]
    assert [g.text for g in clear.briefing.information_gaps] == ["Kept."]
    assert clear.briefing.outlook is None
    assert clear.briefing.editions == []
    assert clear.kept[("information_gaps",)] == (1,)  # locations still point at the file
    green = cut_briefing(briefing, Tlp.GREEN)
    assert green.briefing.outlook == "(TLP:GREEN) Cut at CLEAR, kept at GREEN."
    assert [c.source for c in green.briefing.key_points[0].sources] == ["a", "b"]


def test_an_edition_at_or_above_the_note_is_the_whole_note() -> None:
    briefing = _briefing(summary="All of it.")
    whole = cut_briefing(briefing, Tlp.RED)
    assert whole.briefing.marking is Tlp.AMBER
    assert whole.briefing.summary == "All of it."


def test_problems_are_located_in_the_full_note() -> None:
    briefing = _briefing(
        events=[{"id": "raid", "date": "2024-02-01", "title": "Raid", "sources": ["a"]}],
        statements=[
            {
                "id": "said",
                "kind": "paraphrase",
                "text": "Words.",
                "attribution": "an official",
                "date": "2024-02-02",
                "medium": "Radio",
                "reacts_to": "raid",
                "marking": "TLP:CLEAR",
                "sources": [{"source": "a", "marking": "TLP:AMBER"}],
            }
        ],
    )
    problems = cut_briefing(briefing, Tlp.CLEAR).problems
    assert [p.path for p in problems] == [
        ("statements", 0, "sources"),
        ("statements", 0, "reacts_to"),
    ]
    assert problems[0].message.startswith("in edition TLP:CLEAR: this statement loses its only")


def test_a_note_without_portion_marks_does_not_show_them() -> None:
    assert not uses_portion_markings(_briefing(summary="Plain."))
    assert uses_portion_markings(_briefing())
    assert uses_portion_markings(_briefing(summary="Plain.", editions=["TLP:CLEAR"]))


def test_edition_folders_name_only_the_label() -> None:
    assert edition_folder(Tlp.AMBER_STRICT) == "edition-tlp-amber-strict"
