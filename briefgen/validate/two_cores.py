"""``briefgen validate`` on a large project: each half of the briefings checked on its own core.

``validate`` keeps nothing of the project but its report, so nothing of a briefing need come
back from where it was checked but its diagnostics and the sources it cites. With enough
briefings (:func:`briefgen.load.many_files.can_split`), this process reads and parses the
shared files (settings, actors, sources) and checks every archive, then a forked copy reads,
parses and checks the second half of the briefings while this one does the first half,
exactly as :func:`briefgen.validate.validate_project` does each briefing. What needs them all
(the unused sources) is then checked here. The report is the same as a check on one core:
diagnostics are printed sorted and de-duplicated (:meth:`briefgen.diagnostics.Report.sorted`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefgen.diagnostics import Report
from briefgen.load.many_files import can_split, in_two_halves, read_here
from briefgen.load.project_files import (
    ProjectFiles,
    add_briefings,
    load_shared_files,
    wanted_briefings,
)
from briefgen.model import ProjectSettings
from briefgen.provenance import verify
from briefgen.provenance.verify import Archives
from briefgen.validate import (
    check_each_briefing,
    check_parsed,
    citations_all_read,
    collector_paused,
    parse_briefings,
    parse_files,
    parse_registry,
    parse_settings,
    unused_checkable,
)
from briefgen.validate.briefing_sources import check_unused_sources, cited_sources
from briefgen.validate.context import Registry


@dataclass(frozen=True)
class Counts:
    """How many briefings, actors and sources a project without errors holds."""

    briefings: int
    actors: int
    sources: int


@dataclass(frozen=True)
class Checked:
    """What ``briefgen validate`` prints: the report, and the counts when there are no errors."""

    report: Report
    counts: Counts | None


@dataclass(frozen=True)
class _Half:
    """What checking half of the briefings found (it pickles: it may come from the copy)."""

    report: Report
    cited: frozenset[str]
    all_read: bool  # every briefing file read and parsed with all its citations
    briefings: int


@dataclass(frozen=True)
class _Shared:
    """What both halves check their briefings against."""

    files: ProjectFiles
    settings: ProjectSettings | None
    registry: Registry
    archives: Archives


def check_project(root: Path) -> Checked:
    """The report :func:`briefgen.validate.validate_project` makes of ``root``, and the counts;
    on two cores when the project has many briefings."""
    with collector_paused():
        report = Report()
        files = load_shared_files(root, report)
        wanted = wanted_briefings(files, report)
        if not can_split(len(wanted)):
            add_briefings(files, wanted, read_here(wanted, root), report)
            project = check_parsed(root, parse_files(files, report), report).project
            if project is None:
                return Checked(report, None)
            counts = Counts(len(project.briefings), len(project.actors), len(project.sources))
            return Checked(report, counts)
        return _check_in_halves(files, wanted, report)


def _check_in_halves(
    files: ProjectFiles, wanted: list[tuple[Path, str]], report: Report
) -> Checked:
    """The shared files checked here, each half of the briefings ``wanted`` on a core."""
    settings = parse_settings(files, report)
    registry = parse_registry(files, report)
    archives = verify.open_archives(files.root, registry, report)
    shared = _Shared(files, settings, registry, archives)
    halves = in_two_halves(wanted, lambda half: _check_half(shared, half))
    for half in halves:
        report.extend(half.report)
    all_read = not files.unreadable and all(half.all_read for half in halves)
    if unused_checkable(registry) and all_read:
        check_unused_sources(registry, set().union(*(half.cited for half in halves)), report)
    if settings is None or report.failed():
        return Checked(report, None)
    counts = Counts(sum(h.briefings for h in halves), len(registry.actors), len(registry.sources))
    return Checked(report, counts)


def _check_half(shared: _Shared, wanted: Sequence[tuple[Path, str]]) -> _Half:
    """Read, parse and check the briefing files ``wanted``, as validate_project does each."""
    report = Report()
    root = shared.files.root
    files = ProjectFiles(root, shared.files.project, shared.files.actors, shared.files.sources)
    add_briefings(files, list(wanted), read_here(wanted, root), report)
    contexts = parse_briefings(files, shared.registry, shared.settings, report)
    check_each_briefing(contexts, report)
    verify.verify_briefings(contexts, dataclasses.replace(shared.archives, report=report))
    cited = frozenset(cited_sources(contexts))
    return _Half(report, cited, citations_all_read(files, contexts), len(contexts))
