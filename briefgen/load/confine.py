"""The one rule for a project's files: nothing outside the project is read or written.

A project is untrusted (a colleague's pull request, a downloaded template pack), and a symbolic
link is how it would reach outside itself: ``content/actors.yaml -> /etc/passwd``,
``output/site -> ~/Documents``. Every read of a project file and every write of an output goes
through this module, so the rule lives in one place:

- Reading: a link is followed only when its real path stays inside the project root (a link
  from one project file to another is fine, as for archives and templates); a link that leads
  out is refused, naming the link and where it leads. Only regular files are read (never a
  FIFO, a device or a folder), and never more than a given number of bytes, counted while
  reading rather than trusted from ``stat``.
- Writing: below the output folder nothing may be a link at all (:func:`first_link`); the
  writers then work through folder descriptors opened without following links
  (:func:`open_folder`), so a link put in place after the check is refused too, not followed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePath, PurePosixPath

from briefgen.errors import ConfineError as ConfineError  # importable from here too

# Flags for opening a file to read: never follow a link in the last component, never block on
# a FIFO (it is refused once fstat says what it is), never leak into a child process.
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_CHUNK = 1 << 16
# The characters of tempfile's random names, so that the names briefgen gives its temporary
# files and folders look the same as before (and stale ones of older versions are recognised).
TEMP_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"
TEMP_NAME_LENGTH = 8


class LinkOutsideError(ConfineError):
    """A symbolic link on the way to a project file leads outside the project (or loops)."""

    def __init__(self, link: str, target: str, *, is_file: bool, loop: bool = False) -> None:
        where = "file" if is_file else f"'{link}'"
        leads = f"in a loop ({target})" if loop else f"to {target}, outside the project"
        super().__init__(
            f"{where} is a symbolic link {leads}; briefgen reads only files inside the project",
            "replace the link with a copy of the file" if is_file else "replace the link",
        )
        self.link = link
        self.target = target
        self.loop = loop


class NotRegularFileError(ConfineError):
    """The path is a folder, a FIFO, a device or a socket: never opened for its content."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"is {kind}, not a regular file", "briefgen reads only regular files")
        self.kind = kind


class FileTooLargeError(ConfineError):
    """The file holds more than the limit; ``size`` is from stat when it already said so."""

    def __init__(self, size: int | None, limit: int) -> None:
        shown = f"{size:,} bytes" if size is not None else f"more than {limit:,} bytes"
        super().__init__(f"file is too large ({shown}; the limit is {limit:,})")
        self.size = size
        self.limit = limit


def relative_parts(relative: str | PurePath) -> tuple[str, ...]:
    """The components of a project-relative path; absolute paths and '..' are refused."""
    path = PurePosixPath(relative) if isinstance(relative, str) else relative
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ConfineError(f"'{relative}' is not a path inside the project")
    return path.parts


def resolve_inside(root: Path, relative: str | PurePath, *, folder: bool = False) -> Path:
    """The real path of ``root/relative``, refusing any link on the way that leads outside.

    Each component is looked at in turn, so the error names the link itself (``content``
    linked elsewhere, or ``content/actors.yaml``). A link whose real path is inside the project
    root is followed. The path need not exist; ``folder`` says it names a folder (for the
    message). Raises :class:`LinkOutsideError`.
    """
    base = root.resolve()
    parts = relative_parts(relative)
    current = base
    for index, part in enumerate(parts):
        candidate = current / part
        if not candidate.is_symlink():
            current = candidate
            continue
        shown = "/".join(parts[: index + 1])
        is_file = index == len(parts) - 1 and not folder
        try:
            real = candidate.resolve(strict=False)
        except (OSError, RuntimeError):  # a loop: RuntimeError up to Python 3.12, OSError later
            target = os.readlink(candidate)
            raise LinkOutsideError(shown, target, is_file=is_file, loop=True) from None
        if not real.is_relative_to(base):
            raise LinkOutsideError(shown, str(real), is_file=is_file)
        current = real
    return current


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def walk_inside(root: Path, folder: str | None = None) -> Iterator[tuple[str, Path | ConfineError]]:
    """Every file under ``root/folder`` (or ``root``), in name order, by the rule above.

    Each is (path relative to the folder, real path), or (that path, the refusal) for a link
    that leads out of ``root`` or loops: it is never followed, nor is anything below it. A
    link that stays inside is followed, and each real folder is walked once, so a loop of
    links inside ends. Nothing is read but folder listings.
    """
    base = root.resolve()
    try:
        start = resolve_inside(base, folder, folder=True) if folder else base
    except ConfineError as exc:
        yield "", exc  # the folder itself leads out: not even listed
        return
    if start.is_dir():
        yield from _walk(base, start, f"{folder}/" if folder else "")


# The folders being listed by _walk: (prefix of their entries, the entries not yet looked at).
_Listing = tuple[str, Iterator[os.DirEntry[str]]]


