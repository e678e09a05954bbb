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
import os
import signal
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.editions import FILE_NAMES, FORMATS, render_briefing
from briefgen.editions.outputs import (
    KEY_FILE,
    OutputBatch,
    current_outputs,
    remove_stale_temporaries,
    target_problem,
)
from briefgen.errors import BuildError
from briefgen.model import Project
from briefgen.model.editions import edition_key

if TYPE_CHECKING:
    import jinja2

    from briefgen.render import BriefingView

Outcome = dict[str, bytes] | str  # the bytes of each file, or why the briefing failed

# What a worker process renders with, set once by _start_worker: the project (pickled once per
# worker, not once per briefing) and, from its first briefing on, the one Jinja environment.
_worker: dict[str, Any] = {}
# Imported by the fork server before it forks any worker (see _pool_context): the modules every
# render needs; WeasyPrint's only when PDFs are made.
_PRELOAD = ("briefgen.editions", "briefgen.render")
_PRELOAD_PDF = ("briefgen.pdf",)
EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"  # read by the PDF renderer; part of the build key


def briefing_keys(project: Project, ids: Sequence[str]) -> dict[str, str]:
    """The key of each briefing (see :mod:`briefgen.render.inputs`)."""
    return {i: keyed.key for i, keyed in keyed_briefings(project, ids).items()}


@dataclass(frozen=True)
class Keyed:
    """A briefing's key, and the sources it refers to (those its key covers)."""

    key: str
    sources: tuple[str, ...]


def keyed_briefings(project: Project, ids: Sequence[str]) -> dict[str, Keyed]:
    """The key of each briefing and the sources it refers to, from one reading of its inputs.

    The sources are :func:`briefgen.model.references.scoped_to`'s, the same ids the check for
    unused sources counts as cited: a build keeps them to check that again for a few changed
    briefings alone.
    """
    from briefgen.render.inputs import (
        briefing_inputs,
        has_template_overrides,
        key_of,
        templates_digest,
    )

    # Both look at the templates folder on disk: once per build, not once per briefing.
    templates = templates_digest(project.root)
    overridden = has_template_overrides(project.root)
    keyed = {}
    for briefing_id in ids:
        inputs = briefing_inputs(project, briefing_id, templates, overridden=overridden)
        keyed[briefing_id] = Keyed(key_of(inputs), tuple(inputs["sources"]))
    return keyed


def _render_outcome(
    project: Project,
    briefing_id: str,
    formats: Sequence[str],
    env: jinja2.Environment,
    view: BriefingView | None = None,
) -> Outcome:
    try:
        return render_briefing(project, briefing_id, formats, env=env, view=view)
    except BuildError as exc:
        return str(exc)


def _environment(project: Project) -> jinja2.Environment:
    from briefgen.render import make_environment

    return make_environment(project.root)


def _start_worker(project: Project, epoch: str | None) -> None:
    # The parent handles Ctrl-C (it owns the files); workers just finish or are cancelled.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A fork server's environment is the parent's when the server started; the build key
    # holds SOURCE_DATE_EPOCH as it is now, so the worker takes it from the parent.
    if epoch is None:
        os.environ.pop(EPOCH_VARIABLE, None)
    else:
        os.environ[EPOCH_VARIABLE] = epoch
    _worker.clear()
    _worker["project"] = project


def _render_in_worker(briefing_id: str, formats: tuple[str, ...]) -> tuple[str, Outcome]:
    project: Project = _worker["project"]
    if "env" not in _worker:
        _worker["env"] = _environment(project)
    return briefing_id, _render_outcome(project, briefing_id, formats, _worker["env"])


