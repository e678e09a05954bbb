"""What cross-checks need: parsed models together with the files they came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from briefgen.diagnostics import Location
from briefgen.load import LoadedFile, YamlPath
from briefgen.model import Actor, Briefing, ProjectSettings, Source


def registry_readable(loaded: LoadedFile | None, key: str) -> bool:
    """True when a registry file holds a list under ``key``, so its ids are known.

    When it does not (unreadable, empty, the wrong shape), that problem is reported once, and
    references to its entries are not checked: otherwise every reference in every briefing
    would also be reported as unknown.
    """
    return (
        loaded is not None
        and isinstance(loaded.data, dict)
        and isinstance(loaded.data.get(key), list)
    )


def declared_ids(loaded: LoadedFile | None, key: str) -> set[str]:
    """Every id written in a registry file, valid entry or not.

    Checking references against these (not only against entries that passed the schema)
    keeps one bad actor from causing a cascade of 'unknown actor' errors elsewhere.
    """
    if loaded is None or not isinstance(loaded.data, dict):
        return set()
    entries: Any = loaded.data.get(key)
    if not isinstance(entries, list):
        return set()
    return {e["id"] for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)}


@dataclass
class Registry:
    """Actors and sources by id, with the index of each in its file for locating errors."""

    actors_file: LoadedFile | None
    sources_file: LoadedFile | None
    actors: dict[str, Actor] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    actor_index: dict[str, int] = field(default_factory=dict)
    source_index: dict[str, int] = field(default_factory=dict)
    actor_ids: set[str] = field(default_factory=set)
    source_ids: set[str] = field(default_factory=set)
    actors_readable: bool = True
    sources_readable: bool = True

    def unknown_actor(self, actor_id: str) -> bool:
        """True when ``actor_id`` is certainly not declared in content/actors.yaml."""
        return self.actors_readable and actor_id not in self.actor_ids

    def unknown_source(self, source_id: str) -> bool:
        """True when ``source_id`` is certainly not declared in content/sources.yaml."""
        return self.sources_readable and source_id not in self.source_ids

    def actor_location(self, actor_id: str, *path: str | int, key: bool = False) -> Location:
        """Where something of an actor was written."""
        assert self.actors_file is not None
        return self.actors_file.locate(("actors", self.actor_index[actor_id], *path), key=key)

    def source_location(self, source_id: str, *path: str | int, key: bool = False) -> Location:
        """Where something of a source was written."""
        assert self.sources_file is not None
        return self.sources_file.locate(("sources", self.source_index[source_id], *path), key=key)


@dataclass
class BriefingContext:
    """One parsed briefing, its file and id, and the project around it."""

    briefing_id: str
    briefing: Briefing
    file: LoadedFile
    registry: Registry
    settings: ProjectSettings | None
    # After schema errors: top-level keys given placeholder values, and for each list the
    # original index of every entry that survived (so locations still point at the file).
    replaced: set[str] = field(default_factory=set)
    kept: dict[str, list[int]] = field(default_factory=dict)

    def _in_file(self, path: tuple[str | int, ...]) -> YamlPath:
        loc: YamlPath = tuple(path)
        if len(loc) >= 2 and isinstance(loc[1], int) and str(loc[0]) in self.kept:
            loc = (loc[0], self.kept[str(loc[0])][loc[1]], *loc[2:])
        return loc

    def at(self, *path: str | int, key: bool = False) -> Location:
        """Where the value at ``path`` in the briefing file was written."""
        return self.file.locate(self._in_file(path), key=key)

    def written(self, *path: str | int) -> bool:
        """True when the briefing file has a value at ``path`` (not just a parent of it)."""
        return self._in_file(path) in self.file.value_positions
