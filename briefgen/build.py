"""The build pipeline: validate, then render each briefing on its own, then write atomically.

Read top to bottom, it is the pipeline:

0. :func:`build` first takes over what the last successful build found and made, while it
   holds (:mod:`briefgen.editions.recall`): everything when no input changed (nothing is
   checked or rendered), the unchanged briefings when only briefing files changed (only
   those are checked and rendered).
1. :func:`briefgen.validate.validate_project` checks everything, once per command; with any
   error (or warning under ``--strict``) nothing is written at all.
2. :func:`_plan` picks the briefings to render: those whose ``output/<id>/`` does not hold the
   requested files of their current key (:func:`briefgen.editions.plan.briefing_keys`), as
   recorded in ``.briefgen-key`` (``force`` renders everything again).
3. :func:`briefgen.editions.plan.render_all` renders them, serially or in ``jobs`` worker
   processes; each briefing is a pure function of the project, the templates and the
   briefgen version (:func:`briefgen.editions.render_briefing`).
4. :class:`briefgen.editions.outputs.OutputBatch` writes the files of each, as one set, with
   the record of their key (made durable a batch of briefings at a time, then renamed); a
   briefing that fails to render or to be written leaves its previous outputs untouched.

``publish`` shares steps 2 to 4 (:func:`briefgen.editions.plan.gather_editions`): a PDF that
build wrote is reused there, never rendered again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefgen.diagnostics import Report
from briefgen.editions import FILE_NAMES, FORMATS, render_briefing
from briefgen.editions.fingerprint import (
    Fingerprint,
    archive_paths,
    input_fingerprint,
    unwalked_digests,
    unwalked_hold,
)
from briefgen.editions.memo import Memo, read_memo, stamp_files, write_memo
from briefgen.editions.outputs import (
    KEY_FILE,
    OUTPUT_DIR,
    OutputBatch,
    Written,
    remove_stale_temporaries,
    target_problem,
    up_to_date,
)
from briefgen.editions.plan import Outcome, keyed_briefings, render_all, start_workers_early
from briefgen.editions.recall import (
    BuildFacts,
    BuildMemo,
    KeptPart,
    build_facts,
    kept_part,
    outputs_hold,
    recorded_sources,
)
from briefgen.editions.shards import Shard
from briefgen.errors import BuildError, UsageError
from briefgen.history import with_history
from briefgen.history.approvals import unapproved
from briefgen.model import Project
from briefgen.model.common import Tlp
from briefgen.model.editions import edition_key, with_edition
from briefgen.model.project import Layout
from briefgen.render.layouts import with_layout
from briefgen.validate import Validated, validate_edition, validate_project

# The record of the last successful build in its output folder (briefgen.editions.memo).
MEMO_FILE = ".briefgen-build"

# Importable from here as before (benchmarks/build_bench.py renders one briefing).
__all__ = [
    "OUTPUT_DIR",
    "BuildOptions",
    "BuildResult",
    "build",
    "build_validated",
    "render_briefing",
]


class UnknownBriefingError(UsageError):
    """``--only`` named an id that is not a briefing of the project."""

    def __init__(self, briefing_id: str, project: Project) -> None:
        known = ", ".join(sorted(project.briefings))
        super().__init__(f"no briefing '{briefing_id}' in {project.root} (briefings: {known})")
        self.briefing_id = briefing_id


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where."""

    formats: tuple[str, ...] = FORMATS
    only: tuple[str, ...] = ()
    out_dir: Path | None = None  # default: <project>/output
    strict: bool = False
    jobs: int = 1  # worker processes; 1 renders in this process
    force: bool = False  # render even the briefings whose outputs are up to date
    shard: Shard | None = None  # only the briefings of this shard (--shard K/N)
    layout: Layout | None = None  # --layout: reader or analyst; None: the project's setting
    # Only this releasable edition of each briefing (--edition); None: each note in full and
    # the editions its 'editions:' lists (issue 14).
    edition: Tlp | None = None
    # --trust-outputs: reuse up-to-date outputs this machine did not write (the user's own
    # shards or CI cache); by default only files it wrote are taken (see editions.outputs).
    trust_outputs: bool = False


@dataclass
class BuildResult:
    """What a build did: the validation report, the files written, the briefings that failed."""

    report: Report
    valid: bool = False
    written: list[Written] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # up to date: not rendered
    rendered: list[str] = field(default_factory=list)  # rendered and written by this build
    keys: dict[str, str] = field(default_factory=dict)  # the key of each briefing built
    # The sources each refers to (its key covers them): kept for a later partial build.
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    history_note: str | None = None  # why there is no version history (build(history=True))

    @property
    def ok(self) -> bool:
        """True when the content was valid and every briefing was written."""
        return self.valid and not self.failures


def select_briefings(
    project: Project, only: Iterable[str], shard: Shard | None = None
) -> list[str]:
    """The ids to build, in name order; raises :class:`UnknownBriefingError` for an unknown id.

    With ``shard``, only those of the selected briefings that the shard builds.
    """
    wanted = list(dict.fromkeys(only))
    for briefing_id in wanted:
        if briefing_id not in project.briefings:
            raise UnknownBriefingError(briefing_id, project)
    ids = wanted or sorted(project.briefings)
    return shard.select(ids) if shard is not None else ids


