"""Source coverage: single-origin judgements, and sources nothing cites."""

from __future__ import annotations

from collections.abc import Iterable

from briefgen.diagnostics import Report
from briefgen.model import briefing_references
from briefgen.provenance.chains import independent_groups
from briefgen.validate.context import BriefingContext, Registry


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
    """Every source some briefing refers to, citing chains included.

    "Refers to" is :func:`briefgen.model.references.briefing_references`: the sources the publish
    ceiling would keep if every briefing were released, and those the build key covers.
    """
    used: set[str] = set()
    for ctx in contexts:
        registry = ctx.registry
        used |= briefing_references(ctx.briefing, registry.actors, registry.sources).sources
    return used


def check_unused_sources(registry: Registry, used: set[str], report: Report) -> None:
    """Warn about sources outside ``used`` (:func:`cited_sources`, closure included)."""
    for source_id in sorted(set(registry.sources) - used):
        report.warning(
            registry.source_location(source_id, "id"),
            f"source '{source_id}' is not cited by any briefing",
            "cite it or remove it",
            code="unused-source",
        )
