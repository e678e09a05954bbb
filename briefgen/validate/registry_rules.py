"""Cross-checks within content/actors.yaml and content/sources.yaml."""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.diagnostics import Report
from briefgen.load import LoadedFile
from briefgen.model import Actor, Source
from briefgen.validate.context import Registry
from briefgen.validate.hints import did_you_mean


def _index_unique(
    entries: Sequence[tuple[int, Actor | Source]], file: LoadedFile, key: str, report: Report
) -> dict[str, int]:
    index: dict[str, int] = {}
    for position, entry in entries:
        if entry.id in index:
            first = file.locate((key, index[entry.id], "id")).line
            report.error(
                file.locate((key, position, "id")),
                f"duplicate {key[:-1]} id '{entry.id}'",
                f"first used on line {first}",
            )
            continue
        index[entry.id] = position
    return index


def build_registry(
    actors_file: LoadedFile | None,
    actors: Sequence[tuple[int, Actor]],
    sources_file: LoadedFile | None,
    sources: Sequence[tuple[int, Source]],
    report: Report,
) -> Registry:
    """Index actors and sources by id, reporting duplicates."""
    registry = Registry(actors_file=actors_file, sources_file=sources_file)
    if actors_file is not None:
        registry.actor_index = _index_unique(actors, actors_file, "actors", report)
        registry.actors = {a.id: a for i, a in actors if registry.actor_index.get(a.id) == i}
    if sources_file is not None:
        registry.source_index = _index_unique(sources, sources_file, "sources", report)
        registry.sources = {s.id: s for i, s in sources if registry.source_index.get(s.id) == i}
    return registry


def check_actors(registry: Registry, report: Report) -> None:
    """Roles name known organisations and end after they begin; other names have a language."""
    for actor in registry.actors.values():
        for number, role in enumerate(actor.roles):
            if role.organization and role.organization not in registry.actor_ids:
                report.error(
                    registry.actor_location(actor.id, "roles", number, "organization"),
                    f"unknown actor '{role.organization}'",
                    did_you_mean(role.organization, registry.actor_ids),
                )
            if role.from_ and role.to and role.to.certainly_before(role.from_):
                report.error(
                    registry.actor_location(actor.id, "roles", number, "to"),
                    f"role '{role.title}' ends ({role.to}) before it begins ({role.from_})",
                )


def check_sources(registry: Registry, report: Report) -> None:
    """URL or citation-only, access after publication, and citing chains that resolve."""
    for source in registry.sources.values():
        where = registry.source_location
        if source.url is None and not source.citation_only:
            report.error(
                where(source.id, "id"),
                f"source '{source.id}' has no url",
                "give its url, or set citation_only: true when it has none, "
                "as for a radio broadcast",
            )
        if source.url is not None and source.citation_only:
            report.error(
                where(source.id, "citation_only"),
                "a source with a url is not citation-only",
                "remove citation_only, or the url if the source cannot be reached online",
            )
        if source.accessed and source.accessed.certainly_before(source.published):
            report.error(
                where(source.id, "accessed"),
                f"accessed {source.accessed}, before it was published ({source.published})",
            )
        for number, cited in enumerate(source.cites):
            if cited == source.id:
                report.error(where(source.id, "cites", number), "a source cannot cite itself")
            elif cited not in registry.source_ids:
                report.error(
                    where(source.id, "cites", number),
                    f"unknown source '{cited}'",
                    did_you_mean(cited, registry.source_ids),
                )
    _check_cycles(registry, report)


def _check_cycles(registry: Registry, report: Report) -> None:
    """Citing chains must end: A cites B cites A would make independence counts meaningless."""
    done: set[str] = set()
    for start in sorted(registry.sources):
        if start in done:
            continue
        path: list[str] = []
        _walk(start, path, set(), done, registry, report)


def _walk(
    node: str,
    path: list[str],
    on_path: set[str],
    done: set[str],
    registry: Registry,
    report: Report,
) -> None:
    if node in on_path:
        cycle = [*path[path.index(node) :], node]
        report.error(
            registry.source_location(node, "cites"),
            "citing chain goes round in a circle: " + " → ".join(cycle),
            "a source can only relay sources that do not, in turn, relay it",
        )
        return
    if node in done or node not in registry.sources:
        return
    path.append(node)
    on_path.add(node)
    for cited in registry.sources[node].cites:
        if cited != node:  # citing itself is reported on its own, in check_sources
            _walk(cited, path, on_path, done, registry, report)
    on_path.discard(node)
    path.pop()
    done.add(node)
