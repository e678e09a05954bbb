"""The publish ceiling: cut a project down to what the public site may hold.

The site stage only ever sees the Project returned by :func:`apply_ceiling`. Briefings marked
above the ceiling are removed, and so are the actors and sources that only those briefings
mention, so nothing of a withheld briefing can reach a page, a feed entry or a file name: it is
simply not in the input.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from pydantic import BaseModel

from briefgen.model import Briefing, Citation, Project, Tlp
from briefgen.model.common import INLINE_CITATION


@dataclass(frozen=True)
class Withheld:
    """A briefing left out of the site, and why."""

    briefing_id: str
    marking: Tlp
    ceiling: Tlp

    @property
    def reason(self) -> str:
        """'marked TLP:AMBER, above the publish ceiling TLP:CLEAR'."""
        return f"marked {self.marking.value}, above the publish ceiling {self.ceiling.value}"


@dataclass(frozen=True)
class CeilingResult:
    """The releasable part of a project and the briefings withheld from it."""

    project: Project
    withheld: tuple[Withheld, ...]


def releasable(marking: Tlp, ceiling: Tlp) -> bool:
    """True when a briefing marked ``marking`` may appear on a site capped at ``ceiling``."""
    return marking.rank <= ceiling.rank


def apply_ceiling(project: Project, ceiling: Tlp | None = None) -> CeilingResult:
    """The project restricted to briefings at or below ``ceiling`` (default: the project's).

    Actors and sources survive only when a released briefing refers to them (directly, through
    a source's ``cites`` chain, or as the organisation of a kept actor's role).
    """
    limit = ceiling or project.settings.publish_ceiling
    kept: dict[str, Briefing] = {}
    withheld: list[Withheld] = []
    for briefing_id in sorted(project.briefings):
        briefing = project.briefings[briefing_id]
        if releasable(briefing.marking, limit):
            kept[briefing_id] = briefing
        else:
            withheld.append(Withheld(briefing_id, briefing.marking, limit))
    actor_ids = _actor_closure(project, _actors_referenced(kept.values()))
    source_ids = _source_closure(project, _sources_referenced(kept.values()))
    filtered = replace(
        project,
        briefings=kept,
        actors={k: v for k, v in project.actors.items() if k in actor_ids},
        sources={k: v for k, v in project.sources.items() if k in source_ids},
        quote_status={k: v for k, v in project.quote_status.items() if k[0] in kept},
    )
    return CeilingResult(filtered, tuple(withheld))


def _actors_referenced(briefings: Iterable[Briefing]) -> set[str]:
    found: set[str] = set()
    for briefing in briefings:
        for event in briefing.events:
            found.update(event.actors)
        found.update(decision.actor for decision in briefing.decisions)
        found.update(s.speaker for s in briefing.statements if s.speaker)
    return found


def _actor_closure(project: Project, start: set[str]) -> set[str]:
    # A kept actor's role prints its organisation's name, so that organisation stays too.
    seen: set[str] = set()
    stack = sorted(start)
    while stack:
        actor_id = stack.pop()
        if actor_id in seen or actor_id not in project.actors:
            continue
        seen.add(actor_id)
        stack.extend(r.organization for r in project.actors[actor_id].roles if r.organization)
    return seen


def briefing_source_ids(briefing: Briefing) -> set[str]:
    """Ids of the sources one briefing cites: citations, their ``via`` and inline [@id]s."""
    # Walk every field generically, so a field added to the model later is still covered.
    found: set[str] = set()
    for value in _walk(briefing):
        if isinstance(value, Citation):
            found.add(value.source)
            if value.via:
                found.add(value.via)
        elif isinstance(value, str):
            found.update(INLINE_CITATION.findall(value))
    return found


def _sources_referenced(briefings: Iterable[Briefing]) -> set[str]:
    return set().union(*(briefing_source_ids(b) for b in briefings))


def _source_closure(project: Project, start: set[str]) -> set[str]:
    # Endnotes say "X, citing Y": the relayed sources of a kept source stay too.
    seen: set[str] = set()
    stack = sorted(start)
    while stack:
        source_id = stack.pop()
        if source_id in seen or source_id not in project.sources:
            continue
        seen.add(source_id)
        stack.extend(project.sources[source_id].cites)
    return seen


def _walk(value: object) -> Iterator[object]:
    """Every value nested in a model: the models themselves, list items and plain values."""
    yield value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _walk(item)
