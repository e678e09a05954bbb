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
  ``config``, ``info/`` with its grafts). A ``.git`` that is not a plain folder gives no
  fingerprint: no shortcut;
- the built-in templates and the versions of the libraries that shape the outputs
  (:func:`briefgen.render.inputs.tool_versions`), and ``SOURCE_DATE_EPOCH``.

Reading is bounded like every other read of project files; a file that cannot be read counts
by why, so it changing changes the digest too. The whole is bounded as well (:class:`_Budget`):
the digest reads files briefgen itself never opens (any folder of the project), so a project
of huge files, or of thousands of links to one, would otherwise make every run read for hours.
Past the budget there is no fingerprint, hence a full run, which reads only what it needs.
Each file is read once however many links or names lead to it, and folders are walked without
recursion, however deep.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from briefgen.load.confine import ConfineError, read_inside, resolve_inside, walk_inside
from briefgen.load.project_files import BRIEFINGS_DIR
from briefgen.render.environment import builtin_templates_dir
from briefgen.render.inputs import SITE_TEMPLATES, tool_versions

if TYPE_CHECKING:
    from briefgen.model import Project

FINGERPRINT_VERSION = 3
# The most of one project file that is read to digest it: above what any reader of briefgen
# takes (a web archive, 100 MiB), so a larger file counts by its size, as every reader refuses it.
FILE_LIMIT = 128 * 1024 * 1024
# The most one fingerprint reads and lists in all (project files, built-in templates, .git):
# far above a real project (a thousand briefings and their archives), and a second or two.
BYTE_BUDGET = 1024 * 1024 * 1024
ENTRY_BUDGET = 250_000
# Files under .git that change in place; everything else there is named by its content.
# info/ holds grafts (info/grafts), which the history reader (dulwich) applies: they rewrite
# the parents of commits, hence the issued versions, under an unchanged name.
GIT_MUTABLE = ("HEAD", "config", "packed-refs", "shallow", "refs/", "reftable/", "info/")


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
    try:
        return _fingerprint(root, skip, options, _Budget(BYTE_BUDGET, ENTRY_BUDGET))
    except _OverBudgetError:
        return None  # a full run: it reads only what it needs, each file within its bound


class _OverBudgetError(Exception):
    """The project holds more to read than a fingerprint may: no shortcut."""


@dataclass
class _Budget:
    """What one fingerprint may still read and list, and the digest of each file read."""

    bytes_left: int = BYTE_BUDGET
    entries_left: int = ENTRY_BUDGET
    # (device, inode) -> digest: a file reached by several names or links is read once.
    read: dict[tuple[int, int], bytes] = field(default_factory=dict)

    def entry(self) -> None:
        """Count one more file or folder entry; raises _OverBudgetError past the budget."""
        self.entries_left -= 1
        if self.entries_left < 0:
            raise _OverBudgetError

    def take(self, size: int) -> None:
        """Count ``size`` more bytes to read; raises _OverBudgetError past the budget."""
        if size > self.bytes_left:
            raise _OverBudgetError
        self.bytes_left -= size


def _fingerprint(
    root: Path, skip: Iterable[Path], options: object, budget: _Budget
) -> Fingerprint | None:
    """:func:`input_fingerprint` within ``budget`` (raises _OverBudgetError past it)."""
    base = root.resolve()
    git = _git_digest(base, budget)
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
        budget.entry()
        shared.update(f"project/{relative}\0".encode())
        digest = _file_digest(base, relative, found, budget)
        briefing_id = _briefing_id(relative)
        if briefing_id is None:
            shared.update(digest)
        else:
            briefings[briefing_id] = digest.hex()
    builtin = builtin_templates_dir()
    for relative, found in walk_inside(builtin):
        budget.entry()
        if not relative.startswith(f"{SITE_TEMPLATES}/"):
            shared.update(f"builtin/{relative}\0".encode())
            shared.update(_file_digest(builtin.resolve(), relative, found, budget))
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


