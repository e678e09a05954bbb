"""The record of a command's last successful run, so that a run with nothing changed is instant.

A ``build`` or ``publish`` whose inputs are all as they were (the same
:func:`briefgen.editions.fingerprint.input_fingerprint`) would validate to the same report and
render the same bytes: its outcome is recalled from this record instead, once the outputs it
names are checked to be still there as written. Anything else (another fingerprint, a record
that is missing, unreadable or malformed, an output edited or deleted) means a full run.

The record is a small JSON file in the output folder, beside the outputs it describes, read
and written like them: never through a symbolic link, bounded, and replaced atomically.

The output folder is untrusted (a project may arrive with one), and a recalled run skips
validation, so a record must not be forgeable: one shipped with a project would otherwise
have a build report no problems, or a publish keep a site that breaks the publish ceiling.
Each record therefore holds the *stamp* of every output it names, taken on this machine
right after they were written: inode number, change time in nanoseconds and size. No one
can make files with given inode numbers and change times (the kernel sets both), so a record
only holds for the very files this machine wrote; a copy, a checkout or a restore of the
folder makes a full run. The files' contents are checked as well.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from briefgen.diagnostics import Location, Report, Severity
from briefgen.load.confine import ConfineError, open_folder, read_bounded, temp_name

# A file's inode number, change time in nanoseconds and size (see :func:`stamp_of`).
Stamp = tuple[int, int, int]


MEMO_VERSION: Literal[2] = 2  # a record of another version is none
MAX_MEMO_BYTES = 64 * 1024 * 1024


class RecordFacts(BaseModel):
    """What a command keeps in its record besides its outputs; each command defines its own.

    Strict and closed, like the whole record: a value of another type or a field more is a
    record briefgen did not write, so none at all.
    """

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


F = TypeVar("F", bound=RecordFacts)


@dataclass
class Memo(Generic[F]):
    """What a command's last successful run found and made, under its input fingerprint.

    ``outputs`` names what it made (build: each briefing's key; publish: each site file's
    digest); ``facts`` holds what it said beyond the report (counts, withheld briefings).
    """

    fingerprint: str
    report: Report
    history_note: str | None
    outputs: dict[str, str]
    facts: F
    stamps: dict[str, Stamp]  # see stamp_files: binds the record to its outputs
    # Files read that the fingerprint leaves out (an archive in output/): path -> digest.
    unwalked: dict[str, str] = field(default_factory=dict)


def read_memo(folder: Path, base: Path, name: str, facts: type[F]) -> Memo[F] | None:
    """The record ``folder/name``; None when there is none or it is not one briefgen wrote.

    ``folder`` is opened from ``base`` without following a link. ``facts`` is the model of
    what the command keeps besides its outputs.
    """
    try:
        folder_fd = open_folder(base, folder.relative_to(base).parts)
    except (OSError, ValueError):
        return None
    try:
        record = _record_model(facts).model_validate_json(
            read_bounded(name, MAX_MEMO_BYTES, dir_fd=folder_fd)
        )
    except (ConfineError, OSError, ValidationError):
        return None  # none yet, or not one briefgen wrote: a full run
    finally:
        os.close(folder_fd)
    return _memo_from(record)


def write_memo(folder: Path, base: Path, name: str, memo: Memo[F]) -> None:
    """Replace ``folder/name`` with ``memo``, atomically; a failure only costs the shortcut.

    Best effort by design: the outputs are already written, and without a record the next
    run is a full one. A folder that does not exist (nothing was written) gets no record.
    """
    data = _memo_to(memo).model_dump_json().encode()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        folder_fd = open_folder(base, folder.relative_to(base).parts)
    except (OSError, ValueError):
        return
    temp = temp_name(f".{name}.", ".tmp")
    try:
        with os.fdopen(os.open(temp, flags, 0o666, dir_fd=folder_fd), "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp, dir_fd=folder_fd)
    finally:
        os.close(folder_fd)


def forget_memo(folder: Path, base: Path, name: str) -> None:
    """Delete the record ``folder/name``, if any (a run that changed outputs without one)."""
    try:
        folder_fd = open_folder(base, folder.relative_to(base).parts)
    except (OSError, ValueError):
        return
    try:
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=folder_fd)
    finally:
        os.close(folder_fd)


def stamp_of(info: os.stat_result) -> Stamp:
    """The stamp of a file: what only the very file written on this machine has (the kernel
    sets the inode number and change time: see the module's docstring)."""
    return (info.st_ino, info.st_ctime_ns, info.st_size)


def stamp_files(folder: Path, relatives: list[str]) -> dict[str, Stamp] | None:
    """The stamp (inode, change time in ns, size) of each file ``folder/relative``.

    None when one is missing or not a regular file: no record is then kept.
    """
    stamps = {}
    for relative in relatives:
        try:
            info = os.lstat(folder / relative)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        stamps[relative] = stamp_of(info)
    return stamps


def stamps_hold(folder: Path, memo: Memo[F]) -> bool:
    """True when every file the record stamped is still the very file it stamped."""
    return bool(memo.stamps) and stamp_files(folder, sorted(memo.stamps)) == memo.stamps


def _plain_path(name: str) -> str:
    """``name`` when it is a relative POSIX path of plain names ('a/b'); ValueError otherwise.

    Names of outputs and stamped files are joined to the output folder before anything is
    checked: '../x', '/x', '', '.' or a backslash or NUL would reach outside the project.
    """
    plain = "\\" not in name and "\0" not in name
    if not plain or any(part in ("", ".", "..") for part in name.split("/")):
        raise ValueError("a name that leads out of the output folder")
    return name


PlainPath = Annotated[str, AfterValidator(_plain_path)]
# path, line, column, severity, message, hint, code
DiagnosticRow = tuple[str, int, int, Severity, str, str | None, str]


class _RecordFile(BaseModel, Generic[F]):
    """The record as stored: JSON, every field of its exact type (see :class:`Memo`)."""

    model_config = ConfigDict(strict=True, extra="forbid")

    version: Literal[2]
    fingerprint: str
    report: list[DiagnosticRow]
    history_note: str | None
    outputs: dict[PlainPath, str]
    facts: F
    stamps: dict[PlainPath, Stamp]
    unwalked: dict[PlainPath, str]


def _record_model(facts: type[F]) -> type[_RecordFile[F]]:
    """The record's model with ``facts`` for its facts (parsed from JSON in one pass)."""
    return _RecordFile[facts]  # type: ignore[valid-type]  # parametrised at run time


def _memo_to(memo: Memo[F]) -> _RecordFile[F]:
    rows: list[DiagnosticRow] = [
        (*astuple(d.location), d.severity, d.message, d.hint, d.code) for d in memo.report.items
    ]
    return _RecordFile(
        version=MEMO_VERSION,
        fingerprint=memo.fingerprint,
        report=rows,
        history_note=memo.history_note,
        outputs=memo.outputs,
        facts=memo.facts,
        stamps=memo.stamps,
        unwalked=memo.unwalked,
    )


def _memo_from(record: _RecordFile[F]) -> Memo[F]:
    report = Report()
    for path, line, column, severity, message, hint, code in record.report:
        report.add(Location(path, line, column), severity, message, hint, code)
    return Memo(
        record.fingerprint,
        report,
        record.history_note,
        record.outputs,
        record.facts,
        record.stamps,
        record.unwalked,
    )