def build_units(
    project: Project, ids: Iterable[str], edition: Tlp | None
) -> tuple[Project, list[str]]:
    """What a build renders: each note in full and the editions it lists, or (``edition``)
    only that edition of each; an edition is a briefing of the returned project whose id is
    its folder under ``output/`` (:func:`briefgen.model.editions.edition_key`)."""
    units: list[str] = []
    for briefing_id in ids:
        labels = [edition] if edition else project.briefings[briefing_id].editions
        units += [] if edition else [briefing_id]
        for label in labels:
            key = edition_key(briefing_id, label)
            project = with_edition(project, briefing_id, label, key)
            units.append(key)
    return project, units


def _plan(
    project: Project,
    ids: list[str],
    options: BuildOptions,
    out_dir: Path,
    result: BuildResult,
    base: Path,
) -> tuple[list[str], dict[str, str]]:
    """The briefings to render, and the key of each; records those skipped or unwritable.

    The stale temporary files of an interrupted build are removed from the folder of each
    selected briefing first, rendered again or not.
    """
    keyed = keyed_briefings(project, ids)
    keys = {unit: k.key for unit, k in keyed.items()}
    result.keys, result.sources = keys, {unit: k.sources for unit, k in keyed.items()}
    names = [FILE_NAMES[f] for f in options.formats]
    for briefing_id in ids:
        remove_stale_temporaries(out_dir / briefing_id, base)
    # exact: a build records the files it was asked for, and another choice renders again.
    todo = [
        i
        for i in ids
        if options.force
        or not up_to_date(
            out_dir / i, keys[i], names, base, exact=True, trusted=options.trust_outputs
        )
    ]
    result.skipped = [i for i in ids if i not in todo]
    # Checked before rendering too, so an unwritable output folder costs no PDF render.
    for briefing_id in list(todo):
        problem = target_problem(out_dir / briefing_id, [*names, KEY_FILE], project.root, base)
        if problem:
            result.failures[briefing_id] = problem
            todo.remove(briefing_id)
    return todo, keys


def _stage(
    batch: OutputBatch,
    project: Project,
    folder: Path,
    briefing_id: str,
    outcome: Outcome,
    keys: dict[str, str],
    base: Path,
    result: BuildResult,
) -> None:
    """Stage one briefing's rendered files in ``batch``, or record why it failed."""
    try:
        if isinstance(outcome, str):
            raise BuildError(outcome)
        batch.stage(folder, briefing_id, outcome, keys[briefing_id], project.root, base)
        result.rendered.append(briefing_id)
    except BuildError as exc:
        result.failures[briefing_id] = str(exc)


def _record(done: list[tuple[str, list[Written] | str]], result: BuildResult) -> None:
    """The files of each briefing a flush put in place, or why they could not be."""
    for briefing_id, written in done:
        if isinstance(written, str):
            result.failures[briefing_id] = written
            result.rendered.remove(briefing_id)
        else:
            result.written += written


def _edition_failed(
    validated: Validated, ids: list[str], options: BuildOptions, result: BuildResult
) -> bool:
    """Checks the ``--edition`` of each briefing as a briefing of its own (an edition its
    ``editions:`` lists was checked by validation); True, and not valid, on any problem."""
    assert options.edition is not None
    found = validate_edition(validated, ids, options.edition)
    result.report.extend(found)
    result.valid = not found.failed(options.strict)
    return not result.valid


def _editions_unapproved(
    project: Project, ids: list[str], options: BuildOptions, result: BuildResult
) -> bool:
    """With ``require_approval: true``, a releasable edition is a release like publishing: the
    note it is cut from needs a valid approval. True, and not valid, when one is missing."""
    if not project.settings.require_approval:
        return False
    releasing = [i for i in ids if options.edition or project.briefings[i].editions]
    found = Report()
    unapproved(project, releasing, found)
    result.report.extend(found)
    result.valid = not found.failed(options.strict)
    return not result.valid


