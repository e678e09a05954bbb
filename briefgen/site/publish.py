"""Build the whole site (pages, feed, PDF and Markdown editions) and write it atomically.

The editions come from the same pipeline as ``build``'s outputs
(:func:`briefgen.editions.plan.gather_editions`): with the project's output folder given, a
released briefing whose ``output/<id>/`` holds its files of the current key is read back, and
the others are rendered in the same worker pool and written there as ``build`` writes them. The
key of a released briefing is the same on the released project as on the whole one (both see
exactly the briefing and what it refers to), so a PDF that ``build`` wrote is never rendered
again.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from briefgen.editions.outputs import OUTPUT_DIR
from briefgen.editions.plan import Editions, OutputFolder, gather_editions
from briefgen.errors import BuildError, OutputError, UsageError
from briefgen.load.confine import (
    TEMP_CHARACTERS,
    TEMP_NAME_LENGTH,
    first_link,
    link_refusal,
    make_temp_folder,
    open_folder,
)
from briefgen.load.project_files import PROJECT_FILE
from briefgen.model import Project, Tlp
from briefgen.model.references import scoped_to
from briefgen.render import BriefingView, TemplateError, make_environment
from briefgen.render.layouts import READER, with_layout
from briefgen.site.ceiling import CeilingResult, PublishedEdition, Withheld, apply_ceiling
from briefgen.site.pages import build_pages
from briefgen.site.versions import PastVersion, past_versions

# Files that show a folder is a site briefgen wrote, and so may be replaced as a whole.
SITE_MARKERS = ("index.html", "assets/site.css")
# Told how many briefings' editions will be rendered, then each one rendered.
OnStart = Callable[[int], None]
OnRendered = Callable[[str], None]


class SiteOutputError(OutputError):
    """The site's folder cannot be (re)written: the message says why."""


class OutputLinkError(SiteOutputError):
    """A symbolic link below the project where the site would be written: refused."""


class ChosenFolderError(SiteOutputError, UsageError):
    """The folder the user named (``--out``) is not one briefgen may replace: theirs to change."""


class SiteBuildError(BuildError):
    """A page or edition could not be made (a template error, a failed PDF)."""

    consequence = "the previous site is unchanged"


@dataclass(frozen=True)
class SiteBuild:
    """Every file of a site, by site-relative path, and what the ceiling withheld."""

    files: dict[str, bytes]
    released: CeilingResult
    pdfs_rendered: tuple[str, ...] = ()  # ids whose PDF was rendered by this build
    pdfs_reused: tuple[str, ...] = ()  # ids whose up-to-date PDF was read from output/<id>/

    @property
    def withheld(self) -> tuple[Withheld, ...]:
        """The briefings left out, each with its marking and the ceiling."""
        return self.released.withheld

    @property
    def as_editions(self) -> tuple[PublishedEdition, ...]:
        """The briefings above the ceiling published as a releasable edition."""
        return self.released.as_editions


def edition_paths(briefing_id: str) -> tuple[str, str]:
    """Site-relative paths of a briefing's PDF and Markdown editions."""
    return f"briefings/{briefing_id}.pdf", f"briefings/{briefing_id}.md"


def editions(
    released: CeilingResult,
    *,
    pdf: bool = True,
    on_start: OnStart | None = None,
    on_rendered: OnRendered | None = None,
    outputs: OutputFolder | None = None,
    jobs: int = 1,
    env: jinja2.Environment | None = None,
    views: dict[str, BriefingView] | None = None,
) -> tuple[dict[str, bytes], Editions]:
    """The PDF and Markdown editions of every released briefing, via the build pipeline.

    They are made from the filtered project, like every other file of the site. With
    ``outputs`` (the project's output folder), up-to-date files there are reused; with a PDF
    wanted, the others are written there too (a draft without PDFs writes nothing there).
    ``env`` and ``views``: the pages' environment and briefing views, reused for the
    editions (see :func:`briefgen.editions.plan.render_all`).
    """
    formats = ("pdf", "md") if pdf else ("md",)
    try:
        made = gather_editions(
            released.project,
            formats,
            folder=outputs,
            write=pdf,
            jobs=jobs,
            on_start=on_start,
            on_rendered=on_rendered,
            env=env,
            views=views,
        )
    except BuildError as exc:
        raise SiteBuildError(str(exc)) from exc
    files: dict[str, bytes] = {}
    for briefing_id, edition in made.files.items():
        pdf_path, md_path = edition_paths(briefing_id)
        files[md_path] = edition["md"]
        if pdf:
            files[pdf_path] = edition["pdf"]
    return files, made


