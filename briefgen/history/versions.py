"""The issued versions of a briefing, read from the project's git history.

An issued version of a briefing is the briefing as committed where its ``version`` last had
that value: walking from HEAD back in time, the first commit met with a given ``version`` is the
one that holds that version. The walk looks up one path per commit (three tree reads) and
parses a file only when its blob changed, each distinct blob once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from pydantic import ValidationError

from briefgen.diagnostics import Report
from briefgen.load.yaml_reader import read_yaml_bytes
from briefgen.model.briefings import Briefing

if TYPE_CHECKING:
    from dulwich.objects import Commit, ObjectID
    from dulwich.repo import Repo

# Past this many commits the walk stops: older versions are left out (said in the note).
MAX_COMMITS = 20_000


@dataclass(frozen=True)
class IssuedVersion:
    """One issued version: the briefing as committed, and the commit that holds it."""

    version: str
    commit: str
    committed: int
    briefing: Briefing


def briefing_path(briefing_id: str) -> str:
    """Where a briefing lives in the repository (the project root is the repository's)."""
    return f"content/briefings/{briefing_id}.yaml"


def blob_at(repo: Repo, commit: Commit, path: str) -> ObjectID | None:
    """The id of the blob at ``path`` in ``commit``'s tree; None when there is none."""
    from dulwich.objects import Tree

    tree_id = commit.tree
    parts = PurePosixPath(path).parts
    for index, part in enumerate(parts):
        tree = repo.object_store[tree_id]
        if not isinstance(tree, Tree):
            return None
        try:
            mode, sha = tree[part.encode()]
        except KeyError:
            return None
        last = index == len(parts) - 1
        if last:
            return sha if mode & 0o170000 == 0o100000 else None
        tree_id = sha
    return None


def parse_blob(repo: Repo, blob_id: ObjectID, display: str) -> Briefing | None:
    """The briefing a blob holds; None when it does not parse (that commit is skipped)."""
    from dulwich.objects import Blob

    blob = repo.object_store[blob_id]
    if not isinstance(blob, Blob):
        return None
    loaded = read_yaml_bytes(blob.as_raw_string(), Path(display), display, Report())
    if loaded is None:
        return None
    try:
        return Briefing.model_validate(loaded.data)
    except ValidationError:
        return None


def issued_versions(repo: Repo, briefing_id: str) -> list[IssuedVersion]:
    """Every issued version of a briefing, oldest first."""
    path = briefing_path(briefing_id)
    found: dict[str, IssuedVersion] = {}
    parsed: dict[ObjectID, Briefing | None] = {}
    walker = repo.get_walker(include=[repo.head()], max_entries=MAX_COMMITS)
    for entry in walker:
        commit = entry.commit
        blob_id = blob_at(repo, commit, path)
        if blob_id is None:
            continue
        if blob_id not in parsed:
            parsed[blob_id] = parse_blob(repo, blob_id, f"{path}@{commit.id.decode()[:12]}")
        briefing = parsed[blob_id]
        if briefing is None or briefing.version in found:
            continue
        found[briefing.version] = IssuedVersion(
            briefing.version, commit.id.decode(), commit.commit_time, briefing
        )
    # Met newest first: the reverse is oldest first, the order of issue.
    return list(found.values())[::-1]
