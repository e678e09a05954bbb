"""``briefgen build``: validate, then write PDF, HTML and Markdown for each briefing."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefgen.cli.common import (
    complete_briefing_ids,
    notes_summary,
    print_diagnostics,
    resolve_project,
    say_history_note,
    summary_line,
)
from briefgen.cli.errors import EXIT_CONTENT, EXIT_OK
from briefgen.cli.progress import ProgressBar, shown_path

if TYPE_CHECKING:
    from briefgen.editions.shards import Shard
    from briefgen.model import Tlp
    from briefgen.model.project import Layout

ALL_FORMATS = ("pdf", "html", "md")

# --jobs of build and publish: how many briefings render at once (see parse_jobs).
JOBS_OPTION = click.option(
    "-j",
    "--jobs",
    default="1",
    metavar="N|auto",
    help="Render briefings in N processes at once; auto: one per CPU (default: 1).",
)


def parse_jobs(value: str) -> int:
    """'auto' (one per CPU) or a whole number of worker processes, at least 1."""
    if value.strip().lower() == "auto":
        return os.cpu_count() or 1
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise click.BadParameter(
            f"'{value}' is not a number of processes; give 1, 2, … or auto", param_hint="--jobs"
        )
    return jobs


TRUST_OUTPUTS_OPTION = click.option(
    "--trust-outputs",
    is_flag=True,
    help="Reuse up-to-date files in output/<id>/ that this machine did not write (your own "
    "shards' or CI cache's outputs). Never for an output folder that came with a project: "
    "its files would be taken on their word.",
)


def parse_shard_option(value: str | None) -> Shard | None:
    """--shard 'K/N' as a Shard; a malformed value is a usage error (exit 2)."""
    if value is None:
        return None
    from briefgen.editions.shards import parse_shard

    try:
        return parse_shard(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--shard") from None


def parse_formats(values: tuple[str, ...]) -> tuple[str, ...]:
    """'pdf,html' and repeated --format options as a tuple in canonical order.

    No --format means all three; a --format that names none (``--format ""``, ``--format ,``)
    is a mistake, not a request for everything.
    """
    wanted = {part.strip().lower() for value in values for part in value.split(",") if part.strip()}
    if values and not wanted:
        raise click.BadParameter("give at least one of pdf, html, md", param_hint="--format")
    unknown = sorted(wanted - set(ALL_FORMATS))
    if unknown:
        raise click.BadParameter(
            f"unknown format {', '.join(unknown)}; choose from pdf, html, md",
            param_hint="--format",
        )
    return tuple(f for f in ALL_FORMATS if f in wanted) or ALL_FORMATS


def _harfbuzz_note(formats: tuple[str, ...]) -> None:
    if "pdf" not in formats:
        return
    from briefgen.pdf import HARFBUZZ_NOTE, harfbuzz_subset_missing

    if harfbuzz_subset_missing():
        click.echo(HARFBUZZ_NOTE, err=True)


def parse_edition(value: str | None) -> Tlp | None:
    """The TLP label of ``--edition``, said as the content's markings are when misspelt."""
    from pydantic import TypeAdapter, ValidationError

    from briefgen.model.common import Marking

    if value is None:
        return None
    try:
        return TypeAdapter(Marking).validate_python(value)
    except ValidationError as exc:
        message = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise click.BadParameter(message, param_hint="'--edition'") from None


def _skipped_note(skipped: list[str]) -> str:
    if not skipped:
        return ""
    editions = sum(1 for unit in skipped if "/" in unit)  # '<id>/edition-tlp-x'
    what = f"{len(skipped) - editions} briefing(s)"
    what += f" and {editions} edition(s)" if editions else ""
    return f"; {what} up to date, skipped (--force rebuilds them)"


