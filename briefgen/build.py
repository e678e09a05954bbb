"""The build pipeline: validate, then render each briefing on its own, then write atomically.

Read top to bottom, it is the pipeline:

1. :func:`validate_project` checks everything; with any error (or warning under ``--strict``)
   nothing is written at all.
2. :func:`briefgen.editions.render_briefing` turns one briefing into the bytes of each
   requested format. It is a pure function of the project, the templates and the briefgen
   version — one independent unit of work, ready to run in parallel or to be skipped when its
   inputs have not changed.
3. :func:`write_outputs` writes the files of one briefing: it first checks that every target
   can be written (:func:`target_problem`), then writes each to a temporary file in the same
   folder and, only when all are written, renames them over the old ones. An error or an
   interrupt never leaves a half-written file or a mix of old and new files, and a briefing that
   fails to render or to be written leaves its previous outputs untouched.

Because each briefing is a pure function of its inputs, builds are incremental and parallel:

- Incremental: the key of a briefing (:func:`briefgen.render.inputs.briefing_key`) digests
  everything its outputs depend on. It is stored beside them in ``output/<id>/.briefgen-key``
  with the digest of each file; a briefing whose key and files are unchanged is skipped.
  ``force`` renders everything again.
- Parallel: with ``jobs`` > 1, briefings render in a pool of worker processes (each keeps its
  own WeasyPrint font configuration and parsed CSS); the parent writes every file, so the
  outputs are the same bytes as a serial build's, and an interrupt never half-writes one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import re
import signal
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.diagnostics import Report
from briefgen.editions import FILE_NAMES, FORMATS, render_briefing
from briefgen.errors import BuildError, UsageError
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
from briefgen.model import Project
from briefgen.validate import validate_project

OUTPUT_DIR = "output"
# Beside a briefing's outputs: the key of the inputs they were made from, and their digests.
KEY_FILE = ".briefgen-key"
# The most of an existing output that is read to compare it (far above any real briefing).
MAX_OUTPUT_BYTES = 1024 * 1024 * 1024


class UnknownBriefingError(UsageError):
    """``--only`` named an id that is not a briefing of the project."""

    def __init__(self, briefing_id: str, project: Project) -> None:
        known = ", ".join(sorted(project.briefings))
        super().__init__(f"no briefing '{briefing_id}' in {project.root} (briefings: {known})")
        self.briefing_id = briefing_id


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where."""

    formats: tuple[str, ...] = FORMATS
    only: tuple[str, ...] = ()
    out_dir: Path | None = None  # default: <project>/output
    strict: bool = False
    jobs: int = 1  # worker processes; 1 renders in this process
    force: bool = False  # render even the briefings whose outputs are up to date


@dataclass(frozen=True)
class Written:
    """One output file, and whether its bytes changed."""

    briefing_id: str
    path: Path
    size: int
    changed: bool


@dataclass
class BuildResult:
    """What a build did: the validation report, the files written, the briefings that failed."""

    report: Report
    valid: bool = False
    written: list[Written] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # up to date: not rendered

    @property
    def ok(self) -> bool:
        """True when the content was valid and every briefing was written."""
        return self.valid and not self.failures


def _same_bytes(folder_fd: int, name: str, data: bytes) -> bool:
    # Read without following a link (an output that is a link is never read through).
    try:
        return read_bounded(name, len(data), dir_fd=folder_fd) == data
    except (ConfineError, OSError):
        return False


