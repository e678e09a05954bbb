"""Build the whole site (pages, feed, PDF and Markdown editions) and write it atomically."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefgen.model import Project, Tlp
from briefgen.render import TemplateError, make_environment
from briefgen.site.ceiling import CeilingResult, Withheld, apply_ceiling
from briefgen.site.pages import build_pages

# Files that show a folder is a site briefgen wrote, and so may be replaced as a whole.
SITE_MARKERS = ("index.html", "assets/site.css")
Progress = Callable[[str], None]


class SiteOutputError(Exception):
    """The output folder cannot be (re)written: the message says why."""


class SiteBuildError(Exception):
    """A page or edition could not be made (a template error, a failed PDF)."""


@dataclass(frozen=True)
class SiteBuild:
    """Every file of a site, by site-relative path, and what the ceiling withheld."""

    files: dict[str, bytes]
    released: CeilingResult

    @property
    def withheld(self) -> tuple[Withheld, ...]:
        """The briefings left out, each with its marking and the ceiling."""
        return self.released.withheld


def edition_paths(briefing_id: str) -> tuple[str, str]:
    """Site-relative paths of a briefing's PDF and Markdown editions."""
    return f"briefings/{briefing_id}.pdf", f"briefings/{briefing_id}.md"


def editions(
    released: CeilingResult, *, pdf: bool = True, progress: Progress | None = None
) -> dict[str, bytes]:
    """The PDF and Markdown editions of every released briefing, via the build pipeline.

    They are rendered from the filtered project, like every other file of the site.
    """
    project = released.project
    files: dict[str, bytes] = {}
    for briefing_id in sorted(project.briefings):
        if progress and pdf:
            progress(f"PDF {briefing_id}")
        pdf_path, md_path = edition_paths(briefing_id)
        outputs = render_edition(project, briefing_id, ("pdf", "md") if pdf else ("md",))
        files[md_path] = outputs["md"]
        if pdf:
            files[pdf_path] = outputs["pdf"]
    return files


def render_edition(
    project: Project, briefing_id: str, formats: tuple[str, ...]
) -> dict[str, bytes]:
    """The requested formats ('pdf', 'md') of one briefing, from ``briefgen.build``."""
    from briefgen.build import FILE_NAMES, BuildError, render_briefing

    try:
        outputs = render_briefing(project, briefing_id, formats)
    except BuildError as exc:
        raise SiteBuildError(f"{briefing_id}: {exc}") from exc
    return {fmt: outputs[FILE_NAMES[fmt]] for fmt in formats}


def build_site(
    project: Project,
    *,
    ceiling: Tlp | None = None,
    pdf: bool = True,
    progress: Progress | None = None,
) -> SiteBuild:
    """The site of ``project``: the publish ceiling is applied first, then everything is built.

    Raises :class:`SiteBuildError` when a page or edition cannot be made.
    """
    released = apply_ceiling(project, ceiling)
    env = make_environment(project.root)
    try:
        files = build_pages(released, env)
        files.update(editions(released, pdf=pdf, progress=progress))
    except TemplateError as exc:
        raise SiteBuildError(str(exc)) from exc
    return SiteBuild(dict(sorted(files.items())), released)


def _check_replaceable(out: Path) -> None:
    if not out.exists():
        return
    if not out.is_dir():
        raise SiteOutputError(f"{out} exists and is not a folder")
    if any(out.iterdir()) and not all((out / marker).is_file() for marker in SITE_MARKERS):
        raise SiteOutputError(
            f"{out} is not empty and does not look like a site briefgen wrote; "
            "choose another --out folder (briefgen replaces the whole folder)"
        )


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Write ``files`` as the folder ``out``, replacing its previous content all at once.

    Everything is written into a new folder beside ``out`` first; only when that succeeded is
    it swapped in. A failure leaves the previous site as it was.
    """
    out = out.resolve()
    _check_replaceable(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for relative, data in files.items():
            target = staging.joinpath(*relative.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a site is meant to be read
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    retired.rmdir()
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)  # put the previous site back
        raise
    shutil.rmtree(retired, ignore_errors=True)