def _summary(result: Any, root: Path, elapsed: float, verbose: bool, strict: bool) -> None:
    for item in result.written:
        if verbose:
            state = "wrote" if item.changed else "unchanged"
            click.echo(f"{state} {shown_path(item.path)} ({item.size:,} bytes)", err=True)
    if verbose:
        for briefing_id in result.skipped:
            click.echo(f"up to date {briefing_id}", err=True)
    skipped = _skipped_note(result.skipped)
    # Unverified quotes are marked in the outputs; the summary says so too, never silently.
    notes = notes_summary(result.report, strict=strict, verbose=verbose)
    skipped += f"; {notes}" if notes else ""
    if not result.written:
        click.echo(f"briefgen build: nothing written{skipped} ({elapsed:.1f} s)", err=True)
        return
    changed = sum(1 for w in result.written if w.changed)
    # An edition's id is '<id>/edition-tlp-x' (its folder): counted with its note.
    briefings = len({w.briefing_id.split("/")[0] for w in result.written})
    unchanged = len(result.written) - changed
    extra = f", {unchanged} unchanged" if unchanged else ""
    folders = sorted(
        {shown_path(w.path.parents[1 + w.briefing_id.count("/")]) for w in result.written}
    )
    click.echo(
        f"briefgen build: wrote {changed} file(s){extra} for {briefings} briefing(s) "
        f"in {', '.join(folders)}{skipped} ({elapsed:.1f} s)",
        err=True,
    )


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    metavar="LIST",
    help="Formats to write, comma-separated: pdf,html,md (default: all three).",
)
@click.option(
    "--only",
    multiple=True,
    metavar="ID",
    shell_complete=complete_briefing_ids,
    help="Build only this briefing (repeat for more). Default: every briefing.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder (default: output/ in the project).",
)
@JOBS_OPTION
@click.option(
    "--shard",
    metavar="K/N",
    help="Build only shard K of N: a stable 1/N of the briefings, for N CI machines.",
)
@click.option(
    "--layout",
    type=click.Choice(["reader", "analyst"]),
    help="reader: what a decision-maker reads (key judgements, contents, endnotes, source "
    "summary; no working notes); analyst: the working copy with every dating note, locator "
    "and source note. Default: the project's 'layout' setting, else reader.",
)
@click.option(
    "--edition",
    metavar="TLP:LABEL",
    help="Write only the releasable edition at this label of each briefing: the portions "
    "marked at or below it, into output/<id>/edition-tlp-<label>/.",
)
@click.option(
    "--force", is_flag=True, help="Render every briefing, even those whose outputs are up to date."
)
@TRUST_OUTPUTS_OPTION
@click.option("--strict", is_flag=True, help="Treat warnings as errors: build nothing on any.")
@click.option("-q", "--quiet", is_flag=True, help="Print problems only: no progress, no summary.")
@click.option("-v", "--verbose", is_flag=True, help="Also print notes and every file written.")
def build(
    path: Path | None,
    formats: tuple[str, ...],
    only: tuple[str, ...],
    out_dir: Path | None,
    jobs: str,
    shard: str | None,
    layout: Layout | None,
    edition: str | None,
    force: bool,
    trust_outputs: bool,
    strict: bool,
    quiet: bool,
    verbose: bool,
) -> int:
    """Validate the project in PATH (default: here), then write each briefing.

    \b
    Output: output/<id>/briefing.pdf, briefing.html and briefing.md; each
    edition a briefing lists in 'editions:' (or --edition TLP:CLEAR) goes to
    output/<id>/edition-tlp-clear/, cut to the portions marked at or below it.
    The content is validated first; with any error (or, under --strict, any
    warning) nothing is written. Each file is written to a temporary file and
    renamed into place, so a failed or interrupted build leaves the previous
    outputs whole. Files whose bytes did not change are left alone.

    Builds are incremental: a briefing is skipped when nothing it depends on
    (its content, the actors and sources it uses, settings, templates, briefgen
    version) has changed since its outputs were written, the formats asked
    for are those written, and they are as written (output/<id>/.briefgen-key
    records the key and each file). 'briefgen publish' reuses these files.
    --force renders everything; --jobs renders several briefings at once,
    with the same bytes. --shard K/N builds the briefings of shard K of N
    (by a hash of each id, so a briefing keeps its shard as others are
    added); the N shards' output folders together are a full build, and
    'briefgen publish --trust-outputs' on them renders no PDF again.
    Outputs this machine did not write (a folder that came with the project,
    a copy) are rendered again unless --trust-outputs vouches for them.

    \b
    Examples:
      briefgen build                       everything, into output/
      briefgen build --format pdf --only pa-coordination-2023-02
      briefgen build --jobs auto           one process per CPU
      briefgen build --shard 2/4           the second of four CI machines
      briefgen build --layout analyst      the working copy, every dating note
      briefgen build --force --out /tmp/preview -v
      briefgen build --edition TLP:CLEAR  only the TLP:CLEAR editions

    \b
    Exit codes: 0 all written, 1 content errors or a briefing failed to
    render, 2 usage or no project found, 3 internal error.
    """
    # Imported here so that other commands (validate) never load the renderers.
    from briefgen.build import BuildOptions
    from briefgen.build import build as build_project

    chosen = parse_formats(formats)
    workers = parse_jobs(jobs)
    part = parse_shard_option(shard)
    root = resolve_project(path)
    label = parse_edition(edition)
    options = BuildOptions(
        chosen, tuple(only), out_dir, strict, workers, force, part, layout, label, trust_outputs
    )
    started = time.perf_counter()
    bar = ProgressBar("building", quiet=quiet)
    try:
        # An --only id that is not a briefing is an UnknownBriefingError, a usage error (exit 2).
        result = build_project(root, options, bar.advance, bar.start, history=True)
    finally:
        bar.close()
    say_history_note(result.history_note, "build", quiet=quiet)
    print_diagnostics(result.report, "text", strict=strict, verbose=verbose)
    if not result.valid:
        click.echo(
            "briefgen build: "
            f"{summary_line(result.report, strict=strict, notes=True, verbose=verbose)}; "
            "nothing written",
            err=True,
        )
        return EXIT_CONTENT
    for briefing_id, message in sorted(result.failures.items()):
        click.echo(f"{briefing_id}: error: {message} (previous outputs kept)", err=True)
    if not quiet:
        _harfbuzz_note(chosen)
        _summary(result, root, time.perf_counter() - started, verbose, strict)
    return EXIT_OK if result.ok else EXIT_CONTENT
