"""The files of each briefing in ``output/<id>/``: written atomically, found again by their key.

Used by ``build`` (which writes every selected briefing) and by ``publish`` (which reuses what
is up to date and writes what it had to render), so both keep one folder per briefing:

- :class:`OutputBatch` writes each briefing's files as one set, with the record of the key
  they were made from (``.briefgen-key``: the key and the digest of each file). It first checks
  that every target can be written (:func:`target_problem`), then writes each to a temporary
  file in the same folder and, only when all are written and on disk, renames them over the
  old ones. An error or an interrupt never leaves a half-written file or a mix of old and new
  files. :func:`write_outputs` is a batch of one briefing.
- :func:`current_outputs` reads files back only when the record is of the same key and each
  file is as written; nothing is read through a symbolic link.

The output folder is untrusted: a project may arrive with one, and anyone can compute a
briefing's key (build the project) and write a record of it beside files of their own. So a
record also holds the *stamp* of each file (inode, change time in ns, size; see
:mod:`briefgen.editions.memo`), taken on this machine right after they were renamed into
place: files are reused only while they are the very files this machine wrote, unless the
user vouches for the folder (``--trust-outputs``: the shards' artifacts, a CI cache of one's
own outputs).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from briefgen.editions import FILE_NAMES
from briefgen.editions.memo import Stamp, stamp_of
from briefgen.errors import BuildError
from briefgen.load.confine import (
    TEMP_CHARACTERS,
    TEMP_NAME_LENGTH,
    ConfineError,
    first_link,
    link_refusal,
    open_folder,
    read_bounded,
    temp_name,
)

OUTPUT_DIR = "output"  # the project's output folder: output/<id>/ for each briefing
# Beside a briefing's outputs: the key of the inputs they were made from, and their digests.
KEY_FILE = ".briefgen-key"
# The most of an existing output that is read to compare it (far above any real briefing).
MAX_OUTPUT_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True)
class Written:
    """One output file, and whether its bytes changed."""

    briefing_id: str
    path: Path
    size: int
    changed: bool


def _same_bytes(folder_fd: int, name: str, data: bytes) -> bool:
    # Read without following a link (an output that is a link is never read through).
    try:
        return read_bounded(name, len(data), dir_fd=folder_fd) == data
    except (ConfineError, OSError):
        return False


def _stage(folder_fd: int, name: str, data: bytes, shown: Path) -> str:
    """``data`` in a new temporary file beside ``name``; made durable and renamed later.

    Created with ``O_EXCL | O_NOFOLLOW`` in the folder's descriptor, so it is a new file in
    the checked folder, never a link's target. Mode 0666 less the umask: outputs are meant
    to be shared and published.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    while True:
        temp = temp_name(f".{name}.", ".tmp")
        try:
            fd = os.open(temp, flags, 0o666, dir_fd=folder_fd)
            break
        except FileExistsError:
            continue
        except OSError as exc:
            exc.filename = str(shown)
            raise
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException as exc:
        _unlink(temp, folder_fd)
        if isinstance(exc, OSError) and not exc.filename:
            exc.filename = str(shown)  # a failed write (a full disk) names no file by itself
        raise
    return temp


def _unlink(name: str, folder_fd: int) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(name, dir_fd=folder_fd)


def _syncfs() -> Callable[[int], int] | None:
    """Linux's ``syncfs(2)`` (every dirty file of one file system to disk, in one call)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function: Callable[[int], int] = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    return function


_SYNCFS = _syncfs()


@dataclass
class _Staged:
    """One briefing's files written to temporary files, not yet durable nor renamed."""

    briefing_id: str
    folder: Path
    folder_fd: int
    temps: list[tuple[str, str]]  # (temporary name, final name)
    written: list[Written]
    key: str = ""
    digests: dict[str, str] = field(default_factory=dict)  # file name -> sha256


