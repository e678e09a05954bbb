"""Gather what the site pages show from a (ceiling-filtered) project: plain data, no HTML."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from briefgen.model import Actor, Briefing, Project, Tlp
from briefgen.model.briefings import Decision, Event, Statement
from briefgen.model.dates import EdtfDate
from briefgen.model.references import named_in
from briefgen.render.view import chronological

ItemKind = Literal["event", "decision", "statement"]


@dataclass(frozen=True)
class BriefingRef:
    """A link target: a published briefing's id, title and marking."""

    id: str
    title: str
    marking: Tlp


@dataclass(frozen=True)
class Item:
    """One dated fact of a briefing, as listed on actor pages and the timeline."""

    kind: ItemKind
    anchor: str
    date: EdtfDate
    briefing: BriefingRef
    fact: Event | Decision | Statement
    position: int = 0  # place in its briefing's order (render.view.chronological)

    def sort_key(self) -> tuple[object, ...]:
        """Chronological; on one date, briefing by briefing, each in the briefing's own order."""
        return (self.date.sort_key(), self.briefing.id, self.position)


def ref(project: Project, briefing_id: str) -> BriefingRef:
    """The link target of one briefing of ``project``."""
    briefing = project.briefings[briefing_id]
    return BriefingRef(briefing_id, briefing.title, briefing.marking)


def newest_first(project: Project) -> list[str]:
    """Briefing ids by issue date, newest first; ties by title then id so order is stable."""

    def key(briefing_id: str) -> tuple[object, ...]:
        briefing = project.briefings[briefing_id]
        first, last = briefing.issued.sort_key()
        return (-last.toordinal(), -first.toordinal(), briefing.title, briefing_id)

    return sorted(project.briefings, key=key)


def highest_marking(markings: list[Tlp]) -> Tlp:
    """The most restrictive of ``markings`` (TLP:CLEAR when there are none)."""
    return max(markings, key=lambda tlp: tlp.rank, default=Tlp.CLEAR)


def _kind(fact: Event | Decision | Statement) -> ItemKind:
    if isinstance(fact, Event):
        return "event"
    return "decision" if isinstance(fact, Decision) else "statement"


def briefing_items(project: Project, briefing_id: str) -> list[Item]:
    """Every event, decision and statement of one briefing, in the briefing's order.

    That order is :func:`briefgen.render.view.chronological`: by date; on one date, a reaction
    after the event it reacts to, then as written (events, decisions, statements).
    """
    briefing: Briefing = project.briefings[briefing_id]
    target = ref(project, briefing_id)
    written: list[Event | Decision | Statement] = [
        *briefing.events,
        *briefing.decisions,
        *briefing.statements,
    ]
    # Titles held on each date are not gathered here: the briefing's render view has them.
    return [
        Item(_kind(fact), f"{_kind(fact)}-{fact.id}", fact.date, target, fact, position)
        for position, fact in enumerate(chronological(written))
    ]


def all_items(project: Project) -> list[Item]:
    """Every dated fact of every briefing in the project, oldest first."""
    items = [item for b in sorted(project.briefings) for item in briefing_items(project, b)]
    return sorted(items, key=Item.sort_key)


def actors_of(item: Item) -> list[str]:
    """Ids of the actors an item belongs to: the event's actors, decider or speaker."""
    fact = item.fact
    if isinstance(fact, Event):
        return list(fact.actors)
    if isinstance(fact, Decision):
        return [fact.actor]
    return [fact.speaker] if fact.speaker else []


def items_by_actor(project: Project) -> dict[str, list[Item]]:
    """Actor id -> that actor's events, decisions and statements, oldest first."""
    found: dict[str, list[Item]] = {actor_id: [] for actor_id in project.actors}
    for item in all_items(project):
        for actor_id in actors_of(item):
            found.setdefault(actor_id, []).append(item)
    return found


def sources_by_briefing(project: Project) -> dict[str, list[str]]:
    """Source id -> ids of the published briefings that cite it (directly or via a relay)."""
    found: dict[str, list[str]] = {source_id: [] for source_id in project.sources}
    for briefing_id in sorted(project.briefings):
        for source_id in sorted(named_in(project.briefings[briefing_id]).sources):
            if source_id in found:
                found[source_id].append(briefing_id)
    return found


def actor_sort_key(actor: Actor) -> tuple[str, str]:
    """Alphabetical by name, case-insensitive, then id."""
    return (actor.name.casefold(), actor.id)
