"""One digest of everything a command reads: equal digests, equal validation and outputs.

``build`` and ``publish`` are pure functions of the project's files, its git history, the
briefgen version and templates, ``SOURCE_DATE_EPOCH`` and the options given. When all of those
are as they were at the last successful run (:mod:`briefgen.editions.memo`), its outcome still
holds and nothing need be validated or rendered again. The digest covers:

- every file of the project (read by the project-file rule, :func:`walk_inside`; a link that
  leads out counts by the refusal, never by its target), except the output folders the
  command writes and top-level hidden folders (``.git``, ``.github``, a ``.venv``): briefgen
  reads none of those but ``.git``;
- ``.git``, which the version history comes from (issue 15): the name and kind of every entry
  under it (objects are named by their content, so a new commit is a new name) and the bytes
  of the small files that change in place (``HEAD``, refs, ``packed-refs``, ``shallow``,
  ``config``). A ``.git`` that is not a plain folder gives no fingerprint: no shortcut;
- the built-in templates and the versions of the libraries that shape the outputs
  (:func:`briefgen.render.inputs.tool_versions`), and ``SOURCE_DATE_EPOCH``.

Reading is bounded like every other read of project files; a file that cannot be read counts
by why, so it changing changes the digest too.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from briefgen.load.confine import ConfineError, read_inside, walk_inside
from briefgen.load.project_files import BRIEFINGS_DIR
from briefgen.render.environment import builtin_templates_dir
from briefgen.render.inputs import SITE_TEMPLATES, tool_versions

FINGERPRINT_VERSION = 1
# The most of one project file that is read to digest it (an archive of a web page included).
FILE_LIMIT = 256 * 1024 * 1024
# Files under .git that change in place; everything else there is named by its content.
GIT_MUTABLE = ("HEAD", "config", "packed-refs", "shallow", "refs/", "reftable/")


@dataclass(frozen=True)
class Fingerprint:
    """The digest of everything a command reads, and its parts.

    ``whole`` covers it all. ``shared`` covers all but the bytes of each briefing file (their
    names included), and ``briefings`` holds the digest of each briefing file by id: when
    only ``briefings`` differ, only those briefings need checking again.
    """

    whole: str
    shared: str
    briefings: dict[str, str]


def input_fingerprint(root: Path, skip: Iterable[Path], options: object) -> Fingerprint | None:
    """The digest of what a command at ``root`` reads, with ``options`` (JSON-able).

    ``skip``: folders the command writes (its outputs); those inside the project are left
    out. None when there is no trustworthy fingerprint (an unusual ``.git``): run in full.
    """
    base = root.resolve()
    git = _git_digest(base)
    if git is None:
        return None
    shared = hashlib.sha256()
    header = {
        "version": FINGERPRINT_VERSION,
        "tools": tool_versions(),
        "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
        "options": options,
        "git": git,
    }
    shared.update(json.dumps(header, sort_keys=True, default=str).encode())
    briefings: dict[str, str] = {}
    for relative, found in _project_files(base, _left_out(root, base, skip)):
        shared.update(f"project/{relative}\0".encode())
        digest = _file_digest(base, relative, found)
        briefing_id = _briefing_id(relative)
        if briefing_id is None:
            shared.update(digest)
        else:
            briefings[briefing_id] = digest.hex()
    builtin = builtin_templates_dir()
    for relative, found in walk_inside(builtin):
        if not relative.startswith(f"{SITE_TEMPLATES}/"):
            shared.update(f"builtin/{relative}\0".encode())
            shared.update(_file_digest(builtin.resolve(), relative, found))
    whole = hashlib.sha256(shared.digest())
    for briefing_id, file_digest in sorted(briefings.items()):
        whole.update(f"{briefing_id}\0{file_digest}".encode())
    return Fingerprint(whole.hexdigest(), shared.hexdigest(), briefings)


def _briefing_id(relative: str) -> str | None:
    """The id of the briefing file at ``relative`` (``content/briefings/<id>.yaml``), else None."""
    folder, _, name = relative.rpartition("/")
    return (
        name.removesuffix(".yaml") if folder == BRIEFINGS_DIR and name.endswith(".yaml") else None
    )


def _project_files(base: Path, left_out: set[str]) -> Iterator[tuple[str, Path | ConfineError]]:
    """Every file of the project but those under ``left_out`` and top-level hidden ones."""
    for entry in sorted(os.scandir(base), key=lambda e: e.name):
        if entry.name in left_out or entry.name.startswith("."):
            continue
        if not entry.is_dir():  # a file, or a link to one (read_inside refuses one out)
            yield entry.name, Path(entry.path)
            continue
        # A link to a folder too: walk_inside refuses one that leads out.
        for relative, found in walk_inside(base, entry.name):
            shown = f"{entry.name}/{relative}" if relative else entry.name
            if not any(shown.startswith(f"{folder}/") for folder in left_out):
                yield shown, found


def _left_out(given_root: Path, base: Path, skip: Iterable[Path]) -> set[str]:
    """The folders of ``skip`` inside the project (``given_root``, resolved ``base``), as
    paths relative to it."""
    names = set()
    for folder in skip:
        absolute = Path(os.path.abspath(folder))
        # The root as given (a link to the project, say) or as it resolves.
        for root in (Path(os.path.abspath(given_root)), base):
            if absolute.is_relative_to(root) and absolute != root:
                names.add(absolute.relative_to(root).as_posix())
                break
    return names


def _file_digest(base: Path, relative: str, found: Path | ConfineError) -> bytes:
    """The digest of one file's bytes, or of why it is not read."""
    if isinstance(found, ConfineError):
        return hashlib.sha256(f"refused: {found}".encode()).digest()
    try:
        return hashlib.sha256(read_inside(base, relative, FILE_LIMIT)).digest()
    except (ConfineError, OSError) as exc:
        return hashlib.sha256(f"unreadable: {exc}".encode()).digest()


def _git_digest(base: Path) -> str | None:
    """The digest of ``.git`` as the history reader sees it; '' without one; None when odd."""
    git_dir = base / ".git"
    try:
        mode = os.lstat(git_dir).st_mode
    except FileNotFoundError:
        return ""
    if not stat.S_ISDIR(mode):
        return None
    digest = hashlib.sha256()
    for folder, dirs, files in os.walk(git_dir, followlinks=False):
        dirs.sort()
        for name in sorted(files) + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            path = Path(folder, name)
            relative = path.relative_to(git_dir).as_posix()
            kind = "link" if path.is_symlink() else "file"
            digest.update(f"{kind} {relative}\0".encode())
            if kind == "file" and relative.startswith(GIT_MUTABLE):
                digest.update(_file_digest(base, f".git/{relative}", path))
    return digest.hexdigest()
