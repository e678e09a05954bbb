"""Source standing: which facts rest on a retracted, corrected or disputed source, and how.

A fact *rests on* a source when one of its citations does (:func:`chains.dependencies`): the
cited source, its origin (``via``) and the sources between them, and every source the origin
relays. A retracted source on a citation's chain withdraws that citation
(:func:`chains.withdrawn`); a fact whose every citation is withdrawn has no origin left and is
*stranded*. Validation, the renderers and ``briefgen impact`` all ask this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from briefgen.model import Citation, Source
from briefgen.model.sources import Standing
from briefgen.provenance.chains import citation_chain, dependencies, withdrawn


@dataclass(frozen=True)
class Reliance:
    """How a fact rests on one source: the path to it through each citation that leads there.

    Each path runs from the cited source to ``source_id`` through ``cites``; a path of one
    source means the fact cites it directly.
    """

    source_id: str
    paths: tuple[tuple[str, ...], ...]
    # On the chain of a citation (cited source to origin), not only relayed by an origin.
    chained: bool = True

    @property
    def direct(self) -> bool:
        """True when the fact cites the source itself."""
        return any(len(path) == 1 for path in self.paths)

    @property
    def kind(self) -> str:
        """'direct' (cited), 'chain' (on a citation's chain to its origin), or 'relayed' (only
        relayed by a cited origin, which may be repeating it)."""
        return "direct" if self.direct else "chain" if self.chained else "relayed"

    def how(self) -> str:
        """'directly', or 'through inn → jpost → vop' (the shortest of the paths)."""
        if self.direct:
            return "directly"
        shortest: tuple[str, ...] = min(self.paths, key=len)
        return "through " + " → ".join(shortest)


def reliances(citations: Iterable[Citation], sources: Mapping[str, Source]) -> list[Reliance]:
    """Every source the citations rest on, in the order first reached."""
    paths: dict[str, list[tuple[str, ...]]] = {}
    chained: set[str] = set()
    for citation in citations:
        chained.update(citation_chain(citation, sources))
        for source_id, path in dependencies(citation, sources).items():
            if path not in paths.setdefault(source_id, []):
                paths[source_id].append(path)
    return [Reliance(s, tuple(p), s in chained) for s, p in paths.items()]


def reliance_on(
    source_id: str, citations: Iterable[Citation], sources: Mapping[str, Source]
) -> Reliance | None:
    """How the citations rest on ``source_id``; None when they do not."""
    return next((r for r in reliances(citations, sources) if r.source_id == source_id), None)


@dataclass(frozen=True)
class Affected:
    """A source with a ``standing`` that a fact rests on, and how it rests on it."""

    source: Source
    standing: Standing
    reliance: Reliance


@dataclass(frozen=True)
class FactStanding:
    """The standing sources a fact rests on; ``stranded`` when no citation is left standing."""

    affected: tuple[Affected, ...]
    stranded: bool


def fact_standing(citations: Iterable[Citation], sources: Mapping[str, Source]) -> FactStanding:
    """Which retracted, corrected or disputed sources the citations rest on."""
    cited = list(citations)
    affected = tuple(
        Affected(sources[r.source_id], standing, r)
        for r in reliances(cited, sources)
        if r.source_id in sources and (standing := sources[r.source_id].standing) is not None
    )
    stranded = bool(cited) and all(withdrawn(c, sources) for c in cited)
    return FactStanding(affected, stranded)
