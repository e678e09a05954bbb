"""The "Changes since version N" box and the version history table, in a reader's words.

Both come from the issued versions the project's git history holds (``Project.versions``,
filled by :func:`briefgen.history.with_history`) and the fact-level diff of
:mod:`briefgen.history.diff`; a project read without history shows neither.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.history.diff import SINGULAR, Change, diff_briefings
from briefgen.history.states import previous_issued
from briefgen.model import Briefing, IssuedVersion, Project
from briefgen.model.dates import EdtfDate, format_date
from briefgen.render.words import STATUS_LABELS

_SECTIONS = {
    "bottom_line": "Bottom line",
    "summary": "Summary",
    "background": "Background",
    "outlook": "Outlook",
    "information_gaps": "Information gap",
    "recommendations": "Recommendation",
}
# How the version history's one-line summary counts each kind of change.
_COUNTED = {
    "added": ("new", "new"),
    "removed": ("removed", "removed"),
    "reworded": ("reworded", "reworded"),
    "likelihood": ("re-graded", "re-graded"),
    "confidence": ("re-graded", "re-graded"),
    "status": ("status changed", "statuses changed"),
    "date": ("date changed", "dates changed"),
    "sources-added": ("source added", "sources added"),
    "sources-removed": ("source removed", "sources removed"),
    "marking": ("marking changed", "marking changed"),
    "section": ("section revised", "sections revised"),
    "changed": ("other change", "other changes"),
}


@dataclass(frozen=True)
class ChangesView:
    """The box near the top: what changed since the previous issued version."""

    since: str  # the previous issued version, e.g. "1.0"
    items: tuple[str, ...]


@dataclass(frozen=True)
class HistoryRow:
    """One row of the version history table."""

    version: str
    date: str
    summary: str
    approved_by: str  # names, comma-separated; empty when none


def _date(value: str | None) -> str:
    return format_date(EdtfDate.parse(value)) if value else "none"


def _sources(ids: Sequence[str], project: Project) -> str:
    names = [project.sources[i].publisher if i in project.sources else i for i in ids]
    return ", ".join(dict.fromkeys(names))


def _section(change: Change) -> str:
    name, key = change.where
    label = _SECTIONS.get(name, name) + (f" {key}" if key else "")
    if not change.old:
        return f"New: {label.lower()}"
    return f"Removed: {label.lower()}" if not change.new else f"{label} revised"


def change_sentence(change: Change, project: Project) -> str:
    """One change in a reader's words: 'New: …', 'Now likely (was …): …'."""
    label, old, new = change.label, change.old or "", change.new or ""
    kind = change.kind
    if kind == "added":
        return f"New: {label}"
    if kind == "removed":
        return f"Removed: {label}"
    if kind == "likelihood":
        return f"Now {new} (was {old}): {label}"
    if kind == "confidence":
        return f"Now {new} confidence (was {old}): {label}"
    if kind == "status":
        was = STATUS_LABELS.get(old, old)
        return f"Now {STATUS_LABELS.get(new, new)} (was {was}): {label}"
    if kind == "date":
        return f"Date now {_date(new)} (was {_date(old)}): {label or change.field}"
    if kind == "marking":
        return f"Marking now {new} (was {old})"
    if kind == "reworded":
        return f"Reworded: {label or change.field}"
    if kind in ("sources-added", "sources-removed"):
        verb = "Also cites" if kind == "sources-added" else "No longer cites"
        return f"{verb} {_sources(change.items, project)}: {label}"
    if kind == "section":
        return _section(change)
    thing = SINGULAR.get(change.where[0], "briefing")
    return (
        f"Changed {thing} {change.field.replace('_', ' ')}: {new or 'none'} (was {old or 'none'})"
    )


def version_summary(changes: Sequence[Change]) -> str:
    """'2 new, 1 re-graded, 1 source removed': the changes of a version, counted."""
    counts = Counter(_COUNTED[c.kind] for c in changes)
    if not counts:
        return "No change to the content"
    parts = [f"{n} {plural if n > 1 else one}" for (one, plural), n in counts.items()]
    return ", ".join(parts)


def changes_box(project: Project, briefing_id: str) -> ChangesView | None:
    """The box for the briefing as it is: changes since the previous issued version."""
    briefing = project.briefings[briefing_id]
    previous = previous_issued(project.versions.get(briefing_id, ()), briefing.version)
    if previous is None:
        return None
    changes = diff_briefings(previous.briefing, briefing)
    items = tuple(change_sentence(change, project) for change in changes)
    return ChangesView(previous.version, items or ("No change to the content.",))


def _row(briefing: Briefing, before: Briefing | None, approved: Sequence[str]) -> HistoryRow:
    summary = "First issue" if before is None else version_summary(diff_briefings(before, briefing))
    return HistoryRow(briefing.version, format_date(briefing.issued), summary, ", ".join(approved))


def history_rows(project: Project, briefing_id: str) -> tuple[HistoryRow, ...]:
    """Every issued version and the one being read, newest first; none without history."""
    versions: Sequence[IssuedVersion] = project.versions.get(briefing_id, ())
    if not versions:
        return ()
    current = project.briefings[briefing_id]
    earlier = [v for v in versions if v.version != current.version]
    rows: list[HistoryRow] = []
    before: Briefing | None = None
    for version in earlier:
        rows.append(_row(version.briefing, before, version.approved_by))
        before = version.briefing
    rows.append(_row(current, before, project.approved_by.get(briefing_id, ())))
    return tuple(reversed(rows))
