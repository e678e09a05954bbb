"""Working through many briefing files on two cores: a forked copy takes the second half.

Reading a briefing (parsing its YAML and building its data and positions) costs about 2 ms of
CPU, checking it about as much again, far more than handing a result over: pickled, a
thousand briefings' data come back in well under a tenth of a second. So when there are many
files, a second core is free and the process can fork safely (no other thread, which might
hold a lock the copy would wait for forever), a forked copy of the process works through the
second half of the files while this one works through the first, and sends its result back
through a pipe. Nothing else changes: each half is the same work on fewer files. Should the
copy fail in any way, its half is done here instead.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from briefgen.diagnostics import Report
from briefgen.load.yaml_reader import LoadedFile, read_yaml_file

# Below this many files, working here is quicker than forking (a few milliseconds).
FORK_FROM = 64

Read = tuple[LoadedFile | None, Report]
Item = TypeVar("Item")
Result = TypeVar("Result")


def read_yaml_files(files: Sequence[tuple[Path, str]], root: Path) -> list[Read]:
    """Each ``(path, display)`` read by :func:`read_yaml_file` below ``root``, in order, with the
    diagnostics of each file in a report of its own."""

    def read(half: Sequence[tuple[Path, str]]) -> list[Read]:
        return read_here(half, root)

    if not can_split(len(files)):
        return read(files)
    first, second = in_two_halves(files, read)
    return first + second


def read_here(files: Sequence[tuple[Path, str]], root: Path) -> list[Read]:
    """:func:`read_yaml_files` in this process only."""
    found = []
    for path, display in files:
        report = Report()
        found.append((read_yaml_file(path, display, report, root), report))
    return found


def can_split(count: int) -> bool:
    """True when ``count`` files are worth a second core and a forked copy can take half."""
    return count >= FORK_FROM and _can_fork()


def _can_fork() -> bool:
    """True when fork exists, there is a second core, and no other thread runs (``briefgen
    serve`` has some; a copy could hang on a lock one held)."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(2)
    return len(cores) > 1


def in_two_halves(
    items: Sequence[Item], work: Callable[[Sequence[Item]], Result]
) -> tuple[Result, Result]:
    """``work`` on the first half of ``items`` here while a forked copy does the second half.

    ``work`` must not depend on running in this process (the copy's changes to anything but
    its result are lost) and its result must pickle. Call only when :func:`can_split`.
    """
    half = len(items) // 2
    mine, theirs = items[:half], items[half:]
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: work, send, and leave without running any exit handler
        code = 1
        try:
            os.close(readable)
            blob = pickle.dumps(work(theirs), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writable, "wb") as pipe:
                pipe.write(blob)
            code = 0
        finally:
            os._exit(code)
    os.close(writable)
    source = os.fdopen(readable, "rb")
    try:
        found = work(mine)
        blob = source.read()
    finally:
        # Closed before waiting: should the work here fail, the copy's write then fails too
        # and it ends, instead of waiting forever for a reader.
        source.close()
        _, status = os.waitpid(pid, 0)
    return found, _sent(blob, status, theirs, work)


def _sent(
    blob: bytes, status: int, items: Sequence[Item], work: Callable[[Sequence[Item]], Result]
) -> Result:
    """What the copy sent; its half done here if it did not finish."""
    if status == 0 and blob:
        try:
            result: Result = pickle.loads(blob)  # our own copy's data, through our own pipe
            return result
        except (pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass
    return work(items)