class OutputBatch:
    """Briefings' files written as sets, made durable together, then renamed into place.

    A rename is only safe once the new bytes are on disk (otherwise a power cut can leave an
    empty file where the old one was), but one ``fsync`` per file costs milliseconds each on
    a real disk: thousands of files took longer than rendering them. So each briefing's files
    are written to temporary files (:meth:`stage`); :meth:`flush` makes every staged file
    durable at once (one ``syncfs`` of the output's file system on Linux, else an ``fsync``
    of each) and only then renames each briefing's files over its old ones. A batch is
    flushed after ``max_files`` files or ``max_seconds``, so an interrupt loses little work.
    Leaving the ``with`` block on an exception deletes what is staged and replaces nothing;
    a temporary file a killed build left behind is removed by :func:`remove_stale_temporaries`.
    """

    def __init__(self, max_files: int = 256, max_seconds: float = 1.0) -> None:
        self.max_files = max_files
        self.max_seconds = max_seconds
        self._pending: list[_Staged] = []
        self._since = 0.0

    def __enter__(self) -> OutputBatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def stage(
        self,
        folder: Path,
        briefing_id: str,
        outputs: dict[str, bytes],
        key: str,
        root: Path,
        base: Path | None = None,
    ) -> None:
        """Write one briefing's files, and their key record, to temporary files in ``folder``.

        Raises :class:`BuildError` (naming the path) when they cannot be written; nothing of
        the briefing is then staged, and its previous outputs are left as they were.
        """
        base = base if base is not None else root
        problem = target_problem(folder, [*outputs, KEY_FILE], root, base)
        if problem:
            raise BuildError(problem)
        try:
            staged = _stage_set(folder, briefing_id, outputs, base)
        except OSError as exc:
            raise BuildError(_os_problem(exc, root)) from exc
        staged.key = key
        staged.digests = {name: _sha256(data) for name, data in outputs.items()}
        if not self._pending:
            self._since = time.monotonic()
        self._pending.append(staged)

    def due(self) -> bool:
        """True when the staged files are enough, or old enough, to be flushed."""
        files = sum(len(s.temps) for s in self._pending)
        waited = time.monotonic() - self._since
        return bool(self._pending) and (files >= self.max_files or waited >= self.max_seconds)

    def flush(self, root: Path) -> list[tuple[str, list[Written] | str]]:
        """Make the staged files durable, rename them; each briefing's files or its error."""
        pending, self._pending = self._pending, []
        try:
            _make_durable(pending)
        except OSError as exc:
            self._pending = pending  # deleted by discard
            raise BuildError(_os_problem(exc, root)) from exc
        done: list[tuple[str, list[Written] | str]] = []
        for staged in pending:
            try:
                _rename_set(staged)
                _write_key_record(staged)
                done.append((staged.briefing_id, staged.written))
            except OSError as exc:
                done.append((staged.briefing_id, _os_problem(exc, root)))
            finally:
                os.close(staged.folder_fd)
        return done

    def discard(self) -> None:
        """Delete every staged temporary file; no previous output is touched."""
        pending, self._pending = self._pending, []
        for staged in pending:
            for temp, _ in staged.temps:
                _unlink(temp, staged.folder_fd)
            os.close(staged.folder_fd)


def _stage_set(folder: Path, briefing_id: str, files: dict[str, bytes], base: Path) -> _Staged:
    """Open ``folder`` from ``base`` without following a link; write each changed file."""
    try:
        folder_fd = open_folder(base, folder.relative_to(base).parts, create=True)
    except OSError as exc:
        exc.filename = str(folder)  # else the part of the path that failed, out of context
        raise
    staged = _Staged(briefing_id, folder, folder_fd, [], [])
    try:
        for name, data in files.items():
            changed = not _same_bytes(folder_fd, name, data)
            if changed:
                staged.temps.append((_stage(folder_fd, name, data, folder / name), name))
            staged.written.append(Written(briefing_id, folder / name, len(data), changed))
    except BaseException:
        for temp, _ in staged.temps:
            _unlink(temp, folder_fd)
        os.close(folder_fd)
        raise
    staged.written.sort(key=lambda w: w.path.name)
    return staged


