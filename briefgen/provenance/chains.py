"""Citing chains: which source a fact really comes from, and how many independent origins."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping

from briefgen.model import Citation, Source
from briefgen.model.references import cites_closure


def relayed_by(source_id: str, sources: Mapping[str, Source]) -> set[str]:
    """Every source reachable from ``source_id`` through ``cites`` (not including itself)."""
    start = sources[source_id].cites if source_id in sources else []
    return cites_closure(start, sources) - {source_id}


def origin(citation: Citation) -> str:
    """The source a cited fact comes from: the relayed source (``via``) if given, else the cited."""
    return citation.via or citation.source


def origins(citations: Iterable[Citation]) -> set[str]:
    """Distinct origins (``via`` or cited source) of a fact's citations, before grouping."""
    return {origin(c) for c in citations}


def independent_groups(
    citations: Iterable[Citation], sources: Mapping[str, Source]
) -> list[tuple[str, ...]]:
    """The fact's origins grouped so that origins in different groups are independent.

    Two origins are dependent when one relays the other through ``cites`` (at any depth) or
    both relay a common source: A citing B may be repeating B, so they cannot corroborate each
    other. The number of groups is the fact's number of independent sources; it never counts
    more than the chains allow. Each group is sorted; groups come in the order first cited.

    A citation with a retracted source on its chain (:func:`withdrawn`) is not counted: a
    retracted source is no origin, and neither is one known only through a retracted relay.
    """
    found = list(dict.fromkeys(origin(c) for c in citations if not withdrawn(c, sources)))
    reach = {o: relayed_by(o, sources) | {o} for o in found}
    parent = {o: o for o in found}

    def top(node: str) -> str:
        while parent[node] != node:
            node = parent[node]
        return node

    for i, first in enumerate(found):
        for second in found[i + 1 :]:
            if reach[first] & reach[second]:
                parent[top(second)] = top(first)
    groups: dict[str, list[str]] = {}
    for o in found:
        groups.setdefault(top(o), []).append(o)
    return [tuple(sorted(members)) for members in groups.values()]


def _nearest(candidates: set[str], sources: Mapping[str, Source]) -> set[str]:
    """The candidates no other candidate relays: the closest to the origins they link.

    In a citing cycle (reported by validation) every candidate relays another: all are kept.
    """
    nearest = {c for c in candidates if not any(c in relayed_by(o, sources) for o in candidates)}
    return nearest or candidates


def common_origins(group: Iterable[str], sources: Mapping[str, Source]) -> tuple[str, ...]:
    """The sources through which the origins of one group are linked, sorted.

    When every member is or relays some source, the nearest such sources: for 'report' citing
    'radio', ('radio',); for 'inn' and 'jpost' both citing 'vop', ('vop',). When the members are
    linked only pairwise (A and B through X, B and C through Y), the nearest source of each
    linked pair. Empty for a group of one.
    """
    members = list(dict.fromkeys(group))
    if len(members) < 2:
        return ()
    reach = {m: relayed_by(m, sources) | {m} for m in members}
    shared = set.intersection(*reach.values())
    if shared:
        return tuple(sorted(_nearest(shared, sources)))
    linking: set[str] = set()
    for i, first in enumerate(members):
        for second in members[i + 1 :]:
            linking |= _nearest(reach[first] & reach[second], sources)
    return tuple(sorted(linking))


def group_label(group: tuple[str, ...], sources: Mapping[str, Source]) -> str:
    """A group of linked origins as printed, saying what links them.

    'vop' for one origin; 'vop, also relayed by inn' when one cited source relays another;
    'inn and jpost, both relaying vop' when they relay a source the fact does not cite.
    """
    if len(group) < 2:
        return "".join(group)
    through = common_origins(group, sources)
    others = [m for m in group if m not in through]
    if all(t in group for t in through):
        return f"{_join(list(through))}, also relayed by {_join(others)}"
    if len(through) > 1:
        return f"{_join(list(group))}, linked through {_join(list(through))}"
    both = "both" if len(group) == 2 else "all"
    return f"{_join(list(group))}, {both} relaying {through[0]}"


def citation_chain(citation: Citation, sources: Mapping[str, Source]) -> tuple[str, ...]:
    """The sources from the cited one to the fact's origin: ('inn', 'jpost', 'vop').

    With ``via``, the shortest path through ``cites`` from the cited source to it (the sources
    in between relay it too); without, just the cited source, which is then the origin.
    """
    return _shortest_path(citation.source, origin(citation), sources)


def _shortest_path(start: str, target: str, sources: Mapping[str, Source]) -> tuple[str, ...]:
    """The sources from ``start`` to ``target`` following ``cites``, both ends included."""
    if target == start:
        return (start,)
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if current == target:
            path = [current]
            while path[-1] != start:
                path.append(previous[path[-1]])
            return tuple(reversed(path))
        for cited in sources[current].cites if current in sources else []:
            if cited not in previous and cited != start:
                previous[cited] = current
                queue.append(cited)
    return (start, target)  # not reachable (an unknown via): reported by validation


def dependencies(citation: Citation, sources: Mapping[str, Source]) -> dict[str, tuple[str, ...]]:
    """Every source a citation rests on, each with the path to it from the cited source.

    A citation rests on the sources of its chain (:func:`citation_chain`: the cited source,
    the origin and the sources between), and on every source its origin relays, since the
    origin may be repeating any of them (as :func:`independent_groups` assumes). The path of
    the cited source itself is ``(source,)``: the fact depends on it directly.
    """
    chain = citation_chain(citation, sources)
    found = {member: chain[: i + 1] for i, member in enumerate(chain)}
    for relayed in sorted(relayed_by(chain[-1], sources) - set(chain)):
        found[relayed] = chain + _shortest_path(chain[-1], relayed, sources)[1:]
    return found


def withdrawn(citation: Citation, sources: Mapping[str, Source]) -> bool:
    """True when a source on the citation's chain has been retracted (``standing``).

    The fact then no longer reaches its origin: the origin itself is withdrawn, or the only
    report of it the fact cites is. Sources the origin merely relays do not withdraw it.
    """
    return any(retracted(s, sources) for s in citation_chain(citation, sources))


def retracted(source_id: str, sources: Mapping[str, Source]) -> bool:
    """True when the source's ``standing`` says it was retracted."""
    standing = sources[source_id].standing if source_id in sources else None
    return standing is not None and standing.status == "retracted"


def chain_label(source: Source, sources: Mapping[str, Source]) -> str:
    """'The Jerusalem Post, citing Voice of Palestine' for endnotes and reports."""
    cited = [sources[c].publisher for c in source.cites if c in sources]
    if not cited:
        return source.publisher
    return f"{source.publisher}, citing {_join(cited)}"


def _join(names: list[str]) -> str:
    unique = list(dict.fromkeys(names))
    if len(unique) <= 2:
        return " and ".join(unique)
    return ", ".join(unique[:-1]) + " and " + unique[-1]
