"""Name a state of a briefing: an issued version, a git revision, or the working tree."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefgen.errors import UsageError
from briefgen.history.versions import (
    MAX_COMMITS,
    blob_at,
    briefing_path,
    parse_blob,
)
from briefgen.model.briefings import Briefing
from briefgen.model.versions import IssuedVersion

if TYPE_CHECKING:
    from dulwich.objects import Commit, ObjectID
    from dulwich.repo import Repo

WORKING = "working"
_HEX = re.compile(r"[0-9a-f]{4,40}")


@dataclass(frozen=True)
class State:
    """A briefing as it stood somewhere: its version, where (commit or working tree)."""

    name: str
    commit: str | None
    briefing: Briefing

    def describe(self) -> str:
        """'version 1.0 (commit 1a2b3c4d5e6f)' or 'the working tree (version 1.1)'."""
        if self.commit is None:
            return f"the working tree (version {self.briefing.version})"
        return f"version {self.briefing.version} (commit {self.commit[:12]})"


def from_version(version: IssuedVersion) -> State:
    """The state of an issued version."""
    return State(version.version, version.commit, version.briefing)


def previous_issued(versions: Sequence[IssuedVersion], current: str) -> IssuedVersion | None:
    """The newest issued version whose ``version`` is not ``current`` (the one being read)."""
    for version in reversed(versions):
        if version.version != current:
            return version
    return None


def _ref_commit(repo: Repo, name: str) -> ObjectID | None:
    from dulwich.refs import Ref

    for ref in (name, f"refs/tags/{name}", f"refs/heads/{name}"):
        try:
            return repo.refs[Ref(ref.encode())]
        except (KeyError, ValueError):
            continue
    return None


def _prefix_commit(repo: Repo, prefix: str) -> ObjectID | None:
    """The commit whose id starts with ``prefix``, among those reachable from HEAD."""
    found = [
        entry.commit.id
        for entry in repo.get_walker(include=[repo.head()], max_entries=MAX_COMMITS)
        if entry.commit.id.decode().startswith(prefix)
    ]
    if len(found) > 1:
        raise UsageError(f"revision '{prefix}' is ambiguous", "give more digits of the commit")
    return found[0] if found else None


def _commit(repo: Repo, rev: str) -> Commit | None:
    from dulwich.objects import Commit, Tag

    sha = _ref_commit(repo, rev)
    if sha is None and _HEX.fullmatch(rev):
        sha = _prefix_commit(repo, rev)
    obj = repo.object_store[sha] if sha is not None and sha in repo.object_store else None
    while isinstance(obj, Tag):
        obj = repo.object_store[obj.object[1]]
    return obj if isinstance(obj, Commit) else None


def resolve(repo: Repo | None, versions: list[IssuedVersion], briefing_id: str, name: str) -> State:
    """The state ``name`` names: an issued version first, else a git revision.

    Raises UsageError (exit 2) naming the versions there are when nothing matches.
    """
    for version in versions:
        if version.version == name:
            return from_version(version)
    commit = _commit(repo, name) if repo is not None else None
    if commit is None:
        known = ", ".join(v.version for v in versions) or "none"
        raise UsageError(
            f"'{name}' is neither an issued version of '{briefing_id}' nor a git revision",
            f"issued versions: {known}",
        )
    blob = blob_at(repo, commit, briefing_path(briefing_id)) if repo is not None else None
    briefing = parse_blob(repo, blob, briefing_path(briefing_id)) if repo and blob else None
    if briefing is None:
        raise UsageError(
            f"commit {commit.id.decode()[:12]} holds no readable {briefing_path(briefing_id)}"
        )
    return State(name, commit.id.decode(), briefing)
