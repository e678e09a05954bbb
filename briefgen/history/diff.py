"""A fact-level diff of two states of a briefing.

Facts are matched by id (events, decisions, statements); key points and assessments have no
id and are matched by their place in the list (the third assessment with the third). For
each pair: text reworded (word by word), dates changed (their EDTF form keeps the precision),
likelihood or confidence re-graded, marking or status changed, sources added or removed. The
narrative sections (summary, background, outlook, gaps, recommendations) are compared word by
word. The briefing's ``version`` and ``issued`` change with every release and are left out.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from briefgen.model.briefings import Briefing
from briefgen.model.common import INLINE_CITATION
from briefgen.model.dates import EdtfDate
from briefgen.model.facts import FACT_LISTS, LIST_LABELS, NARRATIVE_FIELDS

# Fact lists whose items have an ``id``; the others are matched by position.
ID_LISTS = frozenset({"events", "decisions", "statements"})
# The fact lists' item names ('event', …); sections are named by report and render.
SINGULAR = {name: LIST_LABELS[name] for name in FACT_LISTS}
SECTIONS = NARRATIVE_FIELDS
SECTION_LISTS = ("information_gaps", "recommendations")
# Briefing fields compared on their own (the rest are fact lists, sections or left out).
TOP_FIELDS = ("title", "marking", "purpose", "cutoff", "authors")
IGNORED_TOP = frozenset({"version", "issued"})
# Fields of a fact with a change kind of their own.
GRADES = {"likelihood": "likelihood", "confidence": "confidence", "status": "status"}


@dataclass(frozen=True)
class WordOp:
    """One step of a word-level diff: '=' kept, '-' removed, '+' added."""

    op: str
    text: str


@dataclass(frozen=True)
class Change:
    """One change between two states of a briefing.

    ``kind``: added, removed, reworded, date, likelihood, confidence, status, marking,
    sources-added, sources-removed, changed (any other field), section.
    ``where``: ``("events", "jenin-raid")``, ``("assessments", "2")`` (1-based place) or
    ``("summary", "")``. ``label`` names the fact for a reader (its title or first words).
    """

    kind: str
    where: tuple[str, str]
    field: str
    label: str
    old: str | None = None
    new: str | None = None
    words: tuple[WordOp, ...] = ()
    items: tuple[str, ...] = ()


def word_diff(old: str, new: str) -> tuple[WordOp, ...]:
    """The word-level diff of two texts (whitespace-separated words)."""
    a, b = old.split(), new.split()
    ops: list[WordOp] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(WordOp("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(WordOp("-", " ".join(a[i1:i2])))
        if j2 > j1:
            ops.append(WordOp("+", " ".join(b[j1:j2])))
    return tuple(ops)


def fact_label(list_name: str, item: BaseModel) -> str:
    """What a reader calls a fact: an event's title, else the first words of its text."""
    text = getattr(item, "title", None) or getattr(item, "text", "")
    words = " ".join(INLINE_CITATION.sub("", str(text)).split())
    return words if len(words) <= 90 else words[:89].rstrip() + "…"


def _keyed(list_name: str, items: list[Any]) -> dict[str, Any]:
    if list_name in ID_LISTS:
        return {item.id: item for item in items}
    return {str(index + 1): item for index, item in enumerate(items)}


def _source_ids(item: BaseModel) -> list[str]:
    return sorted({citation.source for citation in getattr(item, "sources", [])})


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _field_change(where: tuple[str, str], label: str, name: str, old: Any, new: Any) -> Change:
    """The change of one field of a fact, of the kind its field and values call for."""
    before, after = _text(old), _text(new)
    if name in GRADES:
        return Change(GRADES[name], where, name, label, before, after)
    if name == "marking":
        return Change("marking", where, name, label, before, after)
    if isinstance(old, EdtfDate) or isinstance(new, EdtfDate):
        return Change("date", where, name, label, before, after)
    if isinstance(old, str) and isinstance(new, str):
        return Change("reworded", where, name, label, before, after, word_diff(old, new))
    return Change("changed", where, name, label, before, after)


def _fact_changes(list_name: str, key: str, old: BaseModel, new: BaseModel) -> Iterator[Change]:
    where, label = (list_name, key), fact_label(list_name, new)
    for name in type(new).model_fields:
        if name in ("id", "sources"):
            continue
        before, after = getattr(old, name, None), getattr(new, name, None)
        if _text(before) != _text(after):
            yield _field_change(where, label, name, before, after)
    old_ids, new_ids = _source_ids(old), _source_ids(new)
    added = tuple(s for s in new_ids if s not in old_ids)
    removed = tuple(s for s in old_ids if s not in new_ids)
    if added:
        yield Change("sources-added", where, "sources", label, items=added)
    if removed:
        yield Change("sources-removed", where, "sources", label, items=removed)


def _list_changes(list_name: str, old: list[Any], new: list[Any]) -> Iterator[Change]:
    before, after = _keyed(list_name, old), _keyed(list_name, new)
    for key, item in after.items():
        if key not in before:
            yield Change("added", (list_name, key), "", fact_label(list_name, item))
        else:
            yield from _fact_changes(list_name, key, before[key], item)
    for key, item in before.items():
        if key not in after:
            yield Change("removed", (list_name, key), "", fact_label(list_name, item))


def _section_change(name: str, key: str, old: str | None, new: str | None) -> Change | None:
    if (old or "") == (new or ""):
        return None
    where = (name, key)
    return Change("section", where, name, "", old, new, word_diff(old or "", new or ""))


def _sections(old: Briefing, new: Briefing) -> Iterator[Change]:
    for name in SECTIONS:
        change = _section_change(name, "", getattr(old, name), getattr(new, name))
        if change:
            yield change
    for name in SECTION_LISTS:
        before, after = getattr(old, name), getattr(new, name)
        for index in range(max(len(before), len(after))):
            # Items are Portion models (text and an optional marking): their words are compared.
            a = before[index].text if index < len(before) else None
            b = after[index].text if index < len(after) else None
            change = _section_change(name, str(index + 1), a, b)
            if change:
                yield change


def diff_briefings(old: Briefing, new: Briefing) -> list[Change]:
    """Every change from ``old`` to ``new``: the briefing's own fields, facts, sections."""
    changes: list[Change] = []
    for name in TOP_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if _text(before) != _text(after):
            changes.append(_field_change(("briefing", ""), "", name, before, after))
    for list_name in FACT_LISTS:
        changes.extend(_list_changes(list_name, getattr(old, list_name), getattr(new, list_name)))
    changes.extend(_sections(old, new))
    return changes