def _make_durable(pending: Sequence[_Staged]) -> None:
    """Every staged file on disk: one ``syncfs`` per file system, else one ``fsync`` each."""
    if _SYNCFS is not None:
        devices: dict[int, int] = {}
        for staged in pending:
            if staged.temps:
                devices.setdefault(os.fstat(staged.folder_fd).st_dev, staged.folder_fd)
        for fd in devices.values():
            if _SYNCFS(fd) != 0:
                number = ctypes.get_errno()
                raise OSError(number, os.strerror(number))
        return
    for staged in pending:
        for temp, _ in staged.temps:
            fd = os.open(temp, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=staged.folder_fd)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _rename_set(staged: _Staged) -> None:
    """Rename one briefing's temporary files over its files; on failure delete the rest."""
    try:
        for temp, name in list(staged.temps):
            os.replace(temp, name, src_dir_fd=staged.folder_fd, dst_dir_fd=staged.folder_fd)
            staged.temps.remove((temp, name))
    except OSError as exc:
        for temp, _ in staged.temps:
            _unlink(temp, staged.folder_fd)
        exc.filename = exc.filename or str(staged.folder)
        raise


def _write_key_record(staged: _Staged) -> None:
    """The record of the key of one briefing's files, with their stamps as now in place.

    Written after the files were renamed (a rename changes a file's change time), through a
    temporary file renamed over the old record. Not made durable on its own: a record lost
    or cut short by a power cut is no record, and the briefing is rendered again.
    """
    stamps = {}
    for name in staged.digests:
        info = os.stat(name, dir_fd=staged.folder_fd, follow_symlinks=False)
        stamps[name] = stamp_of(info)
    data = key_record(staged.key, staged.digests, stamps)
    if _same_bytes(staged.folder_fd, KEY_FILE, data):
        return
    temp = _stage(staged.folder_fd, KEY_FILE, data, staged.folder / KEY_FILE)
    try:
        os.replace(temp, KEY_FILE, src_dir_fd=staged.folder_fd, dst_dir_fd=staged.folder_fd)
    except OSError:
        _unlink(temp, staged.folder_fd)
        raise


# The temporary files of _stage: ".briefing.pdf.k2j4x9q_.tmp", "..briefgen-key.abcdefgh.tmp".
_OWN_NAMES = "|".join(re.escape(n) for n in (*FILE_NAMES.values(), KEY_FILE))
_STALE_TEMP = re.compile(
    rf"\.(?:{_OWN_NAMES})\.[{re.escape(TEMP_CHARACTERS)}]{{{TEMP_NAME_LENGTH}}}\.tmp"
)


def remove_stale_temporaries(folder: Path, base: Path) -> None:
    """Delete the temporary files an interrupted build (kill -9) left in ``folder``.

    Only names of :func:`_stage`'s own pattern, only in ``folder`` (opened from ``base``
    without following links); a link of that name is removed itself, never followed.
    """
    try:
        folder_fd = open_folder(base, folder.relative_to(base).parts)
    except OSError:
        return  # no folder yet, or a link: target_problem says so
    try:
        for name in os.listdir(folder_fd):
            if _STALE_TEMP.fullmatch(name):
                with contextlib.suppress(OSError):  # a folder of that name: left alone
                    os.unlink(name, dir_fd=folder_fd)
    finally:
        os.close(folder_fd)


