"""Source coverage: single-origin judgements, and sources nothing cites."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from briefgen.diagnostics import Report
from briefgen.model import Briefing, Source
from briefgen.model.dates import date_with_preposition
from briefgen.model.facts import iter_facts
from briefgen.model.references import sources_referred_by
from briefgen.provenance.chains import common_origins, independent_groups, relayed_by
from briefgen.provenance.standing import Affected, fact_standing
from briefgen.validate.context import BriefingContext, Registry


def check_single_origin(ctx: BriefingContext, report: Report) -> None:
    """A key point or assessment that rests on one origin is flagged for the analyst."""
    for list_name, label in (("key_points", "key point"), ("assessments", "assessment")):
        for i, item in enumerate(getattr(ctx.briefing, list_name)):
            if not ctx.valid(list_name, i, "sources"):
                continue  # a citation failed the schema: the origins are not all known
            groups = independent_groups(item.sources, ctx.registry.sources)
            if len(groups) != 1:
                continue
            (group,) = groups
            named = _join(group)
            linked = "" if len(group) == 1 else f" ({_linked(group, ctx.registry.sources)})"
            report.warning(
                ctx.at(list_name, i),
                f"this {label} rests on a single independent source: {named}{linked}",
                "corroborate it with an independent source, or say so in the text",
                code="single-source",
            )


def _join(ids: Iterable[str]) -> str:
    quoted = [f"'{i}'" for i in ids]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _linked(group: tuple[str, ...], sources: Mapping[str, Source]) -> str:
    """How the origins of one group are linked: which source(s) they go back to."""
    common = common_origins(group, sources)
    if not common:  # not expected for a group of two or more; say what is known
        return "linked through citing chains"
    relaying = [m for m in group if m not in common]
    if not relaying:  # a citing cycle (reported on its own)
        return f"linked through citing chains: {_join(common)} relay each other"
    if not all(c in relayed_by(m, sources) for m in relaying for c in common):
        return f"linked through citing chains that meet at {_join(common)}"
    if len(relaying) == len(group):  # the common source is not cited itself
        who = "both relay" if len(group) == 2 else "all relay"
    else:
        who = f"{_join(relaying)} {'relays' if len(relaying) == 1 else 'relay'}"
    return f"linked through citing chains: {who} {_join(common)}"


def cited_sources(contexts: Iterable[BriefingContext]) -> set[str]:
    """Every source some briefing refers to, citing chains included.

    "Refers to" is :func:`briefgen.model.references.briefing_references`: the sources the publish
    ceiling would keep if every briefing were released, and those the build key covers.
    """
    by_registry: dict[int, tuple[Registry, list[Briefing]]] = {}
    for ctx in contexts:
        by_registry.setdefault(id(ctx.registry), (ctx.registry, []))[1].append(ctx.briefing)
    used: set[str] = set()
    for registry, briefings in by_registry.values():
        # Chains are followed also through a source with schema errors in other fields, so
        # that the sources it cites do not look unused.
        sources = registry.sources_as_read()
        used |= sources_referred_by(briefings, registry.actors, sources)
    return used


def check_unused_sources(registry: Registry, used: set[str], report: Report) -> None:
    """Warn about sources outside ``used`` (:func:`cited_sources`, closure included)."""
    for source_id in sorted(set(registry.sources_as_read()) - used):
        report.warning(
            registry.source_location(source_id, "id"),
            f"source '{source_id}' is not cited by any briefing",
            "cite it or remove it",
            code="unused-source",
        )


def check_standing(ctx: BriefingContext, report: Report) -> None:
    """Facts resting on a retracted, corrected or disputed source (``standing``).

    An error when the fact has no source left standing (a retraction on every citation's
    chain), a warning for every other standing source it rests on.
    """
    sources = ctx.registry.sources
    if all(source.standing is None for source in sources.values()):
        return  # nothing was retracted, corrected or disputed: no fact can be affected
    for fact in iter_facts(ctx.briefing):
        if not ctx.valid(*fact.path, "sources"):
            continue  # a citation failed the schema: what the fact rests on is not all known
        found = fact_standing(fact.citations, sources)
        if not found.affected:
            continue  # stranded needs a retraction, which is among the affected
        where = ctx.at(*fact.path)
        retracted = [a for a in found.affected if a.standing.status == "retracted"]
        if found.stranded and retracted:
            report.error(
                where,
                f"this {fact.label} has no source left standing: "
                + "; ".join(f"{_named(a)} was {_status(a)}" for a in retracted),
                _hint(retracted, f"cite a source that still stands, or remove the {fact.label}"),
                code="source-retracted",
            )
        for affected in found.affected:
            if found.stranded and affected in retracted:
                continue
            report.warning(
                where,
                f"this {fact.label} rests on {_named(affected)}, {_status(affected)}"
                + _still(affected),
                _hint([affected], f"check that the {fact.label} still holds"),
                code=f"source-{affected.standing.status}",
            )


def _named(affected: Affected) -> str:
    """ "'jpost'", or "'jpost' (through inn → jpost)" when the fact does not cite it itself."""
    how = affected.reliance.how()
    return f"'{affected.source.id}'" + ("" if how == "directly" else f" ({how})")


def _status(affected: Affected) -> str:
    return f"{affected.standing.status} {date_with_preposition(affected.standing.date)}"


def _still(affected: Affected) -> str:
    """Why a retraction is only a warning here."""
    if affected.standing.status != "retracted":
        return ""
    if affected.reliance.chained:
        return "; other origins remain"
    return f"; '{affected.reliance.paths[0][0]}' relays it and may be repeating it"


def _hint(affected: list[Affected], advice: str) -> str:
    """The notes of the standing sources, then what to do."""
    notes = [
        f"notice of '{a.source.id}': \"{a.standing.note}\"" for a in affected if a.standing.note
    ]
    return "; ".join([*notes, advice])
