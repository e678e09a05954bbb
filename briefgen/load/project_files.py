"""Find a briefgen project on disk and read all of its YAML files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from briefgen.diagnostics import Location, Report
from briefgen.load.yaml_reader import LoadedFile, read_yaml_file

PROJECT_FILE = "briefgen.yaml"
ACTORS_FILE = "content/actors.yaml"
SOURCES_FILE = "content/sources.yaml"
BRIEFINGS_DIR = "content/briefings"


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
    if not path.exists():
        if required:
            report.error(Location(relative, 1, 1), "file not found", "every project needs it")
        return None
    return read_yaml_file(path, relative, report)


def _briefing_files(root: Path, report: Report) -> list[Path]:
    folder = root / BRIEFINGS_DIR
    if not folder.is_dir():
        return []
    for stray in sorted(folder.glob("*.yml")):
        report.error(
            Location(f"{BRIEFINGS_DIR}/{stray.name}", 1, 1),
            "briefing files end in '.yaml'",
            f"rename it to {stray.stem}.yaml",
        )
    return sorted(folder.glob("*.yaml"))


def load_project_files(root: Path, report: Report) -> ProjectFiles:
    """Read ``briefgen.yaml`` and everything under ``content/``; problems go to ``report``."""
    files = ProjectFiles(root=root)
    files.project = _read(root, PROJECT_FILE, report, required=True)
    files.actors = _read(root, ACTORS_FILE, report, required=True)
    files.sources = _read(root, SOURCES_FILE, report, required=True)
    for path in _briefing_files(root, report):
        loaded = read_yaml_file(path, f"{BRIEFINGS_DIR}/{path.name}", report)
        if loaded is not None:
            files.briefings[path.stem] = loaded
        else:
            files.unreadable.append(f"{BRIEFINGS_DIR}/{path.name}")
    return files
