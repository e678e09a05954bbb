"""Which briefings to render, rendered in a pool of workers: shared by ``build`` and ``publish``.

- :func:`briefing_keys` gives each briefing its key (:mod:`briefgen.render.inputs`); a folder
  whose record holds that key and whose files are as written is up to date.
- :func:`render_all` renders briefings serially, or with ``jobs`` > 1 in a pool of worker
  processes (each keeps its own WeasyPrint font configuration and parsed CSS). Workers only
  render; the parent writes every file, so the outputs are the same bytes as a serial run's,
  and an interrupt never half-writes one.
- :func:`gather_editions` is publish's use of both: the editions of every released briefing,
  read back from ``output/<id>/`` when up to date, else rendered and (when asked) written
  there as ``build`` writes them, so the next build and publish reuse them.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.editions import FILE_NAMES, FORMATS, render_briefing
from briefgen.editions.outputs import (
    KEY_FILE,
    current_outputs,
    remove_stale_temporaries,
    target_problem,
    write_outputs,
)
from briefgen.errors import BuildError
from briefgen.model import Project

Outcome = dict[str, bytes] | str  # the bytes of each file, or why the briefing failed

# The project of a worker process, set once by _start_worker (pickled once per worker, not
# once per briefing).
_worker_project: dict[str, Project] = {}


def briefing_keys(project: Project, ids: Sequence[str]) -> dict[str, str]:
    """The key of each briefing (see :mod:`briefgen.render.inputs`)."""
    from briefgen.render.inputs import briefing_key, has_template_overrides, templates_digest

    # Both look at the templates folder on disk: once per build, not once per briefing.
    templates = templates_digest(project.root)
    overridden = has_template_overrides(project.root)
    return {i: briefing_key(project, i, templates, overridden=overridden) for i in ids}


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


@dataclass(frozen=True)
class OutputFolder:
    """Where each briefing's files live: ``out_dir/<id>/``; no link is followed below ``base``.

    ``root`` is the project's folder (messages name paths relative to it).
    """

    out_dir: Path
    root: Path
    base: Path

    def of(self, briefing_id: str) -> Path:
        """The folder of one briefing."""
        return self.out_dir / briefing_id


@dataclass
class Editions:
    """The requested formats of each briefing, and which were rendered or reused."""

    files: dict[str, dict[str, bytes]] = field(default_factory=dict)  # id -> format -> bytes
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)


def gather_editions(
    project: Project,
    formats: Sequence[str],
    *,
    folder: OutputFolder | None = None,
    write: bool = False,
    jobs: int = 1,
    on_start: Callable[[int], None] | None = None,
    on_rendered: Callable[[str], None] | None = None,
) -> Editions:
    """The ``formats`` of every briefing of ``project``, each reused or rendered.

    With ``folder``, a briefing whose files there are up to date (same key, digests as
    recorded) is read back, not rendered; with ``write`` too, the others are rendered in every
    format and written there as ``build`` writes them. Without ``folder`` everything is
    rendered in memory. ``on_start`` learns how many will be rendered, ``on_rendered`` each
    one done. Raises :class:`BuildError` ("<id>: why") when one cannot be made.
    """
    ids = sorted(project.briefings)
    keys = briefing_keys(project, ids) if folder is not None else {}
    result = Editions()
    if folder is not None:
        _reuse(folder, keys, formats, result)
    todo = [i for i in ids if i not in result.files]
    target = folder if write else None
    if target is not None:
        _prepare(target, todo)
    # Written files are all of build's formats, so that the next build reuses them too.
    made = FORMATS if target is not None else tuple(formats)
    if on_start:
        on_start(len(todo))
    for briefing_id, outcome in render_all(project, todo, made, jobs):
        if isinstance(outcome, str):
            raise BuildError(f"{briefing_id}: {outcome}")
        if target is not None:
            _write(target, briefing_id, outcome, keys[briefing_id])
        result.files[briefing_id] = {f: outcome[FILE_NAMES[f]] for f in formats}
        result.rendered.append(briefing_id)
        if on_rendered:
            on_rendered(briefing_id)
    result.rendered.sort()  # parallel renders finish in any order
    return result


def _reuse(
    folder: OutputFolder, keys: dict[str, str], formats: Sequence[str], result: Editions
) -> None:
    """Read back the briefings whose files in ``folder`` are up to date."""
    names = [FILE_NAMES[f] for f in formats]
    for briefing_id, key in keys.items():
        found = current_outputs(folder.of(briefing_id), key, names, folder.base)
        if found is not None:
            result.files[briefing_id] = {f: found[FILE_NAMES[f]] for f in formats}
            result.reused.append(briefing_id)


def _prepare(folder: OutputFolder, ids: Sequence[str]) -> None:
    """Clean up after an interrupted run, and refuse a folder in the way before any render."""
    names = [*FILE_NAMES.values(), KEY_FILE]
    for briefing_id in ids:
        remove_stale_temporaries(folder.of(briefing_id), folder.base)
        problem = target_problem(folder.of(briefing_id), names, folder.root, folder.base)
        if problem:
            raise BuildError(f"{briefing_id}: {problem}")


def _write(folder: OutputFolder, briefing_id: str, outputs: dict[str, bytes], key: str) -> None:
    try:
        write_outputs(folder.of(briefing_id), briefing_id, outputs, key, folder.root, folder.base)
    except BuildError as exc:
        raise BuildError(f"{briefing_id}: {exc}") from exc
