"""Briefing checks on ids and references: everything a briefing names must exist."""

from __future__ import annotations

from briefgen.diagnostics import Report
from briefgen.model.common import INLINE_CITATION
from briefgen.model.facts import iter_facts, iter_markdown
from briefgen.provenance.chains import relayed_by
from briefgen.validate.context import BriefingContext
from briefgen.validate.hints import did_you_mean


def check_item_ids(ctx: BriefingContext, report: Report) -> None:
    """Events, decisions and statements share one id space (they become page anchors)."""
    seen: dict[str, int] = {}
    for list_name in ("events", "decisions", "statements"):
        for index, item in enumerate(getattr(ctx.briefing, list_name)):
            if not ctx.valid(list_name, index, "id"):
                continue
            if item.id in seen:
                report.error(
                    ctx.at(list_name, index, "id"),
                    f"duplicate id '{item.id}' in this briefing",
                    f"first used on line {seen[item.id]}",
                )
            else:
                seen[item.id] = ctx.at(list_name, index, "id").line


def _check_actor(ctx: BriefingContext, report: Report, actor_id: str, *path: str | int) -> None:
    if ctx.valid(*path) and ctx.registry.unknown_actor(actor_id):
        report.error(
            ctx.at(*path),
            f"unknown actor '{actor_id}'",
            did_you_mean(actor_id, ctx.registry.actor_ids),
        )


def check_actor_refs(ctx: BriefingContext, report: Report) -> None:
    """Actors named by events, decisions and statements are in content/actors.yaml."""
    b = ctx.briefing
    for i, event in enumerate(b.events):
        for j, actor_id in enumerate(event.actors):
            _check_actor(ctx, report, actor_id, "events", i, "actors", j)
    for i, decision in enumerate(b.decisions):
        _check_actor(ctx, report, decision.actor, "decisions", i, "actor")
    for i, statement in enumerate(b.statements):
        if statement.speaker:
            _check_actor(ctx, report, statement.speaker, "statements", i, "speaker")
        if not (
            ctx.valid("statements", i, "speaker") and ctx.valid("statements", i, "attribution")
        ):
            continue  # one of them failed the schema: who is named is not known
        if statement.speaker and statement.attribution:
            report.error(
                ctx.at("statements", i, "attribution", key=True),
                "a statement has both a speaker and an attribution; give only one",
                "attribution is for an unnamed speaker, e.g. 'a senior PLO official'",
            )
        elif not statement.speaker and not statement.attribution:
            report.error(
                ctx.at("statements", i, "id"),
                "this statement names no one: give a speaker (an actor id) or an attribution",
                "attribution is for an unnamed speaker, e.g. 'a senior PLO official'",
            )


def check_event_refs(ctx: BriefingContext, report: Report) -> None:
    """``reacts_to`` names an event of the same briefing."""
    if ("events",) in ctx.invalid:
        return  # 'events' is not a list (a mapping, say): which events it meant is not known
    # Events with a schema error still count, so that error is not echoed here.
    events = ctx.briefing.events
    event_ids = {e.id for i, e in enumerate(events) if ctx.valid("events", i, "id")}
    event_ids |= ctx.declared_events
    for list_name in ("decisions", "statements"):
        for i, item in enumerate(getattr(ctx.briefing, list_name)):
            if not ctx.valid(list_name, i, "reacts_to"):
                continue
            if item.reacts_to and item.reacts_to not in event_ids:
                report.error(
                    ctx.at(list_name, i, "reacts_to"),
                    f"unknown event '{item.reacts_to}'",
                    did_you_mean(item.reacts_to, event_ids)
                    or "reacts_to names an event of this briefing",
                )


def check_citations(ctx: BriefingContext, report: Report) -> None:
    """Every fact cites at least one known source; ``via`` is a source the cited one relays."""
    known = ctx.registry.source_ids
    # A chain through a source that failed the schema cannot be followed; that source's own
    # error is enough, so the via check waits until every source is valid.
    chains_complete = set(ctx.registry.sources) >= known
    relays: dict[str, set[str]] = {}  # relayed_by of each cited source, asked once
    for fact in iter_facts(ctx.briefing):
        if not ctx.valid(*fact.path, "sources") and not fact.citations:
            continue  # 'sources' (or what was meant for it) failed the schema: said there
        if not fact.citations and ctx.written(*fact.path, "sources"):
            report.error(
                ctx.at(*fact.path, "sources"),
                f"'sources' of this {fact.label} is empty: every fact cites at least one source",
                "give at least one source id",
            )
        elif not fact.citations:
            report.error(
                ctx.at(*fact.path),
                f"this {fact.label} cites no source",
                "add 'sources:' with at least one source id",
            )
        for n, citation in enumerate(fact.citations):
            where = (*fact.path, "sources", n)
            if not ctx.valid(*where, "source"):
                continue
            if ctx.registry.unknown_source(citation.source):
                report.error(
                    ctx.at(*where),
                    f"unknown source '{citation.source}'",
                    did_you_mean(citation.source, known),
                )
                continue
            if not ctx.valid(*where, "via"):
                continue
            if citation.via and ctx.registry.unknown_source(citation.via):
                # Closest first among the sources the cited one relays, then among all.
                relayed = relayed_by(citation.source, ctx.registry.sources) & known
                report.error(
                    ctx.at(*where, "via"),
                    f"unknown source '{citation.via}' in 'via'",
                    did_you_mean(citation.via, relayed)
                    or did_you_mean(citation.via, known)
                    or f"'via' names a source in content/sources.yaml that '{citation.source}' "
                    "cites",
                )
                continue
            if citation.source not in ctx.registry.sources:
                continue  # declared but invalid, or its file unreadable: reported there
            if not (citation.via and chains_complete):
                continue
            if citation.source not in relays:
                relays[citation.source] = relayed_by(citation.source, ctx.registry.sources)
            if citation.via not in relays[citation.source]:
                report.error(
                    ctx.at(*where, "via"),
                    f"'{citation.source}' does not cite '{citation.via}'",
                    f"add it to the 'cites' of source '{citation.source}'",
                )


def check_inline_citations(ctx: BriefingContext, report: Report) -> None:
    """Inline ``[@id]`` citations in Markdown name known sources."""
    known = ctx.registry.source_ids
    for path, text in iter_markdown(ctx.briefing):
        if not ctx.valid(*path):
            continue
        for match in INLINE_CITATION.finditer(text):
            cited = match.group(1)
            if ctx.registry.unknown_source(cited):
                report.error(
                    ctx.at(*path),
                    f"inline citation [@{cited}] names an unknown source",
                    did_you_mean(cited, known),
                )


def check_purpose(ctx: BriefingContext, report: Report) -> None:
    """A briefing for decision recommends; one for information does not."""
    b = ctx.briefing
    if not (ctx.valid("purpose") and ctx.valid("recommendations")):
        return
    if b.purpose == "decision" and not b.recommendations:
        report.error(
            ctx.at("purpose"),
            "a briefing for decision needs recommendations",
            "add 'recommendations:' with at least one item, or set purpose: information",
        )
    if b.purpose == "information" and b.recommendations:
        report.warning(
            ctx.at("recommendations", key=True),
            "recommendations are only printed in briefings for decision",
        )
