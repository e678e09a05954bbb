"""Portion markings and releasable editions: a briefing cut to the portions at or below a label.

One definition, used by validation (which checks each edition again as a briefing in its own
right), the build (which renders it) and the site (which publishes it). The ordering of TLP
labels is :attr:`briefgen.model.common.Tlp.rank`; nothing else compares labels.

A *portion* is a fact (key point, event, decision, statement, assessment), an item of
``information_gaps`` or ``recommendations``, a citation, or a paragraph of a narrative field
(``bottom_line``, ``summary``, ``background``, ``outlook``) that starts with its label in
parentheses: ``(TLP:CLEAR) The leadership met ...``. An unmarked portion has the briefing's
marking (an unmarked citation, its fact's), so nothing is released by omission.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel

from briefgen.model import Project
from briefgen.model.briefings import Briefing
from briefgen.model.common import Citation, Tlp
from briefgen.model.facts import FACT_LISTS, LIST_LABELS, NARRATIVE_FIELDS

ITEM_LISTS = FACT_LISTS
PORTION_LISTS = (*ITEM_LISTS, "information_gaps", "recommendations")
# A paragraph's portion mark: '(TLP:AMBER) ' at its very start. Anything in parentheses
# starting with 'TLP' is taken as meant for a mark, so a misspelt label is reported, not printed.
PARAGRAPH_MARK = re.compile(r"\A\((TLP[^)\n]{0,30})\)[ \t]*")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def edition_folder(label: Tlp) -> str:
    """'edition-tlp-clear': the folder of an edition's files under ``output/<id>/``."""
    return f"edition-tlp-{label.css_class}"


def portion_marking(marking: Tlp | None, briefing: Briefing) -> Tlp:
    """The marking of a portion: its own, or, unmarked, the briefing's."""
    return marking if marking is not None else briefing.marking


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a narrative field: its mark as written (or None) and its text."""

    mark: str | None
    text: str
    index: int


def paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs of a Markdown field (split at blank lines), each with its mark."""
    found: list[Paragraph] = []
    for index, part in enumerate(_PARAGRAPH_BREAK.split(text)):
        match = PARAGRAPH_MARK.match(part)
        mark = match.group(1) if match else None
        found.append(Paragraph(mark, part[match.end() :] if match else part, index))
    return found


def paragraph_label(mark: str | None) -> Tlp | None:
    """The label a paragraph mark names, or None when it names none exactly."""
    return Tlp(mark) if mark in {t.value for t in Tlp} else None


def strip_marks(text: str) -> str:
    """``text`` without the portion marks at the start of its paragraphs (the reader's view)."""
    return "\n\n".join(p.text for p in paragraphs(text))


def uses_portion_markings(briefing: Briefing) -> bool:
    """True when any portion carries its own marking or the note releases editions."""
    items = [item for name in PORTION_LISTS for item in getattr(briefing, name)]
    cited = [c for item in items for c in getattr(item, "sources", [])]
    marked = any(x.marking is not None for x in [*items, *cited])
    texts = [getattr(briefing, name) or "" for name in NARRATIVE_FIELDS]
    return (
        marked
        or bool(briefing.editions)
        or any(p.mark is not None for text in texts for p in paragraphs(text))
    )


@dataclass(frozen=True)
class EditionProblem:
    """Why an edition cannot stand as a briefing: where (a path in the file) and what."""

    path: tuple[str | int, ...]
    message: str
    hint: str


@dataclass(frozen=True)
class Edition:
    """A briefing cut to ``label``; ``kept`` maps each cut list to the indices it kept."""

    label: Tlp
    briefing: Briefing
    kept: dict[tuple[str | int, ...], tuple[int, ...]] = field(default_factory=dict)
    problems: tuple[EditionProblem, ...] = ()


def _releasable(marking: Tlp | None, briefing: Briefing, label: Tlp) -> bool:
    return portion_marking(marking, briefing).rank <= label.rank


def _cut_text(text: str | None, briefing: Briefing, label: Tlp) -> str | None:
    """The paragraphs of ``text`` at or below ``label``, marks kept; None when none is left."""
    if text is None:
        return None
    kept = [
        part
        for part, para in zip(_PARAGRAPH_BREAK.split(text), paragraphs(text), strict=True)
        if _releasable(paragraph_label(para.mark), briefing, label)
    ]
    return "\n\n".join(kept) or None


def _cut_citations(item: Any, briefing: Briefing, label: Tlp) -> list[Citation]:
    """An unmarked citation has its fact's marking: it is a part of the fact."""
    own = portion_marking(item.marking, briefing)
    return [c for c in item.sources if (c.marking or own).rank <= label.rank]


