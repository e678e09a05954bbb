"""Cross-checks within content/actors.yaml and content/sources.yaml."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from briefgen.diagnostics import Report
from briefgen.load import LoadedFile
from briefgen.model import Actor, Source
from briefgen.validate.context import Entry, Registry
from briefgen.validate.hints import did_you_mean

# An actor or a source: the registry entries, each with an id.
EntryT = TypeVar("EntryT", Actor, Source)


def _index_unique(entries: Sequence[Entry[EntryT]], key: str, report: Report) -> dict[str, int]:
    """The file index of the first entry of each id, reporting the ids used again."""
    index: dict[str, int] = {}
    for entry in entries:
        if not entry.valid("id"):
            continue  # a malformed id is reported as such; it is no one's duplicate
        entry_id = entry.model.id
        if entry_id in index:
            first = entry.file.locate((key, index[entry_id], "id")).line
            report.error(
                entry.at("id"),
                f"duplicate {key[:-1]} id '{entry_id}'",
                f"first used on line {first}",
            )
            continue
        index[entry_id] = entry.index
    return index


def _valid_by_id(entries: Sequence[Entry[EntryT]], index: dict[str, int]) -> dict[str, EntryT]:
    """The entries that passed the schema whole, by id, the first of each id only."""
    return {
        e.model.id: e.model for e in entries if not e.invalid and index.get(e.model.id) == e.index
    }


def build_registry(
    actors_file: LoadedFile | None,
    actors: Sequence[Entry[Actor]],
    sources_file: LoadedFile | None,
    sources: Sequence[Entry[Source]],
    report: Report,
) -> Registry:
    """Index actors and sources by id, reporting duplicates."""
    registry = Registry(actors_file=actors_file, sources_file=sources_file)
    registry.actor_entries = list(actors)
    registry.source_entries = list(sources)
    if actors_file is not None:
        registry.actor_index = _index_unique(actors, "actors", report)
        registry.actors = _valid_by_id(actors, registry.actor_index)
    if sources_file is not None:
        registry.source_index = _index_unique(sources, "sources", report)
        registry.sources = _valid_by_id(sources, registry.source_index)
    return registry


def check_actors(registry: Registry, report: Report) -> None:
    """Roles name known organisations and end after they begin; other names have a language.

    Every actor that could be read is checked, also one with schema errors: only the values
    that failed are skipped (see Entry.valid).
    """
    for entry in registry.actor_entries:
        for number, role in enumerate(entry.model.roles):
            where = ("roles", number)
            if (
                role.organization
                and entry.valid(*where, "organization")
                and role.organization not in registry.actor_ids
            ):
                report.error(
                    entry.at(*where, "organization"),
                    f"unknown actor '{role.organization}'",
                    did_you_mean(role.organization, registry.actor_ids),
                )
            dated = entry.valid(*where, "from") and entry.valid(*where, "to")
            if dated and role.from_ and role.to and role.to.certainly_before(role.from_):
                report.error(
                    entry.at(*where, "to"),
                    f"role '{role.title}' ends ({role.to}) before it begins ({role.from_})",
                )


def check_sources(registry: Registry, report: Report) -> None:
    """URL or citation-only, access after publication, and citing chains that resolve.

    Every source that could be read is checked, also one with schema errors: only the values
    that failed are skipped (see Entry.valid).
    """
    for entry in registry.source_entries:
        _check_source(entry, registry, report)
    _check_cycles(registry, report)


def _check_source(entry: Entry[Source], registry: Registry, report: Report) -> None:
    source, valid = entry.model, entry.valid
    name = f"source '{source.id}'" if valid("id") else "this source"
    if valid("url") and valid("citation_only"):
        if source.url is None and not source.citation_only:
            report.error(
                entry.at("id"),
                f"{name} has no url",
                "give its url, or set citation_only: true when it has none, "
                "as for a radio broadcast",
            )
        if source.url is not None and source.citation_only:
            report.error(
                entry.at("citation_only"),
                "a source with a url is not citation-only",
                "remove citation_only, or the url if the source cannot be reached online",
            )
    if (
        valid("accessed")
        and valid("published")
        and source.accessed
        and source.accessed.certainly_before(source.published)
    ):
        report.error(
            entry.at("accessed"),
            f"accessed {source.accessed}, before it was published ({source.published})",
        )
    for number, cited in enumerate(source.cites):
        if not valid("cites", number):
            continue
        if cited == source.id and valid("id"):
            report.error(entry.at("cites", number), "a source cannot cite itself")
        elif cited not in registry.source_ids:
            report.error(
                entry.at("cites", number),
                f"unknown source '{cited}'",
                did_you_mean(cited, registry.source_ids),
            )


def _check_cycles(registry: Registry, report: Report) -> None:
    """Citing chains must end: A cites B cites A would make independence counts meaningless.

    The chains of every source that could be read are followed, also of one with schema
    errors elsewhere (a list item of 'cites' that failed is left out of its chain).
    """
    graph: dict[str, tuple[str, ...]] = {}
    for entry in registry.source_entries:
        source = entry.model
        if entry.valid("id") and registry.source_index.get(source.id) == entry.index:
            graph[source.id] = tuple(source.cites)
    done: set[str] = set()
    for start in sorted(graph):
        if start in done:
            continue
        path: list[str] = []
        _walk(start, path, set(), done, graph, registry, report)


def _walk(
    node: str,
    path: list[str],
    on_path: set[str],
    done: set[str],
    graph: Mapping[str, tuple[str, ...]],
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
    if node in done or node not in graph:
        return
    path.append(node)
    on_path.add(node)
    for cited in graph[node]:
        if cited != node:  # citing itself is reported on its own, in check_sources
            _walk(cited, path, on_path, done, graph, registry, report)
    on_path.discard(node)
    path.pop()
    done.add(node)
