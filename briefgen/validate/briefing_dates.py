"""Briefing checks on time: the cut-off, publication of sources, reactions, titles held."""

from __future__ import annotations

from briefgen.diagnostics import Report
from briefgen.model.actors import Actor, Role
from briefgen.model.briefings import Statement
from briefgen.model.dates import EdtfDate, format_date
from briefgen.model.facts import iter_facts
from briefgen.model.roles import matching_roles, role_held
from briefgen.validate.context import BriefingContext
from briefgen.validate.hints import did_you_mean


def _dated_fields(ctx: BriefingContext) -> list[tuple[tuple[str | int, ...], EdtfDate]]:
    b = ctx.briefing
    dated: list[tuple[tuple[str | int, ...], EdtfDate]] = []
    for i, event in enumerate(b.events):
        dated.append((("events", i, "date"), event.date))
    for i, decision in enumerate(b.decisions):
        dated.append((("decisions", i, "date"), decision.date))
        dated.append((("decisions", i, "status_as_of"), decision.status_as_of))
    for i, statement in enumerate(b.statements):
        dated.append((("statements", i, "date"), statement.date))
    return dated


def check_cutoff(ctx: BriefingContext, report: Report) -> None:
    """Nothing is dated after the information cut-off, and the note is not issued before it."""
    if not (ctx.valid("cutoff") and ctx.valid("issued")):
        return
    cutoff = ctx.briefing.cutoff
    for path, value in _dated_fields(ctx):
        if ctx.valid(*path) and value.certainly_after(cutoff):
            report.error(
                ctx.at(*path),
                f"dated {value}, after the information cut-off ({cutoff})",
                "move the cut-off, or leave this out of the briefing",
            )
    if ctx.briefing.issued.certainly_before(cutoff):
        report.error(
            ctx.at("issued"),
            f"issued {ctx.briefing.issued}, before its own information cut-off ({cutoff})",
        )


def check_reported_after(ctx: BriefingContext, report: Report) -> None:
    """A dated fact cannot postdate every source that reports it."""
    sources = ctx.registry.sources
    for fact in iter_facts(ctx.briefing):
        if not (ctx.valid(*fact.path, "date") and ctx.valid(*fact.path, "sources")):
            continue  # a date or citation that failed the schema: nothing to compare
        cited = [sources[c.source] for c in fact.citations if c.source in sources]
        if fact.date is None or not cited:
            continue
        if all(fact.date.certainly_after(s.published) for s in cited):
            latest = max((s.published for s in cited), key=EdtfDate.sort_key)
            report.error(
                ctx.at(*fact.path, "date"),
                f"dated {fact.date}, after every source that reports it was published "
                f"(latest: {latest})",
                "check the date, or cite the source that reported it",
            )


def check_reactions(ctx: BriefingContext, report: Report) -> None:
    """A decision or statement cannot come before the event it reacts to."""
    events = {
        e.id: e
        for i, e in enumerate(ctx.briefing.events)
        if ctx.valid("events", i, "id") and ctx.valid("events", i, "date")
    }
    for list_name in ("decisions", "statements"):
        for i, item in enumerate(getattr(ctx.briefing, list_name)):
            if not (ctx.valid(list_name, i, "reacts_to") and ctx.valid(list_name, i, "date")):
                continue
            event = events.get(item.reacts_to) if item.reacts_to else None
            if event is not None and item.date.certainly_before(event.date):
                report.error(
                    ctx.at(list_name, i, "date"),
                    f"dated {item.date}, before the event it reacts to "
                    f"('{event.id}', {event.date})",
                )


def _on(value: EdtfDate) -> str:
    """'on 3 February 2023', 'in January 2023', 'in 2023', as a date's precision allows."""
    text = format_date(value)
    return (
        f"on {text}" if value.start.precision == "day" and not value.is_interval else f"in {text}"
    )


def _inverted(role: Role) -> bool:
    """A role that ends before it begins; reported with the actor, so not used here."""
    return bool(role.from_ and role.to and role.to.certainly_before(role.from_))


def check_speaker_roles(ctx: BriefingContext, report: Report) -> None:
    """A named speaker held the title given (or some recorded title) on the statement date."""
    actors = ctx.registry.actors
    for i, statement in enumerate(ctx.briefing.statements):
        checkable = all(ctx.valid("statements", i, key) for key in ("speaker", "role", "date"))
        actor = actors.get(statement.speaker) if statement.speaker and checkable else None
        if actor is not None and actor.kind == "person":
            _check_speaker_role(ctx, report, i, statement, actor)


def _check_speaker_role(
    ctx: BriefingContext, report: Report, i: int, statement: Statement, actor: Actor
) -> None:
    when = _on(statement.date)
    roles = matching_roles(actor, statement.role) if statement.role else list(actor.roles)
    if statement.role and not roles:
        report.error(
            ctx.at("statements", i, "role"),
            f"{actor.name} has no role '{statement.role}' in content/actors.yaml",
            did_you_mean(statement.role, [r.title for r in actor.roles]),
        )
        return
    states = {role_held(role, statement.date) for role in roles}
    if "held" in states or any(_inverted(role) for role in roles):
        return
    where = ctx.at("statements", i, "role" if statement.role else "speaker")
    if statement.role and states == {"not-held"}:
        report.error(
            where,
            f"{actor.name} did not hold the role '{statement.role}' {when}",
            "check the role's from/to dates in content/actors.yaml",
        )
    elif statement.role:
        report.warning(
            where,
            f"cannot show that {actor.name} held '{statement.role}' {when}",
            "give the role's from/to dates in content/actors.yaml",
        )
    else:
        report.warning(
            where,
            f"no role of {actor.name} is known to be held {when}; "
            "the briefing will print the name without a title",
            "add the role with its dates in content/actors.yaml",
        )
