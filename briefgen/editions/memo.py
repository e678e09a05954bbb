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
import json
import os
import stat
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

from briefgen.diagnostics import Location, Report, Severity
from briefgen.load.confine import ConfineError, open_folder, read_bounded, temp_name

MEMO_VERSION = 1
MAX_MEMO_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Memo:
    """What a command's last successful run found and made, under its input fingerprint.

    ``outputs`` names what it made (build: each briefing's key; publish: each site file's
    digest); ``facts`` holds what it said beyond the report (counts, withheld briefings).
    """

    fingerprint: str
    report: Report
    history_note: str | None
    outputs: dict[str, str]
    facts: dict[str, Any]
    stamps: dict[str, list[int]]  # see stamp_files: what binds the record to its outputs


def read_memo(folder: Path, base: Path, name: str) -> Memo | None:
    """The record ``folder/name``; None when there is none or it is not one briefgen wrote.

    ``folder`` is opened from ``base`` without following a link.
    """
    try:
        folder_fd = open_folder(base, folder.relative_to(base).parts)
    except (OSError, ValueError):
        return None
    try:
        data = json.loads(read_bounded(name, MAX_MEMO_BYTES, dir_fd=folder_fd))
        memo = _memo_from(data)
    except (ConfineError, OSError, ValueError, KeyError, TypeError):
        return None  # none yet, or not one briefgen wrote: a full run
    finally:
        os.close(folder_fd)
    return memo


def write_memo(folder: Path, base: Path, name: str, memo: Memo) -> None:
    """Replace ``folder/name`` with ``memo``, atomically; a failure only costs the shortcut.

    Best effort by design: the outputs are already written, and without a record the next
    run is a full one. A folder that does not exist (nothing was written) gets no record.
    """
    data = json.dumps(_memo_to(memo), sort_keys=True, ensure_ascii=True).encode()
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


def stamp_files(folder: Path, relatives: list[str]) -> dict[str, list[int]] | None:
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
        stamps[relative] = [info.st_ino, info.st_ctime_ns, info.st_size]
    return stamps


def stamps_hold(folder: Path, memo: Memo) -> bool:
    """True when every file the record stamped is still the very file it stamped."""
    return bool(memo.stamps) and stamp_files(folder, sorted(memo.stamps)) == memo.stamps


def _memo_to(memo: Memo) -> dict[str, Any]:
    items = [
        [*astuple(d.location), d.severity.value, d.message, d.hint, d.code]
        for d in memo.report.items
    ]
    return {
        "version": MEMO_VERSION,
        "fingerprint": memo.fingerprint,
        "report": items,
        "history_note": memo.history_note,
        "outputs": memo.outputs,
        "facts": memo.facts,
        "stamps": memo.stamps,
    }


def _memo_from(data: dict[str, Any]) -> Memo:
    """The record as written by :func:`_memo_to`; ValueError/KeyError/TypeError otherwise."""
    if data["version"] != MEMO_VERSION:
        raise ValueError("another version of the record")
    report = Report()
    for path, line, column, severity, message, hint, code in data["report"]:
        if not all(isinstance(x, str) for x in (path, message, code)) or not (
            hint is None or isinstance(hint, str)
        ):
            raise TypeError("a diagnostic that is not text")
        report.add(Location(path, int(line), int(column)), Severity(severity), message, hint, code)
    note = data["history_note"]
    outputs = data["outputs"]
    if not (note is None or isinstance(note, str)) or not isinstance(data["facts"], dict):
        raise TypeError("a malformed record")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in outputs.items()):
        raise TypeError("a malformed list of outputs")
    stamps = {str(k): [int(n) for n in v] for k, v in data["stamps"].items()}
    # Names of outputs and stamped files are joined to the output folder before anything is
    # checked: only plain paths below it ('../x' or '/x' would reach outside the project).
    if not all(_below(name) for name in [*outputs, *stamps]):
        raise ValueError("a name that leads out of the output folder")
    facts = dict(data["facts"])
    return Memo(str(data["fingerprint"]), report, note, dict(outputs), facts, stamps)


def _below(name: str) -> bool:
    """True for a relative POSIX path of plain names ('a/b'): no '..', '.', '', '\\' or NUL."""
    parts = name.split("/")
    plain = "\\" not in name and "\0" not in name
    return plain and all(part not in ("", ".", "..") for part in parts)