def _pool_context(formats: Sequence[str]) -> multiprocessing.context.BaseContext:
    """How worker processes start: from a fork server that has imported the renderers.

    "fork" copies the parent as it is, threads' locks included (the progress bar runs a
    thread), which can deadlock a worker; "spawn" starts a fresh interpreter per worker that
    imports briefgen, Jinja2 and WeasyPrint again (about half a second each). The fork server
    is a fresh single-threaded process that imports them once; every worker is a fork of it,
    safe and already loaded. Where there is no fork server (Windows), "spawn".
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    preload = _PRELOAD + (_PRELOAD_PDF if "pdf" in formats else ())
    context.set_forkserver_preload(list(preload))  # no effect once the server runs
    return context


def start_workers_early(formats: Sequence[str], jobs: int) -> None:
    """Start the fork server of :func:`render_all`'s workers now, for ``jobs`` > 1.

    Its imports (WeasyPrint's take half a second) then run while this process validates the
    project, instead of when the first briefing is handed out. Harmless when nothing ends up
    rendered: the server waits, and ends with this process.
    """
    context = _pool_context(formats)
    if jobs > 1 and context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def render_all(
    project: Project,
    ids: Sequence[str],
    formats: Sequence[str],
    jobs: int = 1,
    *,
    env: jinja2.Environment | None = None,
    views: Mapping[str, BriefingView] | None = None,
) -> Iterator[tuple[str, Outcome]]:
    """(id, outcome) of each briefing: in order when serial, as they finish when parallel.

    Serial renders share one Jinja environment (``env``, made here when not given), so each
    template is compiled once per build; ``views`` are briefing views already built (by
    publish's pages), used instead of building them again. Each worker process makes its
    own environment once and builds its own views.
    """
    workers = min(jobs, len(ids))
    if workers <= 1:
        if not ids:
            return
        shared = env if env is not None else _environment(project)
        for briefing_id in ids:
            view = views.get(briefing_id) if views else None
            yield briefing_id, _render_outcome(project, briefing_id, formats, shared, view)
        return
    context = _pool_context(formats)
    epoch = os.environ.get(EPOCH_VARIABLE)
    pool = ProcessPoolExecutor(
        workers, context, initializer=_start_worker, initargs=(project, epoch)
    )
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
    # A releasable edition published in its note's place has the folder build gives it,
    # out_dir/<id>/edition-tlp-<label>/, never the full note's (issue 14).
    places: Mapping[str, str] = field(default_factory=dict)
    # Files this machine did not write are reused only when the user vouches for the folder.
    trusted: bool = False

    def of(self, briefing_id: str) -> Path:
        """The folder of one briefing."""
        return self.out_dir / self.places.get(briefing_id, briefing_id)


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
    env: jinja2.Environment | None = None,
    views: Mapping[str, BriefingView] | None = None,
) -> Editions:
    """The ``formats`` of every briefing of ``project``, each reused or rendered.

    With ``folder``, a briefing whose files there are up to date (same key, digests as
    recorded) is read back, not rendered; with ``write`` too, the others are rendered in every
    format and written there as ``build`` writes them. Without ``folder`` everything is
    rendered in memory. ``on_start`` learns how many will be rendered, ``on_rendered`` each
    one done. ``env`` and ``views``: see :func:`render_all` (publish passes those of its
    pages, so nothing is compiled or built twice). Raises :class:`BuildError` ("<id>: why")
    when one cannot be made.
    """
    ids = sorted(project.briefings)
    keys = briefing_keys(project, ids) if folder is not None else {}
    if folder is not None:
        places = {i: edition_key(*project.editions[i]) for i in ids if i in project.editions}
        folder = replace(folder, places={**folder.places, **places})
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
    with OutputBatch() as batch:
        for briefing_id, outcome in render_all(project, todo, made, jobs, env=env, views=views):
            if isinstance(outcome, str):
                raise BuildError(f"{briefing_id}: {outcome}")
            if target is not None:
                _write(batch, target, briefing_id, outcome, keys[briefing_id])
            result.files[briefing_id] = {f: outcome[FILE_NAMES[f]] for f in formats}
            result.rendered.append(briefing_id)
            if on_rendered:
                on_rendered(briefing_id)
        if target is not None:
            _flush(batch, target)
    result.rendered.sort()  # parallel renders finish in any order
    return result


def _reuse(
    folder: OutputFolder, keys: dict[str, str], formats: Sequence[str], result: Editions
) -> None:
    """Read back the briefings whose files in ``folder`` are up to date."""
    names = [FILE_NAMES[f] for f in formats]
    for briefing_id, key in keys.items():
        found = current_outputs(
            folder.of(briefing_id), key, names, folder.base, trusted=folder.trusted
        )
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


def _write(
    batch: OutputBatch,
    folder: OutputFolder,
    briefing_id: str,
    outputs: dict[str, bytes],
    key: str,
) -> None:
    """Stage one briefing's files in ``batch``; flush the batch when due."""
    try:
        batch.stage(folder.of(briefing_id), briefing_id, outputs, key, folder.root, folder.base)
    except BuildError as exc:
        raise BuildError(f"{briefing_id}: {exc}") from exc
    if batch.due():
        _flush(batch, folder)


def _flush(batch: OutputBatch, folder: OutputFolder) -> None:
    """Put the staged files in place; the first briefing that cannot be is a BuildError."""
    for briefing_id, written in batch.flush(folder.root):
        if isinstance(written, str):
            raise BuildError(f"{briefing_id}: {written}")
