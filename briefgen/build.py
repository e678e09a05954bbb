"""The build pipeline: validate, then render each briefing on its own, then write atomically.

Read top to bottom, it is the pipeline:

1. :func:`validate_project` checks everything; with any error (or warning under ``--strict``)
   nothing is written at all.
2. :func:`render_briefing` turns one briefing into the bytes of each requested format. It is a
   pure function of the project, the templates and the briefgen version — one independent unit
   of work, ready to run in parallel or to be skipped when its inputs have not changed.
3. :func:`write_outputs` writes the files of one briefing: each to a temporary file in the same
   folder, then renamed over the old one, so an error or an interrupt never leaves a half-written
   file, and a briefing that fails to render leaves its previous outputs untouched.

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

import hashlib
import json
import multiprocessing
import os
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.diagnostics import Report
from briefgen.model import Project
from briefgen.validate import validate_project

if TYPE_CHECKING:
    import jinja2

    from briefgen.render import BriefingView

FORMATS = ("pdf", "html", "md")
OUTPUT_DIR = "output"
FILE_NAMES = {"pdf": "briefing.pdf", "html": "briefing.html", "md": "briefing.md"}
# Beside a briefing's outputs: the key of the inputs they were made from, and their digests.
KEY_FILE = ".briefgen-key"


class BuildError(Exception):
    """One briefing could not be rendered; the message is for the user."""


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


def render_briefing(project: Project, briefing_id: str, formats: Sequence[str]) -> dict[str, bytes]:
    """The bytes of each requested format of one briefing, keyed by file name.

    Nothing is written here. Raises :class:`BuildError` for a template or PDF problem.
    """
    from briefgen.render import (
        TemplateError,
        build_view,
        make_environment,
        render_html,
        render_markdown,
    )

    env = make_environment(project.root)
    view = build_view(project, briefing_id)
    outputs: dict[str, bytes] = {}
    try:
        if "md" in formats:
            text = render_markdown(project, briefing_id, env=env, view=view)
            outputs[FILE_NAMES["md"]] = text.encode("utf-8")
        if "html" in formats:
            html = render_html(project, briefing_id, env=env, view=view)
            outputs[FILE_NAMES["html"]] = html.encode("utf-8")
        if "pdf" in formats:
            outputs[FILE_NAMES["pdf"]] = _pdf(project, briefing_id, env, view)
    except TemplateError as exc:
        raise BuildError(f"template error: {exc}") from exc
    return outputs


def _pdf(project: Project, briefing_id: str, env: jinja2.Environment, view: BriefingView) -> bytes:
    # Imported here: WeasyPrint is slow to import, and only PDF builds need it.
    from briefgen.pdf import PdfError, render_pdf
    from briefgen.render import render_html

    html = render_html(project, briefing_id, env=env, view=view, embed_css=False)
    try:
        return render_pdf(project, briefing_id, html, env=env)
    except PdfError as exc:
        raise BuildError(f"PDF error: {exc}") from exc


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` via a temporary file and a rename; False if it was unchanged."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); outputs are meant to be shared and published.
        os.fchmod(fd, 0o666 & ~_current_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return True


def write_outputs(folder: Path, briefing_id: str, outputs: dict[str, bytes]) -> list[Written]:
    """Write one briefing's files into ``folder`` (each atomically)."""
    written = []
    for name in sorted(outputs):
        data = outputs[name]
        changed = write_atomic(folder / name, data)
        written.append(Written(briefing_id, folder / name, len(data), changed))
    return written


def select_briefings(project: Project, only: Iterable[str]) -> list[str]:
    """The ids to build, in name order; raises KeyError naming an unknown id."""
    wanted = list(dict.fromkeys(only))
    for briefing_id in wanted:
        if briefing_id not in project.briefings:
            raise KeyError(briefing_id)
    return wanted or sorted(project.briefings)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def up_to_date(folder: Path, key: str, formats: Sequence[str]) -> bool:
    """True when ``folder`` holds the outputs of ``key``, every one as it was written."""
    try:
        record = json.loads((folder / KEY_FILE).read_text(encoding="utf-8"))
        recorded = dict(record["files"])
        if record["key"] != key or set(recorded) != {FILE_NAMES[f] for f in formats}:
            return False
        # Each file as written: a file edited or deleted by hand is made again.
        return all(_sha256((folder / n).read_bytes()) == d for n, d in recorded.items())
    except (OSError, ValueError, KeyError, TypeError):
        return False  # no record, an unreadable one, or a missing output: build


def write_key(folder: Path, key: str, outputs: dict[str, bytes]) -> None:
    """Record, beside the outputs, the key they were made from and the digest of each."""
    files = {name: _sha256(data) for name, data in sorted(outputs.items())}
    record = json.dumps({"key": key, "files": files}, indent=1, sort_keys=True) + "\n"
    write_atomic(folder / KEY_FILE, record.encode("utf-8"))


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


def build(
    root: Path,
    options: BuildOptions,
    on_progress: Callable[[str], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> BuildResult:
    """Validate the project at ``root``, then render and write each selected briefing.

    Briefings whose outputs are up to date are skipped (unless ``options.force``); the others
    render in ``options.jobs`` processes. Raises ``KeyError`` for an ``--only`` id that is not a
    briefing of the project.
    """
    project, report = validate_project(root)
    result = BuildResult(report)
    if project is None or report.failed(options.strict):
        return result
    result.valid = True
    ids = select_briefings(project, options.only)
    out_dir = options.out_dir or root / OUTPUT_DIR
    keys = briefing_keys(project, ids, options.formats)
    todo = [
        i for i in ids if options.force or not up_to_date(out_dir / i, keys[i], options.formats)
    ]
    result.skipped = [i for i in ids if i not in todo]
    if on_start:
        on_start(len(todo))
    for briefing_id, outcome in render_all(project, todo, options.formats, options.jobs):
        if isinstance(outcome, str):
            result.failures[briefing_id] = outcome
        else:
            folder = out_dir / briefing_id
            result.written += write_outputs(folder, briefing_id, outcome)
            write_key(folder, keys[briefing_id], outcome)
        if on_progress:
            on_progress(briefing_id)
    # Parallel renders finish in any order; the result reads the same as a serial build's.
    result.written.sort(key=lambda w: (w.briefing_id, w.path.name))
    result.failures = dict(sorted(result.failures.items()))
    return result