def build_site(
    project: Project,
    *,
    ceiling: Tlp | None = None,
    pdf: bool = True,
    on_start: OnStart | None = None,
    on_rendered: OnRendered | None = None,
    outputs: OutputFolder | None = None,
    jobs: int = 1,
) -> SiteBuild:
    """The site of ``project``: the publish ceiling is applied first, then everything is built.

    ``on_start``, ``on_rendered``, ``outputs`` and ``jobs``: see :func:`editions` (without
    ``outputs`` nothing is read or written outside memory). Raises :class:`SiteBuildError`
    when a page or edition cannot be made.
    """
    # The site shows the reader layout. A project that builds the analyst one keeps it in
    # output/<id>/: the site's reader editions are then made here, never written there.
    if project.settings.layout != READER:
        outputs = None
    project = with_layout(project, READER)
    released = apply_ceiling(project, ceiling)
    # One environment and one view per briefing for the pages and the editions alike.
    env = make_environment(project.root)
    views: dict[str, BriefingView] = {}
    past = {b: past_versions(project, released.project, b) for b in released.project.briefings}
    try:
        files = build_pages(released, env, views, past)
    except TemplateError as exc:
        raise SiteBuildError(str(exc)) from exc
    edition_files, made = editions(
        released,
        pdf=pdf,
        on_start=on_start,
        on_rendered=on_rendered,
        outputs=outputs,
        jobs=jobs,
        env=env,
        views=views,
    )
    files.update(edition_files)
    if pdf:
        files.update(_past_pdfs(past))
    rendered, reused = (tuple(made.rendered), tuple(made.reused)) if pdf else ((), ())
    return SiteBuild(dict(sorted(files.items())), released, rendered, reused)


def _past_pdfs(past: dict[str, list[PastVersion]]) -> dict[str, bytes]:
    """The PDF of each earlier issued version on the site, rendered in memory."""
    files: dict[str, bytes] = {}
    for versions in past.values():
        for version in versions:
            try:
                made = gather_editions(version.project, ("pdf",))
            except BuildError as exc:
                raise SiteBuildError(f"version {version.version} of {exc}") from exc
            files[version.pdf] = made.files[version.briefing_id]["pdf"]
    return files


def edition_pdf(project: Project, briefing_id: str) -> bytes:
    """One briefing's PDF: read from ``output/<id>/`` when up to date there, else rendered.

    Nothing is written (the preview's use). Raises :class:`SiteBuildError`.
    """
    alone = scoped_to(project, (briefing_id,))  # the same key and bytes as in the whole
    try:
        made = gather_editions(alone, ("pdf",), folder=project_outputs(project.root))
    except BuildError as exc:
        raise SiteBuildError(str(exc)) from exc
    return made.files[briefing_id]["pdf"]


def project_outputs(root: Path, *, trusted: bool = False) -> OutputFolder:
    """The project's own output folder (``output/<id>/``), where ``build`` writes.

    ``trusted``: reuse files there that this machine did not write (``--trust-outputs``).
    """
    return OutputFolder(root / OUTPUT_DIR, root, root, trusted=trusted)


def _check_replaceable(out: Path, base: Path, refusal: type[SiteOutputError]) -> None:
    # lstat throughout: a marker that is a link does not make a folder a site briefgen wrote.
    if not os.path.lexists(out):
        return
    if not stat.S_ISDIR(out.lstat().st_mode):
        raise refusal(f"{_shown(out, base)} exists and is not a folder")
    for marker in SITE_MARKERS:
        link = first_link(out, out / marker)
        if link is not None:
            raise OutputLinkError(link_refusal(link, base))
    if any(out.iterdir()) and not all((out / marker).is_file() for marker in SITE_MARKERS):
        raise refusal(
            f"{_shown(out, base)} is not empty and does not look like a site briefgen wrote; "
            "choose another --out folder (briefgen replaces the whole folder)"
        )


def _shown(path: Path, base: Path) -> str:
    # Inside the project: relative, as every other message names project files; a folder the
    # user chose with --out is named as it is.
    inside = (base / PROJECT_FILE).exists() and path.is_relative_to(base)
    return path.relative_to(base).as_posix() if inside else str(path)


def _project_root_of(out: Path) -> Path | None:
    """The project whose ``output/`` folder holds ``out``; None for a folder elsewhere."""
    absolute = Path(os.path.abspath(out))
    for folder in (absolute, *absolute.parents):
        if folder.name == OUTPUT_DIR and os.path.lexists(folder.parent / PROJECT_FILE):
            return folder.parent
    return None


def _site_folder(out: Path, root: Path | None) -> tuple[Path, Path]:
    """(trusted base, site folder below it), refusing a link between them.

    In a project's output folder (``output/site``, the default) nothing from the project root
    down may be a link. A folder elsewhere is the user's own ``--out`` choice: taken as it
    resolves, links above it and all.
    """
    root = root if root is not None else _project_root_of(out)
    absolute = Path(os.path.abspath(out))
    if root is None or not absolute.is_relative_to(os.path.abspath(root)):
        resolved = out.resolve()
        return resolved.parent, resolved
    base = Path(os.path.abspath(root))
    link = first_link(base, absolute)
    if link is not None:
        raise OutputLinkError(link_refusal(link, base))
    return base, absolute


