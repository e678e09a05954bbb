"""The facts of a briefing, walked uniformly: each with its path, label and citations.

A fact about the model, so it lives with it: validation, provenance and the build all walk a
briefing's facts and Markdown fields through these two functions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from briefgen.model.briefings import Briefing
from briefgen.model.common import Citation
from briefgen.model.dates import EdtfDate

FACT_LISTS = ("key_points", "events", "decisions", "statements", "assessments")
# What one item of each list is called in messages and in the reader's words.
LIST_LABELS = {
    "key_points": "key point",
    "events": "event",
    "decisions": "decision",
    "statements": "statement",
    "assessments": "assessment",
    "information_gaps": "information gap",
    "recommendations": "recommendation",
}
# The briefing's Markdown sections, each a run of paragraphs.
NARRATIVE_FIELDS = ("bottom_line", "summary", "background", "outlook")


@dataclass(frozen=True)
class Fact:
    """One fact of a briefing: where it is, what to call it, what it cites, when it is dated."""

    path: tuple[str, int]
    label: str
    citations: list[Citation]
    date: EdtfDate | None


def iter_facts(briefing: Briefing) -> Iterator[Fact]:
    """Key points, events, decisions, statements and assessments in file order."""
    for list_name in FACT_LISTS:
        for index, item in enumerate(getattr(briefing, list_name)):
            yield Fact(
                path=(list_name, index),
                label=LIST_LABELS[list_name],
                citations=list(item.sources),
                date=getattr(item, "date", None),
            )


def iter_markdown(briefing: Briefing) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path, text) of every Markdown field, for inline ``[@id]`` citations."""
    for name in NARRATIVE_FIELDS:
        value = getattr(briefing, name)
        if value:
            yield (name,), value
    for name in ("information_gaps", "recommendations"):
        for index, item in enumerate(getattr(briefing, name)):
            yield (name, index, "text"), item.text
    for list_name in ("key_points", "events", "decisions", "assessments"):
        for index, item in enumerate(getattr(briefing, list_name)):
            for field_name in ("text", "basis"):
                value = getattr(item, field_name, None)
                if value:
                    yield (list_name, index, field_name), value
