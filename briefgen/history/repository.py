"""Open the project's own git repository, read-only and without running anything.

The project is hostile input, and so is its ``.git``. The ``git`` program would run code a
repository asks for (``core.fsmonitor``, hooks, filters and textconv, aliases, an external
diff), so briefgen reads the repository with dulwich, a Git implementation in pure Python that
reads objects and refs and runs nothing. What dulwich would still read *outside* the project is
refused before it opens the repository:

- ``.git`` must be a real folder directly in the project root: not a file (a ``gitdir:``
  pointer, as in a linked worktree or a submodule), not a symbolic link, not a parent folder's;
- no symbolic link anywhere under it;
- no ``commondir`` (a linked worktree's shared folder), no ``objects/info/alternates`` (objects
  kept in another repository), no ``include`` or ``includeIf`` in its config (other files read
  as config).

Each refusal is a plain reason: the project then builds without history and says so once.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.errors import ConfineError
from briefgen.load.confine import read_bounded

if TYPE_CHECKING:
    from dulwich.repo import Repo

# A config section that makes git read another file as config.
_INCLUDE = re.compile(rb"^\s*\[\s*include(if)?\b", re.IGNORECASE | re.MULTILINE)
# Walking .git for links is bounded: a repository with more entries is not read.
MAX_GIT_ENTRIES = 200_000
MAX_CONFIG_BYTES = 1024 * 1024


@dataclass(frozen=True)
class OpenedRepository:
    """The repository, or None with the reason there is no history (said once per run)."""

    repo: Repo | None
    reason: str | None


def _links_under(git_dir: Path) -> str | None:
    """The first symbolic link (or entry over the bound) under ``git_dir``, as a reason.

    Walked with a stack of its own, not by recursion (``os.walk`` recurses): a ``.git`` nested
    thousands deep is a finding, never a RecursionError.
    """
    seen = 0
    folders = [git_dir]
    while folders:
        folder = folders.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue  # as os.walk: a folder that cannot be listed is left out
        inner = []
        for entry in entries:
            seen += 1
            if seen > MAX_GIT_ENTRIES:
                return f".git holds more than {MAX_GIT_ENTRIES} entries"
            path = Path(entry.path)
            if entry.is_symlink():
                return f".git/{path.relative_to(git_dir)} is a symbolic link"
            if entry.is_dir(follow_symlinks=False):
                inner.append(path)
        folders.extend(reversed(inner))
    return None


def _refusal(root: Path) -> str | None:
    """Why the repository at ``root/.git`` may not be read; None when it may."""
    git_dir = root / ".git"
    try:
        mode = os.lstat(git_dir).st_mode
    except FileNotFoundError:
        return "the project is not a git repository (no .git folder in the project root)"
    if stat.S_ISLNK(mode):
        return ".git is a symbolic link: nothing outside the project is read"
    if not stat.S_ISDIR(mode):
        return (
            ".git is a file pointing elsewhere (a linked worktree or submodule): nothing "
            "outside the project is read"
        )
    for name in ("commondir", "objects/info/alternates"):
        if os.path.lexists(git_dir / name):
            return f".git/{name} points to another repository: nothing outside it is read"
    config = git_dir / "config"
    readable = config.is_file() and not config.is_symlink()
    if readable and _INCLUDE.search(read_bounded(config, MAX_CONFIG_BYTES)):
        return ".git/config includes other files: nothing outside the project is read"
    return _links_under(git_dir)


def open_repository(root: Path) -> OpenedRepository:
    """The project's repository when it may be read and has a commit; else the reason not."""
    try:
        reason = _refusal(root)
    except ConfineError as exc:
        reason = f"cannot read .git/config: {exc.message}"
    except OSError as exc:
        reason = f"cannot read .git: {exc.strerror or exc}"
    if reason is not None:
        return OpenedRepository(None, reason)
    from dulwich.errors import NotGitRepository
    from dulwich.repo import Repo

    try:
        repo = Repo(str(root))
    except NotGitRepository:
        return OpenedRepository(None, "cannot read .git: not a repository git can read")
    except Exception as exc:
        # (an unsupported extension, a bad config value): no history, never a traceback.
        return OpenedRepository(None, f"cannot read .git: {type(exc).__name__}: {exc}")
    try:
        repo.head()
    except KeyError:
        repo.close()
        return OpenedRepository(None, "the repository has no commit yet")
    if repo.get_shallow():
        repo.close()
        return OpenedRepository(
            None,
            "the repository is a shallow clone (fetch the whole history, e.g. "
            "actions/checkout with fetch-depth: 0)",
        )
    return OpenedRepository(repo, None)
