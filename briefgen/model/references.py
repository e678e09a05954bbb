"""What a briefing refers to: the actors, sources and events it names, and what those name.

The one definition behind every consumer that must agree on it: the publish ceiling (a security
boundary: the site keeps exactly what its released briefings refer to), the incremental build key
(a briefing's outputs depend on exactly the entries it refers to) and the unused-source warning
(a source is used when some briefing refers to it).

A briefing refers to

- a source through a citation (``source``, and ``via``, the source relayed) and through an inline
  ``[@id]`` in any string of the briefing;
- an actor through a field that holds an actor's id (an event's ``actors``, a decision's
  ``actor``, a statement's ``speaker``);
- an event of its own through ``reacts_to``;

and, closing over the registries, to every source a referred source ``cites`` (at any depth: an
endnote says "X, citing Y") and every organisation of a referred actor's roles (at any depth: a
title is printed with its organisation's name). Only ids that exist are returned; unknown ids are
validation's business.

The models are walked generically, field by field, so a citation or an id field added to a model
later is covered as long as its name is in :data:`REFERENCE_FIELDS` (a test checks that every id
field of the models is either there or an entry's own ``id``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, TypeVar

from pydantic import BaseModel

from briefgen.model.actors import Actor
from briefgen.model.briefings import Briefing
from briefgen.model.common import INLINE_CITATION
from briefgen.model.sources import Source

if TYPE_CHECKING:
    from briefgen.model import Project

ReferenceKind = Literal["actor", "source", "event"]

# Every field, in any content model, that holds the id of another entry (one id or a list).
REFERENCE_FIELDS: Mapping[str, ReferenceKind] = MappingProxyType(
    {
        "actor": "actor",  # Decision
        "actors": "actor",  # Event
        "speaker": "actor",  # Statement
        "organization": "actor",  # Role (of an actor)
        "source": "source",  # Citation
        "via": "source",  # Citation: the source the cited one relays
        "cites": "source",  # Source
        "reacts_to": "event",  # Decision, Statement
    }
)
# The field that holds an entry's own id: a definition, not a reference.
OWN_ID_FIELD = "id"

_Node = TypeVar("_Node", bound=Hashable)


@dataclass(frozen=True)
class References:
    """Ids of what one briefing refers to: actors and sources (closure included), its events."""

    actors: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    # Ids of the briefing's own events that something in it reacts to.
    events: frozenset[str] = frozenset()


def briefing_references(
    briefing: Briefing, actors: Mapping[str, Actor], sources: Mapping[str, Source]
) -> References:
    """Every actor, source and event ``briefing`` refers to, directly or through the registries.

    See the module's docstring for what counts; only ids present in ``actors``, ``sources`` or
    the briefing's events are returned.
    """
    named = _named(briefing, inline=True)
    reached = _closure(named, actors, sources)
    own_events = {event.id for event in briefing.events}
    return References(
        actors=frozenset(ref for kind, ref in reached if kind == "actor" and ref in actors),
        sources=frozenset(ref for kind, ref in reached if kind == "source" and ref in sources),
        events=frozenset(ref for kind, ref in named if kind == "event" and ref in own_events),
    )


def sources_referred_by(
    briefings: Iterable[Briefing], actors: Mapping[str, Actor], sources: Mapping[str, Source]
) -> frozenset[str]:
    """Every source some of ``briefings`` refers to: the union of their
    :func:`briefing_references` sources.

    What is reachable from a union of starting points is the union of what each reaches, so
    the registries are followed once for all of them rather than once per briefing.
    """
    named: set[tuple[ReferenceKind, str]] = set()
    for briefing in briefings:
        named.update(_named(briefing, inline=True))  # a set: briefings name the same ids
    reached = _closure(named, actors, sources)
    return frozenset(ref for kind, ref in reached if kind == "source" and ref in sources)


def _closure(
    named: Iterable[tuple[ReferenceKind, str]],
    actors: Mapping[str, Actor],
    sources: Mapping[str, Source],
) -> set[tuple[ReferenceKind, str]]:
    """The actors and sources ``named`` (events left aside), and all their entries name."""
    start = [(kind, ref) for kind, ref in named if kind != "event"]
    return _reachable(start, lambda node: _named_by_entry(node, actors, sources))


def scoped_to(project: Project, briefing_ids: Iterable[str]) -> Project:
    """``project`` cut down to ``briefing_ids`` and exactly what they refer to.

    The one cut behind the publish ceiling (the released briefings) and behind what a template
    rendering one briefing may see (that briefing alone): so an output depends on nothing
    outside its references, and the build key over those references is complete.
    """
    kept = {i: project.briefings[i] for i in sorted(briefing_ids)}
    found = [briefing_references(b, project.actors, project.sources) for b in kept.values()]
    actor_ids = frozenset[str]().union(*(r.actors for r in found))
    source_ids = frozenset[str]().union(*(r.sources for r in found))
    return replace(
        project,
        briefings=kept,
        actors={k: v for k, v in project.actors.items() if k in actor_ids},
        sources={k: v for k, v in project.sources.items() if k in source_ids},
        quote_status={k: v for k, v in project.quote_status.items() if k[0] in kept},
        versions={k: v for k, v in project.versions.items() if k in kept},
        approved_by={k: v for k, v in project.approved_by.items() if k in kept},
        editions={k: v for k, v in project.editions.items() if k in kept},
    )


def named_in(briefing: Briefing) -> References:
    """The ids the briefing itself writes, as written (known or not), before any closure."""
    named = _named(briefing, inline=True)
    return References(
        actors=frozenset(ref for kind, ref in named if kind == "actor"),
        sources=frozenset(ref for kind, ref in named if kind == "source"),
        events=frozenset(ref for kind, ref in named if kind == "event"),
    )


def cites_closure(source_ids: Iterable[str], sources: Mapping[str, Source]) -> set[str]:
    """``source_ids`` and every id reachable from them through ``cites``, at any depth.

    An id missing from ``sources`` is kept (it was reached) but leads nowhere.
    """
    return _reachable(source_ids, lambda s: sources[s].cites if s in sources else ())


def _named_by_entry(
    node: tuple[ReferenceKind, str], actors: Mapping[str, Actor], sources: Mapping[str, Source]
) -> list[tuple[ReferenceKind, str]]:
    """What a registry entry names in its own reference fields (a role's organisation, cites)."""
    kind, ref = node
    entry: BaseModel | None = actors.get(ref) if kind == "actor" else sources.get(ref)
    # Renderers print a registry entry's text as written: an [@id] there cites nothing.
    return [] if entry is None else _named(entry, inline=False)


def _named(model: BaseModel, *, inline: bool) -> list[tuple[ReferenceKind, str]]:
    """(kind, id) of every reference written in ``model``, nested models included.

    Every value nested in the model is visited (models, list items, mapping values, plain
    values); with ``inline``, every text is searched for ``[@id]``. A stack rather than
    recursion: a briefing holds thousands of values, and this runs for each one.
    """
    found: list[tuple[ReferenceKind, str]] = []
    stack: list[object] = [model]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if inline and "[@" in value:
                found.extend(("source", ref) for ref in INLINE_CITATION.findall(value))
        elif isinstance(value, BaseModel):
            for name, kind in _fields(type(value)):
                held = getattr(value, name)
                if kind is not None:
                    found.extend((kind, ref) for ref in _ids(held))
                stack.append(held)
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
        elif isinstance(value, Mapping):
            stack.extend(value.values())
    return found


@cache
def _fields(model: type[BaseModel]) -> tuple[tuple[str, ReferenceKind | None], ...]:
    """Each field of a model class, with the kind of id it holds (None: not a reference)."""
    return tuple((name, REFERENCE_FIELDS.get(name)) for name in model.model_fields)


def _ids(value: object) -> Iterator[str]:
    """The ids held by a reference field: one id, a list of them, or nothing."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        yield from (item for item in value if isinstance(item, str))


def _reachable(start: Iterable[_Node], edges: Callable[[_Node], Iterable[_Node]]) -> set[_Node]:
    """Every node reachable from ``start`` (included) by following ``edges``; cycles end."""
    seen: set[_Node] = set()
    stack = list(start)
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(edges(node))
    return seen
