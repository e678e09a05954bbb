"""The issued versions of a briefing, read from the project's git history.

An issued version of a briefing is the briefing as committed where its ``version`` last had
that value: walking from HEAD back in time, the first commit met with a given ``version`` is the
one that holds that version. The walk looks up one path per commit (three tree reads) and
parses a file only when its blob changed, each distinct blob once.
"""

from __future__ import annotations

import stat
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from pydantic import ValidationError

from briefgen.diagnostics import Report
from briefgen.load.yaml_reader import read_yaml_bytes
from briefgen.model.briefings import Briefing
from briefgen.model.versions import IssuedVersion

if TYPE_CHECKING:
    from dulwich.objects import Commit, ObjectID
    from dulwich.repo import Repo

# Past this many commits the walk stops: older versions are left out (said in the note).
MAX_COMMITS = 20_000


BRIEFINGS_FOLDER = "content/briefings"


def briefing_path(briefing_id: str) -> str:
    """Where a briefing lives in the repository (the project root is the repository's)."""
    return f"{BRIEFINGS_FOLDER}/{briefing_id}.yaml"


def blob_at(repo: Repo, commit: Commit, path: str, *, tree: bool = False) -> ObjectID | None:
    """The id of the blob (or with ``tree``, the folder) at ``path`` in ``commit``; else None."""
    from dulwich.objects import Tree

    tree_id = commit.tree
    parts = PurePosixPath(path).parts
    for index, part in enumerate(parts):
        folder = repo.object_store[tree_id]
        if not isinstance(folder, Tree):
            return None
        try:
            mode, sha = folder[part.encode()]
        except KeyError:
            return None
        last = index == len(parts) - 1
        if last:
            kind = stat.S_ISDIR(mode) if tree else stat.S_ISREG(mode)
            return sha if kind else None
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


def _briefing_blobs(repo: Repo, commit: Commit) -> tuple[ObjectID | None, dict[str, ObjectID]]:
    """The id of ``content/briefings`` in ``commit`` and the blob of each ``<id>.yaml`` in it."""
    from dulwich.objects import Tree

    folder = blob_at(repo, commit, BRIEFINGS_FOLDER, tree=True)
    if folder is None:
        return None, {}
    tree = repo.object_store[folder]
    blobs: dict[str, ObjectID] = {}
    if isinstance(tree, Tree):
        for item in tree.iteritems():
            name = item.path.decode("utf-8", "replace")
            if name.endswith(".yaml") and stat.S_ISREG(item.mode):
                blobs[name.removesuffix(".yaml")] = item.sha
    return folder, blobs


def issued_versions_of(repo: Repo, briefing_ids: list[str]) -> dict[str, list[IssuedVersion]]:
    """Every issued version of each briefing, oldest first, in one walk of the history.

    A commit whose ``content/briefings`` folder is the one already seen is skipped at once
    (one tree lookup); a blob is parsed once, however many commits hold it.
    """
    wanted = set(briefing_ids)
    found: dict[str, dict[str, IssuedVersion]] = {bid: {} for bid in briefing_ids}
    parsed: dict[ObjectID, Briefing | None] = {}
    seen_folders: set[ObjectID] = set()
    for entry in repo.get_walker(include=[repo.head()], max_entries=MAX_COMMITS):
        commit = entry.commit
        folder, blobs = _briefing_blobs(repo, commit)
        if folder is None or folder in seen_folders:
            continue
        seen_folders.add(folder)
        for bid, blob_id in blobs.items():
            if bid not in wanted:
                continue
            if blob_id not in parsed:
                parsed[blob_id] = parse_blob(repo, blob_id, briefing_path(bid))
            briefing = parsed[blob_id]
            if briefing is not None and briefing.version not in found[bid]:
                found[bid][briefing.version] = IssuedVersion(
                    briefing.version, commit.id.decode(), commit.commit_time, briefing
                )
    # Met newest first: the reverse is oldest first, the order of issue.
    return {bid: list(versions.values())[::-1] for bid, versions in found.items()}


def issued_versions(repo: Repo, briefing_id: str) -> list[IssuedVersion]:
    """Every issued version of one briefing, oldest first."""
    return issued_versions_of(repo, [briefing_id])[briefing_id]
