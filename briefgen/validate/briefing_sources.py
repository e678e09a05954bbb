"""Source coverage: single-origin judgements, and sources nothing cites."""

from __future__ import annotations

from collections.abc import Iterable

from briefgen.diagnostics import Report
from briefgen.model.common import INLINE_CITATION
from briefgen.provenance.chains import independent_groups, relayed_by
from briefgen.validate.context import BriefingContext, Registry
from briefgen.validate.facts import iter_facts, iter_markdown


def check_single_origin(ctx: BriefingContext, report: Report) -> None:
    """A key point or assessment that rests on one origin is flagged for the analyst."""
    for list_name, label in (("key_points", "key point"), ("assessments", "assessment")):
        for i, item in enumerate(getattr(ctx.briefing, list_name)):
            groups = independent_groups(item.sources, ctx.registry.sources)
            if len(groups) != 1:
                continue
            (group,) = groups
            named = " and ".join(f"'{member}'" for member in group)
            linked = (
                ""
                if len(group) == 1
                else " (linked through citing chains: one relays the other, or both relay the "
                "same source)"
            )
            report.warning(
                ctx.at(list_name, i),
                f"this {label} rests on a single independent source: {named}{linked}",
                "corroborate it with an independent source, or say so in the text",
                code="single-source",
            )


def cited_sources(contexts: Iterable[BriefingContext]) -> set[str]:
    """Every source id cited by the briefings, directly, inline or as ``via``."""
    used: set[str] = set()
    for ctx in contexts:
        for fact in iter_facts(ctx.briefing):
            for citation in fact.citations:
                used.add(citation.source)
                if citation.via:
                    used.add(citation.via)
        for _, text in iter_markdown(ctx.briefing):
            used.update(m.group(1) for m in INLINE_CITATION.finditer(text))
    return used


def check_unused_sources(registry: Registry, used: set[str], report: Report) -> None:
    """Warn about sources no briefing cites, directly or through a citing chain."""
    reachable = set(used)
    for source_id in used:
        if source_id in registry.sources:
            reachable |= relayed_by(source_id, registry.sources)
    for source_id in sorted(set(registry.sources) - reachable):
        report.warning(
            registry.source_location(source_id, "id"),
            f"source '{source_id}' is not cited by any briefing",
            "cite it or remove it",
            code="unused-source",
        )
