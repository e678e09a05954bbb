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
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
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


class BuildError(Exception):
    """One briefing could not be rendered; the message is for the user."""


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where."""

    formats: tuple[str, ...] = FORMATS
    only: tuple[str, ...] = ()
    out_dir: Path | None = None  # default: <project>/output
    strict: bool = False


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


def build(
    root: Path,
    options: BuildOptions,
    on_progress: Callable[[str], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> BuildResult:
    """Validate the project at ``root``, then render and write each selected briefing.

    Raises ``KeyError`` for an ``--only`` id that is not a briefing of the project.
    """
    project, report = validate_project(root)
    result = BuildResult(report)
    if project is None or report.failed(options.strict):
        return result
    result.valid = True
    ids = select_briefings(project, options.only)
    out_dir = options.out_dir or root / OUTPUT_DIR
    if on_start:
        on_start(len(ids))
    for briefing_id in ids:
        try:
            outputs = render_briefing(project, briefing_id, options.formats)
        except BuildError as exc:
            result.failures[briefing_id] = str(exc)
        else:
            result.written += write_outputs(out_dir / briefing_id, briefing_id, outputs)
        if on_progress:
            on_progress(briefing_id)
    return result