def _stage(folder_fd: int, name: str, data: bytes, shown: Path) -> str:
    """``data`` in a new temporary file beside ``name``, flushed to disk; renamed later.

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
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as exc:
        _unlink(temp, folder_fd)
        if isinstance(exc, OSError) and not exc.filename:
            exc.filename = str(shown)  # a failed write (a full disk) names no file by itself
        raise
    return temp


def _unlink(name: str, folder_fd: int) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(name, dir_fd=folder_fd)


def write_files(folder: Path, files: dict[str, bytes], base: Path | None = None) -> dict[str, bool]:
    """Write ``files`` into ``folder`` as one set; for each name, whether its bytes changed.

    Every changed file is first written in full to a temporary file beside it; only when all
    of them are written are they renamed into place. A failure before that (a full disk, a
    folder where a file should be) deletes the temporary files and replaces nothing.
    ``folder`` is opened from ``base`` (default: its parent) without following a link, and
    every file is made and renamed through that descriptor: a link put in the way after the
    checks is refused, never followed.
    """
    base = base if base is not None else folder.parent
    try:
        folder_fd = open_folder(base, folder.relative_to(base).parts, create=True)
    except OSError as exc:
        exc.filename = str(folder)  # else the part of the path that failed, out of context
        raise
    try:
        changed = {name: not _same_bytes(folder_fd, name, data) for name, data in files.items()}
        staged: list[tuple[str, str]] = []
        try:
            for name in (n for n in files if changed[n]):
                staged.append((_stage(folder_fd, name, files[name], folder / name), name))
            for temp, name in staged:
                os.replace(temp, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
        except BaseException:
            for temp, _ in staged:
                _unlink(temp, folder_fd)  # already renamed: nothing to delete
            raise
    finally:
        os.close(folder_fd)
    return changed


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

    Raises :class:`BuildError` (naming the path) when they cannot be written; the previous
    outputs of the briefing are then left as they were. ``base``: see :func:`target_problem`.
    """
    base = base if base is not None else root
    files = {**outputs, KEY_FILE: key_record(key, outputs)}
    problem = target_problem(folder, files, root, base)
    if problem:
        raise BuildError(problem)
    try:
        changed = write_files(folder, files, base)
    except OSError as exc:
        raise BuildError(_os_problem(exc, root)) from exc
    return [
        Written(briefing_id, folder / name, len(outputs[name]), changed[name])
        for name in sorted(outputs)
    ]


def select_briefings(project: Project, only: Iterable[str]) -> list[str]:
    """The ids to build, in name order; raises :class:`UnknownBriefingError` for an unknown id."""
    wanted = list(dict.fromkeys(only))
    for briefing_id in wanted:
        if briefing_id not in project.briefings:
            raise UnknownBriefingError(briefing_id, project)
    return wanted or sorted(project.briefings)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def up_to_date(folder: Path, key: str, formats: Sequence[str], base: Path | None = None) -> bool:
    """True when ``folder`` holds the outputs of ``key``, every one as it was written.

    Read from ``base`` (default: the folder's parent) without following any link: an output,
    a record or a folder that is a link is never read through; it is not up to date, and
    :func:`target_problem` then refuses it.
    """
    base = base if base is not None else folder.parent
    try:
        folder_fd = open_folder(base, folder.relative_to(base).parts)
    except OSError:
        return False
    try:
        record = json.loads(read_bounded(KEY_FILE, MAX_OUTPUT_BYTES, dir_fd=folder_fd))
        recorded = dict(record["files"])
        if record["key"] != key or set(recorded) != {FILE_NAMES[f] for f in formats}:
            return False
        # Each file as written: a file edited or deleted by hand is made again.
        return all(
            _sha256(read_bounded(n, MAX_OUTPUT_BYTES, dir_fd=folder_fd)) == d
            for n, d in recorded.items()
        )
    except (ConfineError, OSError, ValueError, KeyError, TypeError):
        return False  # no record, an unreadable one, or a missing output: build
    finally:
        os.close(folder_fd)


def key_record(key: str, outputs: dict[str, bytes]) -> bytes:
    """The record kept beside the outputs: the key they were made from, the digest of each."""
    files = {name: _sha256(data) for name, data in sorted(outputs.items())}
    return (json.dumps({"key": key, "files": files}, indent=1, sort_keys=True) + "\n").encode()


def briefing_keys(project: Project, ids: Sequence[str], formats: Sequence[str]) -> dict[str, str]:
    """The key of each briefing (see :mod:`briefgen.render.inputs`)."""
    from briefgen.render.inputs import briefing_key, templates_digest

    templates = templates_digest(project.root)
    return {i: briefing_key(project, i, formats, templates) for i in ids}


Outcome = dict[str, bytes] | str  # the bytes of each file, or why the briefing failed

