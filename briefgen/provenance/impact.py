"""``briefgen impact``: every fact, in every briefing, that rests on one source, and how.

"Rests on" is :func:`briefgen.provenance.standing.reliances`: the fact cites the source
(directly), reaches it along a citing chain to its origin (``via``), or cites an origin that
relays it. Works on validation's salvaging parse, so a project with errors still gets an answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from briefgen.diagnostics import Location
from briefgen.model import Source
from briefgen.model.dates import format_date
from briefgen.model.facts import iter_facts
from briefgen.provenance.report import fact_label, snippet
from briefgen.provenance.standing import Reliance, reliance_on
from briefgen.provenance.verify import LocatedBriefing


@dataclass(frozen=True)
class ImpactedFact:
    """One fact that rests on the source: where it is, what it says, how it depends on it."""

    briefing_id: str
    label: str
    location: Location
    text: str
    reliance: Reliance

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "briefing": self.briefing_id,
            "fact": self.label,
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "text": self.text,
            "depends": self.reliance.kind,
            "chains": [list(p) for p in self.reliance.paths],
        }


def source_impact(
    source_id: str, sources: Mapping[str, Source], contexts: Sequence[LocatedBriefing]
) -> list[ImpactedFact]:
    """Every fact resting on ``source_id``, by briefing id, then in file order."""
    found = []
    for ctx in sorted(contexts, key=lambda c: c.briefing_id):
        for fact in iter_facts(ctx.briefing):
            reliance = reliance_on(source_id, fact.citations, sources)
            if reliance is None:
                continue
            list_name, index = fact.path
            item = getattr(ctx.briefing, list_name)[index]
            found.append(
                ImpactedFact(
                    ctx.briefing_id,
                    fact_label(fact.label, list_name, index, item),
                    ctx.at(list_name, index),
                    snippet(getattr(item, "title", None) or item.text),
                    reliance,
                )
            )
    return found


def standing_line(source: Source) -> str:
    """'retracted on 5 February 2023: note', or 'no retraction, correction or dispute recorded'."""
    standing = source.standing
    if standing is None:
        return "no retraction, correction or dispute recorded"
    note = f": {standing.note}" if standing.note else ""
    return f"{standing.status} on {format_date(standing.date)}{note}"


def format_impact(source: Source, facts: Sequence[ImpactedFact]) -> str:
    """The impact report as readable text, grouped by briefing."""
    count = f"{len(facts)} fact{'s' * (len(facts) != 1)}"
    briefings = list(dict.fromkeys(f.briefing_id for f in facts))
    where = f" in {len(briefings)} briefing{'s' * (len(briefings) != 1)}" if facts else ""
    lines = [f"{source.id} ({standing_line(source)}): {count} rest on it{where}"]
    for briefing_id in briefings:
        lines += ["", briefing_id]
        for fact in (f for f in facts if f.briefing_id == briefing_id):
            lines.append(f"  {fact.label}: {fact.text}")
            lines.append(f"    ({fact.location}) {_how(fact.reliance)}")
    return "\n".join(lines)


def _how(reliance: Reliance) -> str:
    """'directly', 'via chain inn → jpost → vop', 'relayed: inn → jpost (inn may repeat it)'."""
    if reliance.kind == "direct":
        return "directly"
    path: tuple[str, ...] = min(reliance.paths, key=len)
    if reliance.kind == "chain":
        return "via chain " + " → ".join(path)
    return f"relayed: {' → '.join(path)} ('{path[0]}' may be repeating it)"


def impact_json(source: Source, facts: Sequence[ImpactedFact]) -> dict[str, Any]:
    """The impact report as one JSON-ready object."""
    standing = source.standing
    return {
        "source": source.id,
        "standing": None
        if standing is None
        else {"status": standing.status, "date": str(standing.date), "note": standing.note},
        "facts": [f.as_dict() for f in facts],
    }