def _file_digest(base: Path, relative: str, found: Path | ConfineError, budget: _Budget) -> bytes:
    """The digest of one file's bytes, or of why it is not read; each file read once."""
    if isinstance(found, ConfineError):
        return hashlib.sha256(f"refused: {found}".encode()).digest()
    try:
        info = os.stat(found)
    except OSError as exc:
        return hashlib.sha256(f"unreadable: {exc}".encode()).digest()
    identity = (info.st_dev, info.st_ino)
    if identity in budget.read:
        return budget.read[identity]
    # Counted before reading; a file above FILE_LIMIT is refused by its size, not read.
    budget.take(info.st_size if info.st_size <= FILE_LIMIT else 0)
    try:
        digest = hashlib.sha256(read_inside(base, relative, FILE_LIMIT)).digest()
    except (ConfineError, OSError) as exc:
        digest = hashlib.sha256(f"unreadable: {exc}".encode()).digest()
    if stat.S_ISREG(info.st_mode):
        budget.read[identity] = digest
    return digest


def _git_digest(base: Path, budget: _Budget) -> str | None:
    """The digest of ``.git`` as the history reader sees it; '' without one; None when odd."""
    git_dir = base / ".git"
    try:
        mode = os.lstat(git_dir).st_mode
    except FileNotFoundError:
        return ""
    if not stat.S_ISDIR(mode):
        return None
    digest = hashlib.sha256()
    for kind, relative in _git_entries(git_dir, budget):
        digest.update(f"{kind} {relative}\0".encode())
        if kind == "file" and relative.startswith(GIT_MUTABLE):
            digest.update(_file_digest(base, f".git/{relative}", git_dir / relative, budget))
    return digest.hexdigest()


def _git_entries(git_dir: Path, budget: _Budget) -> Iterator[tuple[str, str]]:
    """('file' or 'link', path) of each entry below ``git_dir`` but folders; links not followed.

    Depth first with a stack of its own, not by recursion (``os.walk`` recurses): a ``.git``
    nested thousands deep is listed, not a RecursionError. Unlistable folders are left out.
    """
    folders = [""]
    while folders:
        folder = folders.pop()
        try:
            entries = sorted(os.scandir(git_dir / folder), key=lambda e: e.name)
        except OSError:
            continue
        inner = []
        for entry in entries:
            budget.entry()
            relative = f"{folder}{entry.name}"
            if entry.is_symlink():
                yield "link", relative
            elif entry.is_dir(follow_symlinks=False):
                inner.append(f"{relative}/")
            else:
                yield "file", relative
        folders.extend(reversed(inner))  # the first in name order is listed next


def archive_paths(project: Project) -> list[str]:
    """The archive files the sources of ``project`` name, as written (read by validation)."""
    return sorted({s.archive.path for s in project.sources.values() if s.archive is not None})


def unwalked_digests(
    root: Path, skip: Iterable[Path], paths: Iterable[str]
) -> dict[str, str] | None:
    """The digest of each file of ``paths`` that :func:`input_fingerprint` leaves out.

    An archive may be any file of the project (``sources.yaml`` names it), also one in the
    output folder, a top-level hidden folder or a ``__pycache__`` one, which the fingerprint
    does not read: a
    record keeps these digests, and a run is recalled only while they are the same, else an
    archive changed there would leave the last report (quotes verified) standing. ``paths``
    as the project writes them; None past the budget (no record then).
    """
    base = root.resolve()
    left_out = _left_out(root, base, skip)
    budget = _Budget(BYTE_BUDGET, ENTRY_BUDGET)
    digests = {}
    try:
        for written in sorted(set(paths)):
            parts = PurePosixPath(written).parts
            relative = "/".join(parts)
            outside = any(relative.startswith(f"{folder}/") for folder in left_out)
            skipped = "__pycache__" in parts  # left out by every walk (walk_inside)
            if not parts or not (parts[0].startswith(".") or outside or skipped):
                continue  # read by the fingerprint already
            digests[written] = _file_digest(base, relative, _resolved(base, relative), budget).hex()
    except _OverBudgetError:
        return None
    return digests


def unwalked_hold(root: Path, skip: Iterable[Path], recorded: dict[str, str]) -> bool:
    """True when each file a record digested beside its fingerprint is as it was then."""
    return unwalked_digests(root, skip, recorded) == recorded


def _resolved(base: Path, relative: str) -> Path | ConfineError:
    """The real path of the project file ``relative``, or why it is refused."""
    try:
        return resolve_inside(base, relative)
    except ConfineError as exc:
        return exc