def shown_path(path: Path, root: Path) -> str:
    """``path`` relative to the project when it is inside it (``output/x``), else as given."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def target_problem(
    folder: Path, names: Iterable[str], root: Path, base: Path | None = None
) -> str | None:
    """Why the files ``names`` cannot be written in ``folder``, or None when they can.

    Checked before anything of a briefing is replaced, so that an ordinary file-system
    condition (a file where the folder should be, a folder where a file should be) fails the
    briefing with a clear message and leaves its previous outputs as they were. Below
    ``base`` (the project root, or a user's ``--out``; default: ``root``) nothing on the way
    may be a symbolic link: briefgen writes only inside the output folder.
    """
    names = list(names)
    base = base if base is not None else root
    for path in (folder, *(folder / name for name in names)):
        link = first_link(base, path) if path.is_relative_to(base) else None
        if link is not None:
            return link_refusal(link, root)
    existing = folder
    while not os.path.lexists(existing) and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        what = "a broken link" if existing.is_symlink() else "a file"
        return f"{shown_path(existing, root)} is {what}, not a folder; move or delete it"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"cannot write in {shown_path(existing, root)}: permission denied"
    for name in names if existing == folder else ():
        target = folder / name
        if os.path.lexists(target) and not stat.S_ISREG(target.lstat().st_mode):
            kind = "a folder" if target.is_dir() else "not a regular file"
            return f"{shown_path(target, root)} is {kind}; move or delete it"
    return None


def _os_problem(exc: OSError, root: Path) -> str:
    where = f" {shown_path(Path(exc.filename), root)}" if exc.filename else ""
    return f"cannot write{where}: {exc.strerror or exc}"


def write_outputs(
    folder: Path,
    briefing_id: str,
    outputs: dict[str, bytes],
    key: str,
    root: Path,
    base: Path | None = None,
) -> list[Written]:
    """Write one briefing's files, and the key they were made from, into ``folder``.

    A batch of one (:class:`OutputBatch`). Raises :class:`BuildError` (naming the path) when
    they cannot be written; the previous outputs of the briefing are then left as they were.
    ``base``: see :func:`target_problem`.
    """
    with OutputBatch() as batch:
        batch.stage(folder, briefing_id, outputs, key, root, base)
        ((_, written),) = batch.flush(root)
    if isinstance(written, str):
        raise BuildError(written)
    return written


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _KeyRecord(BaseModel):
    """The record beside a briefing's outputs, as :func:`key_record` writes it; strict, so
    that one of any other shape (the output folder is untrusted) is no record at all."""

    model_config = ConfigDict(strict=True, extra="forbid")

    key: str
    files: dict[str, str]  # file name -> sha256 of its bytes
    stamps: dict[str, Stamp]  # file name -> (inode, ctime in ns, size)


def key_record(key: str, digests: dict[str, str], stamps: dict[str, Stamp]) -> bytes:
    """The record kept beside the outputs: the key they were made from, the digest of each,
    and the stamp of each as written on this machine."""
    record = {"key": key, "files": dict(sorted(digests.items())), "stamps": stamps}
    return (json.dumps(record, indent=1, sort_keys=True) + "\n").encode()


def current_outputs(
    folder: Path,
    key: str,
    names: Sequence[str],
    base: Path | None = None,
    *,
    exact: bool = False,
    trusted: bool = False,
) -> dict[str, bytes] | None:
    """The bytes of the files ``names`` in ``folder``, if they are up to date; else None.

    Up to date: the record there is of ``key``, names each of them (``exact``: names them and
    no other) and each file still has the digest recorded. A file edited or deleted by hand
    is then made again. Read from ``base`` (default: the folder's parent) without following
    any link: an output, a record or a folder that is a link is never read through; it is not
    up to date, and :func:`target_problem` then refuses it. Unless ``trusted`` (the user
    vouches for the folder), each file must also be the very file this machine wrote (its
    stamp in the record): a folder that came with the project is never taken on its word.
    """
    base = base if base is not None else folder.parent
    try:
        folder_fd = open_folder(base, folder.relative_to(base).parts)
    except OSError:
        return None
    try:
        record = _KeyRecord.model_validate_json(
            read_bounded(KEY_FILE, MAX_OUTPUT_BYTES, dir_fd=folder_fd)
        )
        recorded = record.files
        if record.key != key or not set(names) <= set(recorded):
            return None
        if exact and set(recorded) != set(names):
            return None
        if not trusted and not _stamps_hold(folder_fd, names, record.stamps):
            return None  # not the files this machine wrote: a copied or shipped folder
        found = {n: read_bounded(n, MAX_OUTPUT_BYTES, dir_fd=folder_fd) for n in names}
        return found if all(_sha256(found[n]) == recorded[n] for n in names) else None
    except (ConfineError, OSError, ValidationError):
        return None  # no record, an unreadable one, or a missing output: render
    finally:
        os.close(folder_fd)


def _stamps_hold(folder_fd: int, names: Sequence[str], stamps: dict[str, Stamp]) -> bool:
    """True when each file ``names`` in the folder is still the file the record stamped."""
    for name in names:
        info = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
        if stamps.get(name) != stamp_of(info):
            return False
    return True


def up_to_date(
    folder: Path,
    key: str,
    names: Sequence[str],
    base: Path | None = None,
    *,
    exact: bool = False,
    trusted: bool = False,
) -> bool:
    """True when ``folder`` holds the files ``names`` of ``key`` (see :func:`current_outputs`)."""
    found = current_outputs(folder, key, names, base, exact=exact, trusted=trusted)
    return found is not None
