"""What cross-checks need: parsed models together with the files they came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from briefgen.diagnostics import Location
from briefgen.load import LoadedFile, YamlPath
from briefgen.model import Actor, Briefing, ProjectSettings, Source
from briefgen.model.common import is_valid_id, suggest_id

ModelT = TypeVar("ModelT", bound=BaseModel)


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
    """Every id written in a registry file (or a briefing's list), valid entry or not.

    Checking references against these (not only against entries that passed the schema)
    keeps one bad actor from causing a cascade of 'unknown actor' errors elsewhere.
    """
    if loaded is None or not isinstance(loaded.data, dict):
        return set()
    entries: Any = loaded.data.get(key)
    if not isinstance(entries, list):
        return set()
    written = {e["id"] for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)}
    # A malformed id ('Mahmoud Abbas') is reported at the entry; the references to the id it
    # most likely meant ('mahmoud-abbas') are not reported again as unknown.
    meant = {suggest_id(i) for i in written if not is_valid_id(i)}
    return written | {i for i in meant if i is not None}


def file_path(kept: Mapping[YamlPath, tuple[int, ...]], path: tuple[str | int, ...]) -> YamlPath:
    """Where ``path`` of a salvaged model is in its data: list items left out shift indices."""
    if not kept:
        return path  # nothing was left out (the common case): the model's path is the file's
    mapped: list[str | int] = []
    for part in path:
        indices = kept.get(tuple(mapped))
        if isinstance(part, int) and indices is not None and 0 <= part < len(indices):
            part = indices[part]
        mapped.append(part)
    return tuple(mapped)


def overlaps(path: YamlPath, invalid: frozenset[YamlPath]) -> bool:
    """True when a path in ``invalid`` is ``path``, lies inside it, or holds it."""
    return any(p[: len(path)] == path or path[: len(p)] == p for p in invalid)


@dataclass(frozen=True)
class Entry(Generic[ModelT]):
    """One entry of a registry file (an actor, a source) and where it was written.

    After schema errors the model is salvaged (see :mod:`briefgen.validate.salvage`): a field
    that failed holds a stand-in, so a check asks :meth:`valid` before it reads one.
    """

    model: ModelT
    file: LoadedFile
    path: YamlPath
    # Paths (inside the entry, as in the file) that failed the schema; see salvage.Salvaged.
    invalid: frozenset[YamlPath] = frozenset()
    kept: Mapping[YamlPath, tuple[int, ...]] = field(default_factory=dict)

    @property
    def index(self) -> int:
        """The entry's position in its file's list."""
        return int(self.path[-1])

    def at(self, *path: str | int, key: bool = False) -> Location:
        """Where the value at ``path`` of the entry was written."""
        return self.file.locate((*self.path, *file_path(self.kept, path)), key=key)

    def valid(self, *path: str | int) -> bool:
        """True when the value at ``path`` (the entry itself if none) was read as written."""
        if not self.invalid:
            return True
        return not overlaps(file_path(self.kept, path), self.invalid)


@dataclass
class Registry:
    """Actors and sources by id, with the index of each in its file for locating errors."""

    actors_file: LoadedFile | None
    sources_file: LoadedFile | None
    actors: dict[str, Actor] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    actor_index: dict[str, int] = field(default_factory=dict)
    source_index: dict[str, int] = field(default_factory=dict)
    # Every entry that could be read, valid or salvaged (``actors`` and ``sources`` hold only
    # the valid ones: what other entries refer to and follow).
    actor_entries: list[Entry[Actor]] = field(default_factory=list)
    source_entries: list[Entry[Source]] = field(default_factory=list)
    actor_ids: set[str] = field(default_factory=set)
    source_ids: set[str] = field(default_factory=set)
    actors_readable: bool = True
    sources_readable: bool = True

    def sources_as_read(self) -> dict[str, Source]:
        """Every source with a valid id by id (the first of each), also one with schema errors
        in other fields: what decides which sources are used, through their citing chains."""
        return {
            entry.model.id: entry.model
            for entry in self.source_entries
            if entry.valid("id") and self.source_index.get(entry.model.id) == entry.index
        }

    def chains_known(self) -> bool:
        """True when every source was read with its id and 'cites' as written, so that every
        citing chain can be followed (see :meth:`sources_as_read`)."""
        assert self.sources_file is not None
        written: Any = self.sources_file.data.get("sources")
        return (
            isinstance(written, list)
            and len(self.source_entries) == len(written)
            and all(e.valid("id") and e.valid("cites") for e in self.source_entries)
        )

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
    # After schema errors (see briefgen.validate.salvage): the paths, as in the file, that
    # failed and hold a stand-in or were left out, and for each list that lost items the
    # original index of every item kept (so locations still point at the file).
    invalid: frozenset[YamlPath] = frozenset()
    kept: Mapping[YamlPath, tuple[int, ...]] = field(default_factory=dict)
    # Every event id written in the file, valid or not (declared_ids, read once at parsing:
    # the file's data may be released after).
    declared_events: frozenset[str] = frozenset()

    def at(self, *path: str | int, key: bool = False) -> Location:
        """Where the value at ``path`` in the briefing file was written."""
        return self.file.locate(file_path(self.kept, path), key=key)

    def written(self, *path: str | int) -> bool:
        """True when the briefing file has a value at ``path`` (not just a parent of it)."""
        return self.file.written(file_path(self.kept, path))

    def valid(self, *path: str | int) -> bool:
        """True when the value at ``path`` was read as written: nothing at, in or above it
        failed the schema. A check skips what is not valid, so that a stand-in, or a value
        left out, is never reported again as a problem of its own."""
        if not self.invalid:
            return True  # asked hundreds of times per briefing; most briefings have no errors
        return not overlaps(file_path(self.kept, path), self.invalid)
