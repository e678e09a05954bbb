"""The provenance report: for each fact, its citing chains, origins and quote status.

Used by ``briefgen sources``. It works on the salvaging parse and the quote outcomes of the
command's one validation run, so that a project with errors still gets a report, failing quotes
included, and no quote is checked twice; the diagnostics come from that run too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from briefgen.diagnostics import Location
from briefgen.model import Source
from briefgen.model.dates import format_date
from briefgen.model.facts import iter_facts
from briefgen.provenance.archives import text_label
from briefgen.provenance.chains import citation_chain, group_label, independent_groups
from briefgen.provenance.standing import Affected, fact_standing
from briefgen.provenance.verify import (
    LocatedBriefing,
    Outcome,
    QuoteOutcome,
    SourceRegistry,
)

_SNIPPET = 60


@dataclass(frozen=True)
class FactProvenance:
    """One fact: what it is, where it is written, its chains, origins and quote status."""

    label: str
    location: Location
    snippet: str
    chains: tuple[tuple[str, ...], ...]
    origins: tuple[str, ...]
    quote: Outcome | None = None
    judgement: bool = False
    found_in: tuple[str, ...] = ()  # which text of which archive a quote was found in
    standing: tuple[Affected, ...] = ()  # retracted, corrected or disputed sources it rests on

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "fact": self.label,
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "text": self.snippet,
            "chains": [list(c) for c in self.chains],
            "origins": list(self.origins),
            "independent_origins": len(self.origins),
            "quote": self.quote,
            "found_in": list(self.found_in),
            "standing": [
                {
                    "source": a.source.id,
                    "status": a.standing.status,
                    "date": str(a.standing.date),
                    "chains": [list(p) for p in a.reliance.paths],
                }
                for a in self.standing
            ],
        }


@dataclass(frozen=True)
class BriefingProvenance:
    """The provenance of every fact of one briefing."""

    briefing_id: str
    title: str
    facts: tuple[FactProvenance, ...]

    def quote_counts(self) -> dict[str, int]:
        """How many direct quotes are verified, unverified and failing."""
        counts = {"verified": 0, "unverified": 0, "failing": 0}
        for fact in self.facts:
            if fact.quote is not None:
                counts[fact.quote] += 1
        return counts

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "briefing": self.briefing_id,
            "title": self.title,
            "quotes": self.quote_counts(),
            "facts": [f.as_dict() for f in self.facts],
        }


def describe_briefing(
    ctx: LocatedBriefing, sources: Mapping[str, Source], outcomes: Mapping[str, QuoteOutcome]
) -> BriefingProvenance:
    """The provenance of every fact of one briefing, in file order."""
    facts = []
    for fact in iter_facts(ctx.briefing):
        list_name, index = fact.path
        item = getattr(ctx.briefing, list_name)[index]
        chains = tuple(dict.fromkeys(citation_chain(c, sources) for c in fact.citations))
        groups = independent_groups(fact.citations, sources)
        found = tuple(group_label(g, sources) for g in groups)
        outcome = outcomes.get(item.id) if list_name == "statements" else None
        facts.append(
            FactProvenance(
                label=fact_label(fact.label, list_name, index, item),
                location=ctx.at(list_name, index),
                snippet=snippet(getattr(item, "title", None) or item.text),
                chains=chains,
                origins=found,
                quote=outcome.status if outcome else None,
                judgement=list_name in ("key_points", "assessments"),
                found_in=_found_in(outcome, sources),
                standing=fact_standing(fact.citations, sources).affected,
            )
        )
    return BriefingProvenance(ctx.briefing_id, ctx.briefing.title, tuple(facts))


def _found_in(outcome: QuoteOutcome | None, sources: Mapping[str, Source]) -> tuple[str, ...]:
    """'the main text of content/archive/x.html' for each archive the quote was found in."""
    if outcome is None:
        return ()
    archives = [sources[s].archive for s in outcome.found_in if s in sources]
    return tuple(text_label(a) for a in archives if a is not None)


def fact_label(label: str, list_name: str, index: int, item: Any) -> str:
    """'quote abu-yusef-decision', 'event raid', 'key point 2': a fact as reports name it."""
    if list_name == "statements":
        return f"{item.kind} {item.id}"
    item_id = getattr(item, "id", None)
    return f"{label} {item_id}" if item_id else f"{label} {index + 1}"


def snippet(text: str) -> str:
    """The start of a fact's text on one line, shortened with '…'."""
    flat = " ".join(text.split())
    return flat if len(flat) <= _SNIPPET else flat[: _SNIPPET - 1].rstrip() + "…"


def project_provenance(
    registry: SourceRegistry,
    contexts: Sequence[LocatedBriefing],
    outcomes: Iterable[QuoteOutcome],
) -> list[BriefingProvenance]:
    """The provenance report of a project, in briefing-id order.

    ``registry`` and ``contexts`` come from the salvaging parse of validation, so a project
    with errors still gets its report; ``outcomes`` are the quote outcomes that validation's
    verification computed.
    """
    by_briefing: dict[str, dict[str, QuoteOutcome]] = {}
    for outcome in outcomes:
        by_briefing.setdefault(outcome.briefing_id, {})[outcome.statement_id] = outcome
    return [
        describe_briefing(ctx, registry.sources, by_briefing.get(ctx.briefing_id, {}))
        for ctx in sorted(contexts, key=lambda c: c.briefing_id)
    ]


def format_report(briefings: list[BriefingProvenance], *, verbose: bool = False) -> str:
    """The report as readable text; ``verbose`` adds which text each quote was found in."""
    if not briefings:
        return "No briefings."
    return "\n\n".join(_format_briefing(b, verbose) for b in briefings)


def _format_briefing(briefing: BriefingProvenance, verbose: bool = False) -> str:
    counts = briefing.quote_counts()
    lines = [
        f"{briefing.briefing_id}: {briefing.title}",
        f"  direct quotes: {counts['verified']} verified, {counts['unverified']} unverified, "
        f"{counts['failing']} failing",
    ]
    for fact in briefing.facts:
        status = f" [{fact.quote}]" if fact.quote else ""
        lines.append("")
        lines.append(f"  {fact.label}{status}: {fact.snippet}")
        lines.append(f"    ({fact.location})")
        if verbose:
            lines.extend(f"    found in {label}" for label in fact.found_in)
        lines.append("    " + _origins_line(fact))
        lines.extend(f"      {' → '.join(c)}" for c in fact.chains)
        lines.extend(f"    {_standing_line(a)}" for a in fact.standing)
    return "\n".join(lines)


def _standing_line(affected: Affected) -> str:
    """'radio-2024-03-01 retracted on 5 March 2024 (through gazette → radio)'."""
    how = affected.reliance.how()
    path = "" if how == "directly" else f" ({how})"
    date = format_date(affected.standing.date)
    return f"{affected.source.id} {affected.standing.status} on {date}{path}"


def _origins_line(fact: FactProvenance) -> str:
    count = len(fact.origins)
    if count == 0 and any(a.standing.status == "retracted" for a in fact.standing):
        return (
            "0 independent origins: every origin is retracted, or reached only through a retraction"
        )
    if count == 0:
        return "no sources"
    noun = "independent origin" if count == 1 else "independent origins"
    flag = " (single origin)" if count == 1 and fact.judgement else ""
    # A linked group's label has commas of its own ("vop, also relayed by inn").
    separator = "; " if any("," in label for label in fact.origins) else ", "
    return f"{count} {noun}{flag}: {separator.join(fact.origins)}"
