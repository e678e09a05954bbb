"""Reading many YAML files at once: the briefings of a large project, on two cores.

Reading a briefing (parsing its YAML and building its data and positions) costs about 2 ms of
CPU, far more than handing the result over: pickled, a thousand briefings' data come back in
well under a tenth of a second. So when there are many files, a second core is free and the
process can fork safely (no other thread, which might hold a lock the copy would wait for
forever), a forked copy of the process reads the second half of the files while this one reads
the first half, and sends its results back through a pipe. Nothing else changes: each file is
read by :func:`read_yaml_file` with the same rules, and the results and their diagnostics come
back in the files' order. Should the copy fail in any way, its half is read here instead.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Sequence
from pathlib import Path

from briefgen.diagnostics import Report
from briefgen.load.yaml_reader import LoadedFile, read_yaml_file

# Below this many files, reading them here is quicker than forking (a few milliseconds).
FORK_FROM = 64

Read = tuple[LoadedFile | None, Report]


def read_yaml_files(files: Sequence[tuple[Path, str]], root: Path) -> list[Read]:
    """Each ``(path, display)`` read by :func:`read_yaml_file` below ``root``, in order, with the
    diagnostics of each file in a report of its own."""
    if len(files) < FORK_FROM or not _can_fork():
        return _read(files, root)
    half = len(files) // 2
    return _read_forked(files[:half], files[half:], root)


def _read(files: Sequence[tuple[Path, str]], root: Path) -> list[Read]:
    found = []
    for path, display in files:
        report = Report()
        found.append((read_yaml_file(path, display, report, root), report))
    return found


def _can_fork() -> bool:
    """True when a forked copy can read in parallel: fork exists, there is a second core, and
    no other thread runs (``briefgen serve`` has some; a copy could hang on a lock one held)."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return False
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(2)
    return len(cores) > 1


def _read_forked(
    mine: Sequence[tuple[Path, str]], theirs: Sequence[tuple[Path, str]], root: Path
) -> list[Read]:
    """``mine`` read here while a forked copy reads ``theirs``; both in order."""
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: read, send, and leave without running any exit handler
        code = 1
        try:
            os.close(readable)
            blob = pickle.dumps(_read(theirs, root), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writable, "wb") as pipe:
                pipe.write(blob)
            code = 0
        finally:
            os._exit(code)
    os.close(writable)
    source = os.fdopen(readable, "rb")
    try:
        found = _read(mine, root)
        blob = source.read()
    finally:
        # Closed before waiting: should reading here fail, the copy's write then fails too
        # and it ends, instead of waiting forever for a reader.
        source.close()
        _, status = os.waitpid(pid, 0)
    return found + _results(blob, status, theirs, root)


def _results(blob: bytes, status: int, files: Sequence[tuple[Path, str]], root: Path) -> list[Read]:
    """What the copy sent; its files read here if it did not finish."""
    if status == 0 and blob:
        try:
            sent: list[Read] = pickle.loads(blob)  # our own copy's data, through our own pipe
            if len(sent) == len(files):
                return sent
        except (pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass
    return _read(files, root)