def _cut_item(item: BaseModel, briefing: Briefing, label: Tlp) -> BaseModel:
    """One kept portion, its citations cut too (a fact's own text is one portion)."""
    if not hasattr(item, "sources"):
        return item
    return item.model_copy(update={"sources": _cut_citations(item, briefing, label)})


def _kept_indices(items: Sequence[Any], briefing: Briefing, label: Tlp) -> tuple[int, ...]:
    return tuple(i for i, item in enumerate(items) if _releasable(item.marking, briefing, label))


def _problems(
    briefing: Briefing,
    cut: dict[str, list[Any]],
    kept: dict[tuple[str | int, ...], tuple[int, ...]],
    label: Tlp,
) -> Iterator[EditionProblem]:
    """Facts left without a source, reactions whose cause was removed, an empty summary."""
    prefix = f"in edition {label.value}: "
    for name in ITEM_LISTS:
        for index, item in zip(kept[(name,)], cut[name], strict=True):
            cited = getattr(briefing, name)[index].sources
            if not item.sources and cited:
                lost = ", ".join(f"'{c.source}'" for c in cited)
                what = "its only source" if len(cited) == 1 else "every source it cites"
                yield EditionProblem(
                    (name, index, "sources"),
                    f"{prefix}this {LIST_LABELS[name]} loses {what} ({lost}), marked above "
                    f"{label.value}",
                    f"mark a citation {label.value} or lower, or this {LIST_LABELS[name]} higher",
                )
    events = {e.id for e in cut["events"]}
    for name in ("decisions", "statements"):
        for index, item in zip(kept[(name,)], cut[name], strict=True):
            if item.reacts_to and item.reacts_to not in events:
                yield EditionProblem(
                    (name, index, "reacts_to"),
                    f"{prefix}this {LIST_LABELS[name]} reacts to "
                    f"'{item.reacts_to}', an event the edition leaves out (marked above "
                    f"{label.value})",
                    f"mark the event {label.value} or lower, or this {LIST_LABELS[name]} higher",
                )
    if _cut_text(briefing.summary, briefing, label) is None:
        yield EditionProblem(
            ("summary",),
            f"{prefix}no paragraph of the summary is marked {label.value} or lower",
            f"begin a paragraph of the summary with ({label.value})",
        )


def cut_briefing(briefing: Briefing, label: Tlp) -> Edition:
    """The edition of ``briefing`` at ``label``: only portions at or below it (a pure function).

    Its marking is the lower of ``label`` and the briefing's; it releases no editions of its
    own. ``problems`` lists what would make it a broken briefing (located in the full note).
    """
    kept: dict[tuple[str | int, ...], tuple[int, ...]] = {
        (name,): _kept_indices(getattr(briefing, name), briefing, label) for name in PORTION_LISTS
    }
    cut: dict[str, list[Any]] = {
        name: [_cut_item(getattr(briefing, name)[i], briefing, label) for i in kept[(name,)]]
        for name in PORTION_LISTS
    }
    for name in ITEM_LISTS:  # citation indices shift too: locations still point at the file
        for index in kept[(name,)]:
            item = getattr(briefing, name)[index]
            cited = _cut_citations(item, briefing, label)
            kept[(name, index, "sources")] = tuple(
                i for i, c in enumerate(item.sources) if any(c is k for k in cited)
            )
    problems = tuple(_problems(briefing, cut, kept, label))
    marking = min(label, briefing.marking, key=lambda t: t.rank)
    update: dict[str, Any] = {
        name: _cut_text(getattr(briefing, name), briefing, label) for name in NARRATIVE_FIELDS
    }
    # An edition without a summary is reported (problems) and never rendered.
    update["summary"] = update["summary"] or ""
    edition = briefing.model_copy(update={**cut, **update, "marking": marking, "editions": []})
    return Edition(label, edition, dict(kept), problems)


def edition_key(briefing_id: str, label: Tlp) -> str:
    """'pa-halt/edition-tlp-clear': an edition's unit of build, also its folder under output/."""
    return f"{briefing_id}/{edition_folder(label)}"


def with_edition(project: Project, briefing_id: str, label: Tlp, key: str | None = None) -> Project:
    """``project`` holding the ``label`` edition of ``briefing_id`` under ``key``.

    ``key`` defaults to the note's own id (the site publishes the edition in the note's place);
    the build passes :func:`edition_key`, so the edition renders beside the full note. The
    edition's quotes keep the verdicts of the full note's (the same words, the same sources).
    """
    key = key or briefing_id
    edition = cut_briefing(project.briefings[briefing_id], label).briefing
    statuses = {(key, s): v for (b, s), v in project.quote_status.items() if b == briefing_id}
    return replace(
        project,
        briefings={**project.briefings, key: edition},
        quote_status={**project.quote_status, **statuses},
        editions={**project.editions, key: (briefing_id, label)},
    )