def build(
    root: Path,
    options: BuildOptions,
    on_progress: Callable[[str], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    *,
    history: bool = False,
) -> BuildResult:
    """Validate the project at ``root``, then build it (see :func:`build_validated`).

    ``history``: read the briefings' issued versions from git (the CLI does; its note, when
    there is none, is ``history_note``). What the last successful build found and made is
    taken over while it holds (:mod:`briefgen.editions.recall`): all of it when nothing
    changed, that of the unchanged briefings when only briefing files changed. ``force``
    runs in full.
    """
    out_dir, base = options.out_dir or root / OUTPUT_DIR, options.out_dir or root
    fingerprint = input_fingerprint(root, [out_dir], _memo_options(options, history))
    memo = _usable_memo(root, out_dir, base, options, fingerprint)
    if memo is not None and fingerprint is not None and memo.fingerprint == fingerprint.whole:
        return _recalled(memo)
    kept = kept_part(memo, fingerprint) if memo and fingerprint and not options.only else None
    if kept is None:  # a full build: the workers' imports overlap its validation
        start_workers_early(options.formats, options.jobs)
    validated = validate_project(
        root,
        only=kept.changed if kept else None,
        cited_elsewhere=kept.sources if kept else (),
    )
    validated.report.items.extend(kept.diagnostics if kept else ())
    # Archives the fingerprint leaves out (in output/, in a hidden folder), as validation read them.
    unwalked = (
        unwalked_digests(root, [out_dir], archive_paths(validated.project))
        if validated.project is not None
        else None
    )
    note = None
    if history and validated.project is not None:
        project, note = with_history(validated.project)
        validated = replace(validated, project=project)
    result = build_validated(validated, options, on_progress, on_start)
    result.history_note = note
    if kept is not None:
        _take_over(result, kept)
    if result.ok and fingerprint is not None and unwalked is not None:
        _remember(out_dir, base, options, fingerprint, result, unwalked)
    return result


def _memo_options(options: BuildOptions, history: bool) -> dict[str, object]:
    """The options a build's outcome depends on (not --jobs, --force, --trust-outputs, --quiet)."""
    chosen = dataclasses.asdict(options)
    for name in ("jobs", "force", "trust_outputs"):
        chosen.pop(name)
    return {"command": "build", "history": history, **chosen}


def _usable_memo(
    root: Path, out_dir: Path, base: Path, options: BuildOptions, fingerprint: Fingerprint | None
) -> BuildMemo | None:
    """The last build's record, if any of it can be taken over (never with ``force``): its
    outputs as written, and the archives the fingerprint leaves out as they were."""
    if options.force or fingerprint is None:
        return None
    memo = read_memo(out_dir, base, MEMO_FILE, BuildFacts)
    names = [FILE_NAMES[f] for f in options.formats]
    if memo is None or not unwalked_hold(root, [out_dir], memo.unwalked):
        return None
    return memo if outputs_hold(memo, out_dir, base, names) else None


def _recalled(memo: BuildMemo) -> BuildResult:
    """The result of a build with nothing changed: the last one's, nothing rendered."""
    result = BuildResult(memo.report, valid=True, skipped=sorted(memo.outputs))
    result.history_note, result.keys = memo.history_note, memo.outputs
    result.sources = recorded_sources(memo) or {}
    return result


def _take_over(result: BuildResult, kept: KeptPart) -> None:
    """Add the unchanged briefings, up to date as the last build left them, to ``result``."""
    result.skipped = sorted({*result.skipped, *kept.keys})
    result.keys = dict(sorted({**kept.keys, **result.keys}.items()))
    result.sources = {**kept.unit_sources, **result.sources}


def _remember(
    out_dir: Path,
    base: Path,
    options: BuildOptions,
    fingerprint: Fingerprint,
    result: BuildResult,
    unwalked: dict[str, str],
) -> None:
    """Keep the record of a successful build, stamped with the outputs it names."""
    names = [*(FILE_NAMES[f] for f in options.formats), KEY_FILE]
    stamps = stamp_files(out_dir, [f"{unit}/{name}" for unit in result.keys for name in names])
    if stamps:
        facts = build_facts(fingerprint, result.sources)
        memo = Memo(
            fingerprint.whole,
            result.report,
            result.history_note,
            result.keys,
            facts,
            stamps,
            unwalked,
        )
        write_memo(out_dir, base, MEMO_FILE, memo)


def build_validated(
    validated: Validated,
    options: BuildOptions,
    on_progress: Callable[[str], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> BuildResult:
    """Render and write each selected briefing of a validated project.

    Briefings whose outputs are up to date are skipped (unless ``options.force``); the others
    render in ``options.jobs`` processes. Raises :class:`UnknownBriefingError` for an ``--only``
    id that is not a briefing of the project.
    """
    project, result = validated.project, BuildResult(validated.report)
    if project is None or validated.report.failed(options.strict):
        return result
    # --layout over the project's setting; a setting, so the build key follows it.
    project = with_layout(project, options.layout)
    result.valid = True
    root = project.root
    out_dir = options.out_dir or root / OUTPUT_DIR
    # Links are refused from the project root down (output/ itself included); a user's --out
    # is their own choice of folder, and only what is below it is checked.
    base = options.out_dir or root
    ids = select_briefings(project, options.only, options.shard)
    if options.edition is not None and _edition_failed(validated, ids, options, result):
        return result
    if _editions_unapproved(project, ids, options, result):
        return result
    project, units = build_units(project, ids, options.edition)
    todo, keys = _plan(project, units, options, out_dir, result, base)
    if on_start:
        on_start(len(todo))
    with OutputBatch() as batch:
        for briefing_id, outcome in render_all(project, todo, options.formats, options.jobs):
            _stage(batch, project, out_dir / briefing_id, briefing_id, outcome, keys, base, result)
            if batch.due():
                _record(batch.flush(root), result)
            if on_progress:
                on_progress(briefing_id)
        _record(batch.flush(root), result)
    # Parallel renders finish in any order; the result reads the same as a serial build's.
    result.written.sort(key=lambda w: (w.briefing_id, w.path.name))
    result.failures = dict(sorted(result.failures.items()))
    result.rendered.sort()
    return result
