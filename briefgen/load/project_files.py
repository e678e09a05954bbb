"""Find a briefgen project on disk and read all of its YAML files."""

from __future__ import annotations

import itertools
import os
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.diagnostics import Location, Report
from briefgen.load.confine import ConfineError, resolve_inside, walk_inside
from briefgen.load.many_files import Read, read_yaml_files
from briefgen.load.yaml_reader import LoadedFile, read_yaml_file

PROJECT_FILE = "briefgen.yaml"
ACTORS_FILE = "content/actors.yaml"
SOURCES_FILE = "content/sources.yaml"
BRIEFINGS_DIR = "content/briefings"
TEMPLATES_DIR = "templates"
# A templates folder holds a few dozen files; past this, the rest is not looked at for links.
MAX_TEMPLATE_ENTRIES = 10_000


@dataclass
class ProjectFiles:
    """The raw, located data of every file of one project."""

    root: Path
    project: LoadedFile | None = None
    actors: LoadedFile | None = None
    sources: LoadedFile | None = None
    briefings: dict[str, LoadedFile] = field(default_factory=dict)
    # Display paths of briefing files that could not be read (already reported).
    unreadable: list[str] = field(default_factory=list)


def find_project_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds ``briefgen.yaml``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    return None


def _read(root: Path, relative: str, report: Report, *, required: bool) -> LoadedFile | None:
    path = root / relative
    # lexists: a dangling link is reported as the link it is, not as a missing file.
    if not os.path.lexists(path):
        if required:
            report.error(Location(relative, 1, 1), "file not found", "every project needs it")
        return None
    return read_yaml_file(path, relative, report, root)


def _briefings_folder(root: Path, report: Report) -> Path | None:
    """The real path of ``content/briefings``; None (reported) when it leads out of the project.

    Checked before listing it: the names of files in a folder outside are not read either.
    """
    try:
        return resolve_inside(root, BRIEFINGS_DIR, folder=True)
    except ConfineError as exc:
        report.error(Location(BRIEFINGS_DIR, 1, 1), exc.message, exc.hint)
        return None


def _briefing_files(root: Path, report: Report) -> list[Path] | None:
    """The briefing files, in name order; None when their folder leads out of the project."""
    folder = _briefings_folder(root, report)
    if folder is None:
        return None
    if not folder.is_dir():
        return []
    for stray in sorted(folder.glob("*.yml")):
        report.error(
            Location(f"{BRIEFINGS_DIR}/{stray.name}", 1, 1),
            "briefing files end in '.yaml'",
            f"rename it to {stray.stem}.yaml",
        )
    # Each file is read as content/briefings/<name> below the project root, so that a link
    # among them is checked by the same rule as any other project file.
    return [root / BRIEFINGS_DIR / p.name for p in sorted(folder.glob("*.yaml"))]


def briefing_ids(root: Path) -> list[str]:
    """The ids of the project's briefing files, in name order, for shell completion.

    Nothing is reported: a folder that leads out of the project simply lists nothing.
    """
    files = _briefing_files(root, Report())
    return [path.stem for path in files or []]


def _check_templates(root: Path, report: Report) -> None:
    """Report every link in ``templates/`` (or the folder itself) that leads out of the project.

    Checked with the content, so that a build stops before rendering: a project's templates
    and CSS obey the same rule as its content, whether or not a template is used.
    """
    entries = itertools.islice(walk_inside(root, TEMPLATES_DIR), MAX_TEMPLATE_ENTRIES)
    for relative, found in entries:
        if isinstance(found, ConfineError):
            where = f"{TEMPLATES_DIR}/{relative}" if relative else TEMPLATES_DIR
            report.error(Location(where, 1, 1), found.message, found.hint)


def load_project_files(
    root: Path, report: Report, only: Collection[str] | None = None
) -> ProjectFiles:
    """Read ``briefgen.yaml`` and everything under ``content/``; problems go to ``report``.

    Nothing outside ``root`` is read (see :mod:`briefgen.load.confine`): a file or folder that
    is a symbolic link out of the project is an error naming the link. ``only``: read just
    these briefing files (by id), the others as if they were not there.
    """
    files = load_shared_files(root, report)
    wanted = wanted_briefings(files, report, only)
    add_briefings(files, wanted, read_yaml_files(wanted, root), report)
    return files


def load_shared_files(root: Path, report: Report) -> ProjectFiles:
    """The project's files but its briefings (see :func:`load_project_files`)."""
    files = ProjectFiles(root=root)
    files.project = _read(root, PROJECT_FILE, report, required=True)
    files.actors = _read(root, ACTORS_FILE, report, required=True)
    files.sources = _read(root, SOURCES_FILE, report, required=True)
    _check_templates(root, report)
    return files


def wanted_briefings(
    files: ProjectFiles, report: Report, only: Collection[str] | None = None
) -> list[tuple[Path, str]]:
    """The briefing files to read, as ``(path, display)`` (see :func:`load_project_files`)."""
    briefings = _briefing_files(files.root, report)
    if briefings is None:
        files.unreadable.append(BRIEFINGS_DIR)
    elif only is not None:
        briefings = [path for path in briefings if path.stem in only]
    return [(path, f"{BRIEFINGS_DIR}/{path.name}") for path in briefings or []]


def add_briefings(
    files: ProjectFiles, wanted: list[tuple[Path, str]], read: list[Read], report: Report
) -> None:
    """Add the briefing files ``wanted``, as ``read``, to ``files``; problems to ``report``."""
    for (path, display), (loaded, found) in zip(wanted, read, strict=True):
        report.extend(found)
        if loaded is not None:
            files.briefings[path.stem] = loaded
        else:
            files.unreadable.append(display)
