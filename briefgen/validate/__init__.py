"""Validate stage: schema and cross-checks over a whole project, every problem in one run.

:func:`validate_project` runs once per command and returns one :class:`Validated`: the project
(None on errors), the report, the salvaging parse and the outcome of every quote. Every command
takes what it needs from it (build, publish and serve the project; sources the parse and the
quote outcomes), so nothing is parsed or verified a second time.
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.diagnostics import Location, Report, quoted
from briefgen.load import ProjectFiles, load_project_files
from briefgen.model import Actor, Briefing, Project, ProjectSettings, Source
from briefgen.model.common import MAX_ID_LENGTH, Tlp, is_valid_id
from briefgen.model.facts import FACT_LISTS
from briefgen.model.placeholders import PLACEHOLDERS as NEW_PLACEHOLDERS
from briefgen.model.placeholders import is_placeholder
from briefgen.provenance import verify
from briefgen.provenance.verify import ExtractedTexts, QuoteOutcome
from briefgen.validate import (
    briefing_dates,
    briefing_languages,
    briefing_refs,
    briefing_sources,
    markdown_rules,
    portion_rules,
)
from briefgen.validate.context import (
    BriefingContext,
    Registry,
    declared_ids,
    registry_readable,
)
from briefgen.validate.registry_rules import build_registry, check_actors, check_sources
from briefgen.validate.salvage import value_at
from briefgen.validate.schema import parse_file, parse_items, parse_salvaging


def check_placeholders(ctx: BriefingContext, report: Report) -> None:
    """No text that ``briefgen new`` writes to be replaced is left in the briefing."""
    for key in NEW_PLACEHOLDERS:
        value = getattr(ctx.briefing, key)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, text in items:
            path: tuple[str | int, ...] = (key,) if index is None else (key, index)
            text = getattr(text, "text", text)  # an item of a list may be a marked Portion
            if not ctx.valid(*path) or not isinstance(text, str) or not is_placeholder(text):
                continue
            report.error(
                ctx.at(*path),
                f"placeholder text from 'briefgen new' left in {quoted(key)}",
                f"replace it with the briefing's own {_PLACEHOLDER_WHAT[key]}",
                code="placeholder",
            )


_PLACEHOLDER_WHAT = {
    "title": "title",
    "authors": "author names",
    "summary": "bottom line",
    "background": "background, or remove 'background'",
    "outlook": "outlook, or remove 'outlook'",
    "recommendations": "recommendations",
}


def check_has_facts(ctx: BriefingContext, report: Report) -> None:
    """A briefing states a fact: a key point, event, decision, statement or assessment."""
    if not all(ctx.valid(name) for name in FACT_LISTS):
        return  # a schema error in a list of facts: facts may be there
    if any(getattr(ctx.briefing, name) for name in FACT_LISTS):
        return
    report.warning(
        ctx.at("key_points", key=True),
        "this briefing states no facts: no key points, events, decisions, statements or "
        "assessments",
        "add at least one, with the sources it rests on",
        code="no-facts",
    )


BRIEFING_CHECKS = (
    check_placeholders,
    check_has_facts,
    briefing_refs.check_item_ids,
    briefing_refs.check_actor_refs,
    briefing_refs.check_event_refs,
    briefing_refs.check_citations,
    briefing_refs.check_inline_citations,
    briefing_refs.check_purpose,
    briefing_dates.check_cutoff,
    briefing_dates.check_reported_after,
    briefing_dates.check_reactions,
    briefing_dates.check_speaker_roles,
    briefing_languages.check_statement_languages,
    briefing_sources.check_single_origin,
    briefing_sources.check_standing,
    markdown_rules.check_markdown_nesting,
    portion_rules.check_portion_markings,
    portion_rules.check_paragraph_marks,
)


def check_editions(ctx: BriefingContext, report: Report) -> None:
    """Each edition the briefing releases is checked again as a briefing (issue 14)."""
    portion_rules.check_editions(ctx, report, BRIEFING_CHECKS)


def validate_edition(validated: Validated, ids: Iterable[str], label: Tlp) -> Report:
    """The problems of the ``label`` edition of each briefing ``ids`` names (``build
    --edition``), found as for an edition a briefing lists (each named 'in edition ...')."""
    wanted = set(ids)
    found = Report()
    for ctx in validated.parsed.contexts:
        if ctx.briefing_id in wanted and label not in ctx.briefing.editions:
            found.extend(
                portion_rules.edition_report(ctx, label, BRIEFING_CHECKS, validated.report)
            )
    return found


# Top-level briefing keys whose values may cite sources, directly or inline as [@id].
CITING_KEYS = frozenset(
    {*FACT_LISTS, "summary", "background", "outlook", "information_gaps", "recommendations"}
)

# Briefing ids that would collide with other outputs: `briefgen publish` writes the site to
# output/site/, beside each briefing's output/<id>/.
RESERVED_IDS = frozenset({"site"})

# Stand-ins for invalid top-level briefing values, so cross-checks can still run; checks that
# depend on a replaced value skip themselves (see BriefingContext.valid). Values below the top
# level get generic stand-ins (briefgen.validate.salvage).
PLACEHOLDERS: dict[str, object] = {
    "title": "(invalid)",
    "marking": "TLP:RED",
    "purpose": "information",
    "cutoff": "9999-12-31",
    "issued": "9999-12-31",
    "version": "(invalid)",
    "authors": ["(invalid)"],
    "summary": "(invalid)",
}


def parse_registry(files: ProjectFiles, report: Report) -> Registry:
    """The actors and sources of ``files``, parsed and checked (problems go to ``report``)."""
    actors = parse_items(files.actors, "actors", Actor, report) if files.actors else []
    sources = parse_items(files.sources, "sources", Source, report) if files.sources else []
    registry = build_registry(files.actors, actors, files.sources, sources, report)
    registry.actor_ids = declared_ids(files.actors, "actors") | set(registry.actors)
    registry.source_ids = declared_ids(files.sources, "sources") | set(registry.sources)
    registry.actors_readable = registry_readable(files.actors, "actors")
    registry.sources_readable = registry_readable(files.sources, "sources")
    check_actors(registry, report)
    check_sources(registry, report)
    return registry


def _file_name_problem(briefing_id: str) -> tuple[str, str]:
    """The message and hint for a briefing file name that is not an id."""
    problem = f"briefing file name {quoted(briefing_id)} is not a valid id"
    if len(briefing_id) > MAX_ID_LENGTH:
        length = f": it has {len(briefing_id)} characters, at most {MAX_ID_LENGTH} are allowed"
        return problem + length, "shorten the file name"
    return problem, "name it with lower-case letters, digits and hyphens, e.g. pa-coordination.yaml"


def parse_briefings(
    files: ProjectFiles, registry: Registry, settings: ProjectSettings | None, report: Report
) -> list[BriefingContext]:
    """Each briefing of ``files`` parsed as far as it goes (schema problems go to ``report``)."""
    contexts = []
    for briefing_id, loaded in files.briefings.items():
        if not is_valid_id(briefing_id):
            report.error(
                Location(loaded.display, 1, 1),
                *_file_name_problem(briefing_id),
            )
            continue
        if briefing_id in RESERVED_IDS:
            report.error(
                Location(loaded.display, 1, 1),
                f"'{briefing_id}' is reserved: briefgen publish writes the site to "
                f"output/{briefing_id}/, where this briefing's outputs would go",
                f"rename the file, e.g. {briefing_id}-notes.yaml",
            )
            continue
        salvaged = parse_salvaging(loaded, Briefing, report, PLACEHOLDERS)
        if salvaged is None:
            continue
        declared = frozenset(declared_ids(loaded, "events"))
        contexts.append(
            BriefingContext(
                briefing_id,
                salvaged.model,
                loaded,
                registry,
                settings,
                salvaged.invalid,
                salvaged.kept,
                declared,
            )
        )
        if not salvaged.invalid:
            # Read as written: the model holds it all, and only what failed the schema is
            # looked up in the data again (_lost_citations).
            loaded.release_data()
    return contexts


def _lost_citations(ctx: BriefingContext) -> bool:
    """True when a schema error left out (or stood in for) something that may cite sources:
    a whole list or fact, a citation, or a value holding an inline ``[@id]``."""
    for path in ctx.invalid:
        if not path or path[0] not in CITING_KEYS:
            continue
        whole = len(path) == 1 or (len(path) == 2 and path[0] in FACT_LISTS)
        if whole or "sources" in path or _holds_inline_citation(value_at(ctx.file.data, path)):
            return True
    return False


def _holds_inline_citation(value: Any) -> bool:
    """True when ``value`` (as written in a file) holds, anywhere in it, an ``[@`` citation."""
    if isinstance(value, str):
        return "[@" in value
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return any(_holds_inline_citation(item) for item in items)


@dataclass
class ParsedProject:
    """Every file of a project parsed as far as it goes, before cross-checks.

    Parts that failed the schema are left out (or stood in for, see PLACEHOLDERS), so reports
    such as ``briefgen sources`` can still describe a project that has errors.
    """

    files: ProjectFiles
    settings: ProjectSettings | None
    registry: Registry
    contexts: list[BriefingContext]


def parse_project(root: Path, report: Report, only: Collection[str] | None = None) -> ParsedProject:
    """Load and parse every file under ``root``, recording schema problems in ``report``.

    ``only``: of the briefings, just these (see :func:`validate_project`).
    """
    return parse_files(load_project_files(root, report, only), report)


def parse_files(files: ProjectFiles, report: Report) -> ParsedProject:
    """Every file of ``files`` parsed, schema problems recorded in ``report``."""
    settings = parse_settings(files, report)
    registry = parse_registry(files, report)
    contexts = parse_briefings(files, registry, settings, report)
    return ParsedProject(files, settings, registry, contexts)


def parse_settings(files: ProjectFiles, report: Report) -> ProjectSettings | None:
    """The project's settings (``briefgen.yaml``); None when they fail the schema."""
    return parse_file(files.project, ProjectSettings, report) if files.project else None


@dataclass(frozen=True)
class Validated:
    """The one validation of a command: everything later stages take from it.

    ``project`` is None when there are errors; ``parsed`` (the salvaging parse) and
    ``outcomes`` (each direct quote's outcome, as verification found it) are there either way,
    so ``briefgen sources`` can describe a project with errors without checking it again.
    """

    project: Project | None
    report: Report
    parsed: ParsedProject
    outcomes: tuple[QuoteOutcome, ...]

    def __iter__(self) -> Iterator[Any]:
        """Unpacks as ``(project, report)``, what ``briefgen validate`` and most callers need."""
        return iter((self.project, self.report))


def validate_project(
    root: Path,
    extracted: ExtractedTexts | None = None,
    *,
    only: Collection[str] | None = None,
    cited_elsewhere: Collection[str] = (),
) -> Validated:
    """Load and check the project at ``root``; its project is None when there are errors.

    ``extracted``: archive texts kept by a long-lived caller (serve) between validations.
    ``only``: check just these briefings, as if the others were not there, except that the
    sources ``cited_elsewhere`` (by the others) count as cited. A build whose other briefings
    are unchanged since it last checked them does that (:mod:`briefgen.build`); everything
    but those briefings is checked in full.
    """
    with collector_paused():
        report = Report()
        parsed = parse_project(root, report, only)
        return check_parsed(root, parsed, report, extracted, cited_elsewhere)


def check_parsed(
    root: Path,
    parsed: ParsedProject,
    report: Report,
    extracted: ExtractedTexts | None = None,
    cited_elsewhere: Collection[str] = (),
) -> Validated:
    """:func:`validate_project` from the parse on: every cross-check, then the project."""
    outcomes = _cross_check(root, parsed, report, extracted, set(cited_elsewhere))
    project = _project(root, parsed, report, outcomes)
    return Validated(project, report, parsed, tuple(outcomes))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused for the duration (restored as it was after).

    Validation builds millions of small containers that all live on (the data read, its
    positions, the models) and form no cycles: the collector would walk them again and again as
    they pile up, a sixth of validate's time at N = 1000, and find nothing to free. Whatever
    cycles are left (an exception's traceback, say) are collected once it runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _cross_check(
    root: Path,
    parsed: ParsedProject,
    report: Report,
    extracted: ExtractedTexts | None,
    cited_elsewhere: set[str],
) -> list[QuoteOutcome]:
    """Every check beyond the schema; the outcome of each quote."""
    files, registry, contexts = parsed.files, parsed.registry, parsed.contexts
    check_each_briefing(contexts, report)
    outcomes = verify.verify_all(root, registry, contexts, report, extracted)
    if unused_checkable(registry) and citations_all_read(files, contexts):
        used = briefing_sources.cited_sources(contexts) | cited_elsewhere
        briefing_sources.check_unused_sources(registry, used, report)
    return outcomes


def check_each_briefing(contexts: Iterable[BriefingContext], report: Report) -> None:
    """Every check of one briefing on its own, and of each edition it lists, on each."""
    for ctx in contexts:
        for check in BRIEFING_CHECKS:
            check(ctx, report)
        check_editions(ctx, report)


def citations_all_read(files: ProjectFiles, contexts: list[BriefingContext]) -> bool:
    """True when every briefing file of ``files`` was read and parsed with all its citations."""
    complete = not files.unreadable and len(contexts) == len(files.briefings)
    return complete and all(not _lost_citations(c) for c in contexts)


def unused_checkable(registry: Registry) -> bool:
    """True when the sources and every citing chain were read: only then can a source be
    known to be unused (with every briefing's citations read too, :func:`citations_all_read`),
    not just look it by mistake."""
    return registry.sources_readable and registry.chains_known()


def _project(
    root: Path, parsed: ParsedProject, report: Report, outcomes: list[QuoteOutcome]
) -> Project | None:
    """The validated project, or None when anything failed."""
    if parsed.settings is None or report.failed():
        return None
    return Project(
        root=root,
        settings=parsed.settings,
        actors=parsed.registry.actors,
        sources=parsed.registry.sources,
        briefings={ctx.briefing_id: ctx.briefing for ctx in parsed.contexts},
        quote_status=verify.quote_statuses(outcomes),
    )
