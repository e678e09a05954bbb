"""A fact-level diff as text for people and as JSON for tools (``briefgen diff``)."""

from __future__ import annotations

from typing import Any

from briefgen.history.diff import SINGULAR, Change, WordOp
from briefgen.history.states import State

_SECTION_NAMES = {
    "bottom_line": "bottom line",
    "summary": "summary",
    "background": "background",
    "outlook": "outlook",
    "information_gaps": "information gap",
    "recommendations": "recommendation",
    "briefing": "briefing",
}


def subject(change: Change) -> str:
    """'event jenin-raid', 'assessment 2', 'summary', 'information gap 1', 'briefing'."""
    list_name, key = change.where
    name = SINGULAR.get(list_name) or _SECTION_NAMES.get(list_name, list_name)
    return f"{name} {key}" if key else name


def inline_words(words: tuple[WordOp, ...]) -> str:
    """A word diff in one line: removed words as [-…-], added ones as {+…+}."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return " ".join(marks[op.op].format(op.text) for op in words)


def change_line(change: Change) -> str:
    """One change as a line of text."""
    where = subject(change)
    if change.kind == "added":
        return f"+ {where} added: {change.label}"
    if change.kind == "removed":
        return f"- {where} removed: {change.label}"
    if change.kind in ("sources-added", "sources-removed"):
        verb = "now cites" if change.kind == "sources-added" else "no longer cites"
        return f"~ {where} {verb} {', '.join(change.items)}"
    if change.words:
        return f"~ {where} {change.field} reworded: {inline_words(change.words)}"
    return f"~ {where} {change.field}: {change.old or '(none)'} → {change.new or '(none)'}"


def format_text(briefing_id: str, old: State, new: State, changes: list[Change]) -> str:
    """The diff for people: a heading line, one line per change, a count."""
    lines = [f"{briefing_id}: from {old.describe()} to {new.describe()}"]
    lines += [f"  {change_line(change)}" for change in changes]
    count = len(changes)
    lines.append("no changes" if not count else f"{count} change{'s' if count != 1 else ''}")
    return "\n".join(lines)


def _state_json(state: State) -> dict[str, Any]:
    return {"version": state.briefing.version, "commit": state.commit}


def change_json(change: Change) -> dict[str, Any]:
    """One change as a JSON object (fields empty for a kind are left out)."""
    out: dict[str, Any] = {
        "kind": change.kind,
        "list": change.where[0],
        "key": change.where[1] or None,
        "field": change.field or None,
        "label": change.label or None,
    }
    if change.old is not None or change.new is not None:
        out["old"], out["new"] = change.old, change.new
    if change.words:
        out["words"] = [{"op": op.op, "text": op.text} for op in change.words]
    if change.items:
        out["sources"] = list(change.items)
    return out


def format_json(briefing_id: str, old: State, new: State, changes: list[Change]) -> dict[str, Any]:
    """The diff for tools."""
    return {
        "briefing": briefing_id,
        "from": _state_json(old),
        "to": _state_json(new),
        "changes": [change_json(change) for change in changes],
    }