def _walk(base: Path, start: Path, written: str) -> Iterator[tuple[str, Path | ConfineError]]:
    # Depth first with a stack of its own, not by recursion: a project may hold a folder
    # nested thousands deep (anywhere: the input fingerprint walks every folder), which would
    # otherwise end the walk in a RecursionError, an internal error.
    # ``written`` is how ``start`` is reached from ``base`` (through links inside, as written),
    # so that resolve_inside names a refused link by the path the project writes.
    seen: set[Path] = set()
    stack: list[_Listing] = []
    yield from _enter(start, "", seen, stack)
    while stack:
        prefix, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        if entry.name == "__pycache__":
            continue
        relative, path = prefix + entry.name, Path(entry.path)
        if entry.is_symlink():
            try:
                path = resolve_inside(base, written + relative)
            except ConfineError as exc:
                yield relative, exc
                continue
        if path.is_dir():
            if path not in seen:
                yield from _enter(path, f"{relative}/", seen, stack)
        else:
            yield relative, path


def _enter(
    folder: Path, prefix: str, seen: set[Path], stack: list[_Listing]
) -> Iterator[tuple[str, ConfineError]]:
    """Put the entries of ``folder`` on ``stack`` in name order; the refusal if not listable."""
    seen.add(folder)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield prefix, ConfineError(f"cannot list the folder: {exc.strerror or exc}")
        return
    stack.append((prefix, iter(entries)))


def read_bounded(path: Path | str, limit: int, *, dir_fd: int | None = None) -> bytes:
    """The bytes of the regular file ``path``, refusing more than ``limit`` of them.

    The last component is never followed if it is a link (the caller resolved it already);
    a FIFO, device or folder is refused before a byte is read, without blocking. The limit is
    enforced by reading at most ``limit + 1`` bytes: ``stat`` sizes can lie (``/proc``) or
    change. Raises :class:`ConfineError` or ``OSError``.
    """
    try:
        fd = os.open(path, _READ_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link: put there after the check
            raise ConfineError("is a symbolic link", "replace the link with the file") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFileError(_kind(info.st_mode))
        if info.st_size > limit:
            raise FileTooLargeError(info.st_size, limit)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(_CHUNK, left))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:
            raise FileTooLargeError(None, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_inside(root: Path, relative: str | PurePath, limit: int) -> bytes:
    """The bytes of the project file ``root/relative``: confined, regular, at most ``limit``.

    Raises :class:`ConfineError` (a link out of the project, not a regular file, too large)
    or ``OSError`` (``FileNotFoundError`` when it does not exist).
    """
    real = resolve_inside(root, relative)
    base = root.resolve()
    # Opened component by component without following links: a link swapped in after
    # resolve_inside looked is refused instead of followed.
    folder = open_folder(base, real.parent.relative_to(base).parts)
    try:
        return read_bounded(real.name, limit, dir_fd=folder)
    finally:
        os.close(folder)


def open_folder(
    base: Path, parts: Sequence[str], *, create: bool = False, dir_fd: int | None = None
) -> int:
    """A descriptor of the folder ``base/parts…``, refusing a link at any of ``parts``.

    ``base`` itself is trusted (the project root, or a user's ``--out``); with ``dir_fd`` it
    is relative to that folder. With ``create``, missing folders are made. Raises ``OSError``
    (``ELOOP`` or ``ENOTDIR`` for a link).
    """
    if create and dir_fd is None:
        os.makedirs(base, exist_ok=True)
    fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC, dir_fd=dir_fd)
    try:
        for part in parts:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, dir_fd=fd)
            inner = os.open(part, _FOLDER_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = inner
    except BaseException:
        os.close(fd)
        raise
    return fd


def make_temp_folder(parent_fd: int, prefix: str) -> str:
    """A new private folder ``prefix + 8 random characters`` in ``parent_fd``; its name."""
    while True:
        name = temp_name(prefix)
        try:
            os.mkdir(name, 0o700, dir_fd=parent_fd)
            return name
        except FileExistsError:
            continue


def first_link(base: Path, path: Path) -> Path | None:
    """The first symbolic link from below ``base`` down to ``path`` (included), if any.

    ``base`` is trusted and not looked at; ``path`` must be below it.
    """
    current = base
    for part in path.relative_to(base).parts:
        current = current / part
        if current.is_symlink():
            return current
    return None


def link_refusal(link: Path, root: Path) -> str:
    """The message for a link found where briefgen writes, naming it relative to ``root``."""
    try:
        shown = link.relative_to(root).as_posix()
    except ValueError:
        shown = link.as_posix()
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    return (
        f"{shown} is a symbolic link (to {target}); briefgen writes only inside the "
        "project's output folder: remove the link"
    )


def temp_name(prefix: str, suffix: str = "") -> str:
    """A fresh random name ``prefix + 8 characters + suffix`` for a temporary file or folder."""
    middle = "".join(secrets.choice(TEMP_CHARACTERS) for _ in range(TEMP_NAME_LENGTH))
    return f"{prefix}{middle}{suffix}"