def write_site(
    files: dict[str, bytes], out: Path, *, root: Path | None = None, chosen: bool = False
) -> None:
    """Write ``files`` as the folder ``out``, replacing its previous content all at once.

    Everything is written into a new folder beside ``out`` first; only when that succeeded is
    it swapped in. A failure leaves the previous site as it was. ``root``, the project (found
    from ``out`` when not given), is where the check for links starts: briefgen writes,
    renames and deletes nothing outside the output folder, whatever links are in the way. The
    stale folders of an interrupted publish are removed first.

    Raises :class:`SiteOutputError` when ``out`` cannot be replaced (:class:`OutputLinkError`
    for a link in the way). When the folder was ``chosen`` by the user (``--out``), one that
    cannot be replaced is a :class:`ChosenFolderError`, a usage error: theirs to change.
    """
    refusal = ChosenFolderError if chosen else SiteOutputError
    base, out = _site_folder(out, root)
    try:
        parent_fd = open_folder(base, out.parent.relative_to(base).parts, create=True)
    except OSError as exc:
        raise refusal(f"cannot write {out.parent}: {exc.strerror or exc}") from None
    try:
        _remove_stale(parent_fd, out.name)
        _check_replaceable(out, base, refusal)
        staging = make_temp_folder(parent_fd, f".{out.name}.new-")
        try:
            _write_tree(parent_fd, staging, files)
            _swap(parent_fd, staging, out.name)
        except BaseException:
            shutil.rmtree(staging, dir_fd=parent_fd, ignore_errors=True)
            raise
    finally:
        os.close(parent_fd)


def remove_stale_sites(out: Path, root: Path) -> None:
    """Delete what an interrupted publish left beside the site folder ``out`` (see
    :func:`write_site`), without writing the site: a publish with nothing to do."""
    base, out = _site_folder(out, root)
    try:
        parent_fd = open_folder(base, out.parent.relative_to(base).parts)
    except OSError:
        return
    try:
        _remove_stale(parent_fd, out.name)
    finally:
        os.close(parent_fd)


def _stale_pattern(name: str) -> re.Pattern[str]:
    """The names of write_site's own staging and retired folders beside the site ``name``."""
    chars = re.escape(TEMP_CHARACTERS)
    return re.compile(rf"\.{re.escape(name)}\.(?:new|old)-[{chars}]{{{TEMP_NAME_LENGTH}}}")


def _remove_stale(parent_fd: int, name: str) -> None:
    # Only real folders of our own naming: rmtree works through descriptors and never
    # follows a link; a link of that name is left alone.
    pattern = _stale_pattern(name)
    for entry in os.listdir(parent_fd):
        if not pattern.fullmatch(entry):
            continue
        with contextlib.suppress(OSError):
            if stat.S_ISDIR(os.stat(entry, dir_fd=parent_fd, follow_symlinks=False).st_mode):
                shutil.rmtree(entry, dir_fd=parent_fd)


def _write_tree(parent_fd: int, staging: str, files: dict[str, bytes]) -> None:
    """Write every file into the new folder ``staging``, never following a link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    staging_fd = open_folder(Path(staging), (), dir_fd=parent_fd)
    try:
        for relative, data in files.items():
            *folders, name = relative.split("/")
            folder_fd = open_folder(Path("."), folders, create=True, dir_fd=staging_fd)
            try:
                with os.fdopen(os.open(name, flags, 0o666, dir_fd=folder_fd), "wb") as handle:
                    handle.write(data)
            finally:
                os.close(folder_fd)
        os.fchmod(staging_fd, 0o755)  # made private; a site is meant to be read
    finally:
        os.close(staging_fd)


def _swap(parent_fd: int, staging: str, name: str) -> None:
    """Put the folder ``staging`` in the place of ``name``, all names in ``parent_fd``.

    The previous site is first moved into a new private folder (``.site.old-…``) and deleted
    from there: rename moves a link itself, and rmtree never follows one.
    """

    def move(src: str, src_fd: int, dst: str, dst_fd: int) -> None:
        os.rename(src, dst, src_dir_fd=src_fd, dst_dir_fd=dst_fd)

    if not _lexists(name, parent_fd):
        move(staging, parent_fd, name, parent_fd)
        return
    holder = make_temp_folder(parent_fd, f".{name}.old-")
    holder_fd = open_folder(Path(holder), (), dir_fd=parent_fd)
    try:
        move(name, parent_fd, name, holder_fd)
        try:
            move(staging, parent_fd, name, parent_fd)
        except BaseException:
            move(name, holder_fd, name, parent_fd)  # put the previous site back
            raise
    finally:
        os.close(holder_fd)
    shutil.rmtree(holder, dir_fd=parent_fd, ignore_errors=True)


def _lexists(name: str, dir_fd: int) -> bool:
    try:
        os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True