# The project of a worker process, set once by _start_worker (pickled once per worker, not
# once per briefing).
_worker_project: dict[str, Project] = {}


def _render_outcome(project: Project, briefing_id: str, formats: Sequence[str]) -> Outcome:
    try:
        return render_briefing(project, briefing_id, formats)
    except BuildError as exc:
        return str(exc)


def _start_worker(project: Project) -> None:
    # The parent handles Ctrl-C (it owns the files); workers just finish or are cancelled.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_project["project"] = project


def _render_in_worker(briefing_id: str, formats: tuple[str, ...]) -> tuple[str, Outcome]:
    return briefing_id, _render_outcome(_worker_project["project"], briefing_id, formats)


def render_all(
    project: Project, ids: Sequence[str], formats: Sequence[str], jobs: int = 1
) -> Iterator[tuple[str, Outcome]]:
    """(id, outcome) of each briefing: in order when serial, as they finish when parallel."""
    workers = min(jobs, len(ids))
    if workers <= 1:
        for briefing_id in ids:
            yield briefing_id, _render_outcome(project, briefing_id, formats)
        return
    # "spawn": a fresh interpreter per worker, safe whatever threads the parent runs (the
    # progress bar has one) and the same on every platform.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, context, initializer=_start_worker, initargs=(project,))
    try:
        futures: list[Future[tuple[str, Outcome]]] = [
            pool.submit(_render_in_worker, i, tuple(formats)) for i in ids
        ]
        for future in as_completed(futures):
            yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _plan(
    project: Project, options: BuildOptions, out_dir: Path, result: BuildResult, base: Path
) -> tuple[list[str], dict[str, str]]:
    """The briefings to render, and the key of each; records those skipped or unwritable.

    The stale temporary files of an interrupted build are removed from the folder of each
    selected briefing first, rendered again or not.
    """
    ids = select_briefings(project, options.only)
    keys = briefing_keys(project, ids, options.formats)
    for briefing_id in ids:
        remove_stale_temporaries(out_dir / briefing_id, base)
    todo = [
        i
        for i in ids
        if options.force or not up_to_date(out_dir / i, keys[i], options.formats, base)
    ]
    result.skipped = [i for i in ids if i not in todo]
    # Checked before rendering too, so an unwritable output folder costs no PDF render.
    names = [*(FILE_NAMES[f] for f in options.formats), KEY_FILE]
    for briefing_id in list(todo):
        problem = target_problem(out_dir / briefing_id, names, project.root, base)
        if problem:
            result.failures[briefing_id] = problem
            todo.remove(briefing_id)
    return todo, keys


def build(
    root: Path,
    options: BuildOptions,
    on_progress: Callable[[str], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> BuildResult:
    """Validate the project at ``root``, then render and write each selected briefing.

    Briefings whose outputs are up to date are skipped (unless ``options.force``); the others
    render in ``options.jobs`` processes. Raises :class:`UnknownBriefingError` for an ``--only`` id
    that is not a briefing of the project.
    """
    project, report = validate_project(root)
    result = BuildResult(report)
    if project is None or report.failed(options.strict):
        return result
    result.valid = True
    out_dir = options.out_dir or root / OUTPUT_DIR
    # Links are refused from the project root down (output/ itself included); a user's --out
    # is their own choice of folder, and only what is below it is checked.
    base = options.out_dir or root
    todo, keys = _plan(project, options, out_dir, result, base)
    if on_start:
        on_start(len(todo))
    for briefing_id, outcome in render_all(project, todo, options.formats, options.jobs):
        try:
            if isinstance(outcome, str):
                raise BuildError(outcome)
            folder = out_dir / briefing_id
            key = keys[briefing_id]
            result.written += write_outputs(folder, briefing_id, outcome, key, root, base)
        except BuildError as exc:
            result.failures[briefing_id] = str(exc)
        if on_progress:
            on_progress(briefing_id)
    # Parallel renders finish in any order; the result reads the same as a serial build's.
    result.written.sort(key=lambda w: (w.briefing_id, w.path.name))
    result.failures = dict(sorted(result.failures.items()))
    return result
