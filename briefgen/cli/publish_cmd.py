"""``briefgen publish``: the static site of the briefings at or below the publish ceiling."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefgen.cli.build_cmd import JOBS_OPTION, TRUST_OUTPUTS_OPTION, parse_jobs
from briefgen.cli.common import (
    notes_summary,
    print_diagnostics,
    read_history,
    resolve_project,
    say_history_note,
    summary_line,
)
from briefgen.cli.errors import EXIT_CONTENT, EXIT_OK
from briefgen.cli.progress import ProgressBar, shown_path

if TYPE_CHECKING:
    from briefgen.model import Project
    from briefgen.site.publish import SiteBuild
    from briefgen.site.recall import PublishFacts, PublishMemo

DEFAULT_OUT = Path("output") / "site"


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write the site to [default: output/site in the project].",
)
@click.option("--no-pdf", is_flag=True, help="Leave out the PDF editions (a faster draft).")
@JOBS_OPTION
@TRUST_OUTPUTS_OPTION
@click.option("--strict", is_flag=True, help="Treat content warnings as errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print problems only.")
@click.option("-v", "--verbose", is_flag=True, help="Also print notes (e.g. unverified quotes).")
def publish(
    path: Path | None,
    out: Path | None,
    no_pdf: bool,
    jobs: str,
    trust_outputs: bool,
    strict: bool,
    quiet: bool,
    verbose: bool,
) -> int:
    """Write the static site of the project in PATH (default: here) to output/site/.

    \b
    Only briefings marked at or below publish_ceiling in briefgen.yaml
    (default TLP:CLEAR) are published; a briefing above it that lists an
    edition at or below it in 'editions:' is published as that edition
    (portions above it cut out); the others are withheld, with
    everything only they mention (actors, sources), and the command says
    which and why. The site has an index, a page per briefing with its PDF
    and Markdown, a page per actor, a timeline, the sources, an Atom feed
    and a 404 page. Links are relative: open output/site/index.html from
    disk, or serve the folder from any address.

    \b
    A direct quote of a published briefing that was never checked against
    an archived copy of its source is an error unless briefgen.yaml sets
    publish_unverified_quotes: true (the pages then mark it UNVERIFIED).

    \b
    The PDF and Markdown editions are those 'briefgen build' writes to
    output/<id>/: an up-to-date one there is reused, never rendered again;
    the others are rendered (in N processes with --jobs) and written there
    too, for the next build and publish. --no-pdf (a draft) reuses
    up-to-date Markdown and renders the rest in memory only. Files this
    machine did not write (a folder that came with the project, a copy,
    shards gathered from other machines) are reused only with
    --trust-outputs.

    \b
    The folder is replaced as a whole, and only once everything was built:
    a failed publish leaves the previous site as it was.

    \b
    With 'require_approval: true' in briefgen.yaml, every briefing released
    needs an approval of its content as it is ('briefgen approve').

    \b
    Exit codes: 0 written, 1 content errors (unverified quotes and missing,
    self-given or stale approvals included) or
    a page could not be built, 2 usage or no project found, 3 internal error.
    """
    from briefgen.editions.fingerprint import archive_paths
    from briefgen.editions.plan import start_workers_early
    from briefgen.site.approval_gate import unapproved_in_release
    from briefgen.site.quote_gate import unverified_in_release
    from briefgen.site.recall import (
        publish_fingerprint,
        publish_unwalked,
        recall_publish,
        remember_publish,
    )
    from briefgen.validate import validate_project

    workers = parse_jobs(jobs)
    root = resolve_project(path)
    target = out if out is not None else root / DEFAULT_OUT
    fingerprint = publish_fingerprint(root, target, {"no_pdf": no_pdf, "strict": strict})
    memo = recall_publish(root, target, fingerprint)
    if memo is not None:
        return _say_recalled(memo, root, target, strict=strict, quiet=quiet, verbose=verbose)
    start_workers_early(("md",) if no_pdf else ("pdf", "md"), workers)
    checked = validate_project(root)
    # The archives the fingerprint leaves out (in output/, a hidden folder), as just read.
    unwalked = (
        publish_unwalked(root, target, archive_paths(checked.project))
        if checked.project is not None
        else None
    )
    validated, note = read_history(checked)
    say_history_note(note, "publish", quiet=quiet)
    project, report = validated
    if project is not None and not strict:
        # Unverified quotes are notes for a draft but errors for the site (docs/site.md);
        # --strict already makes them errors.
        report.items.extend(unverified_in_release(project, validated.outcomes))
    if project is not None:
        unapproved_in_release(project, report)
    print_diagnostics(report, "text", strict=strict, verbose=verbose)
    if project is None or report.failed(strict):
        summary = summary_line(report, strict=strict, notes=True, verbose=verbose)
        click.echo(f"briefgen publish: {summary}; nothing written", err=True)
        return EXIT_CONTENT
    # Notes do not stop a publish, but the summary counts them (unverified quotes are never
    # passed silently; the pages mark them too).
    notes = notes_summary(report, strict=strict, verbose=verbose)
    site = _build_and_write(
        project,
        target,
        pdf=not no_pdf,
        quiet=quiet,
        chosen=out is not None,
        jobs=workers,
        trusted=trust_outputs,
    )
    facts = _facts(site, target, pdf=not no_pdf)
    _say_published(facts, quiet=quiet, notes=notes)
    remember_publish(root, target, fingerprint, report, note, site.files, facts, unwalked)
    return EXIT_OK


def _build_and_write(
    project: Project,
    target: Path,
    *,
    pdf: bool,
    quiet: bool,
    chosen: bool,
    jobs: int,
    trusted: bool,
) -> SiteBuild:
    from briefgen.site.publish import build_site, project_outputs, write_site

    # A page or edition that cannot be made (SiteBuildError), or a folder in the way
    # (SiteOutputError), travels up to run_guarded: exit 1, or 2 when --out chose the folder.
    outputs = project_outputs(project.root, trusted=trusted)
    bar = ProgressBar("publishing", quiet=quiet)
    try:
        site = build_site(
            project,
            pdf=pdf,
            on_start=bar.start,
            on_rendered=bar.advance,
            outputs=outputs,
            jobs=jobs,
        )
    finally:
        bar.close()
    write_site(site.files, target, root=project.root, chosen=chosen)
    return site


def _facts(site: SiteBuild, target: Path, *, pdf: bool) -> PublishFacts:
    """What a publish says after writing the site; kept with its record for a recall."""
    from briefgen.site.recall import PublishFacts

    return PublishFacts(
        withheld=tuple(f"withheld {w.briefing_id}: {w.reason}" for w in site.withheld),
        editions=tuple(f"edition {e.briefing_id}: {e.reason}" for e in site.as_editions),
        published=len(site.released.project.briefings),
        as_editions=len(site.as_editions),
        files=len(site.files),
        target=shown_path(target),
        pdfs=(len(site.pdfs_rendered), len(site.pdfs_reused)) if pdf else None,
    )


def _say_published(facts: PublishFacts, *, quiet: bool, notes: str, recalled: bool = False) -> None:
    """The withheld briefings, the editions published instead and (unless quiet) the summary."""
    for line in [*facts.withheld, *facts.editions]:
        click.echo(line, err=True)
    if quiet:
        return
    as_editions, pdfs = facts.as_editions, facts.pdfs
    counts = ""
    if pdfs is not None:
        rendered, reused = (0, sum(pdfs)) if recalled else pdfs
        counts = f"; {rendered} PDF{'s' * (rendered != 1)} rendered, {reused} reused"
    unchanged = " (unchanged: nothing changed since the last publish)" if recalled else ""
    click.echo(
        f"briefgen publish: {facts.published} briefing(s) published"
        + (f" ({as_editions} as an edition)" if as_editions else "")
        + f", {len(facts.withheld)} withheld; {facts.files} files in {facts.target}"
        + unchanged
        + counts
        + (f"; {notes}" if notes else ""),
        err=True,
    )


def _say_recalled(
    memo: PublishMemo, root: Path, target: Path, *, strict: bool, quiet: bool, verbose: bool
) -> int:
    """A publish with nothing changed: what the last one said; the site is left as it is.

    What an interrupted publish left beside it is removed, as a full publish does.
    """
    from briefgen.site.publish import remove_stale_sites

    remove_stale_sites(target, root)
    say_history_note(memo.history_note, "publish", quiet=quiet)
    print_diagnostics(memo.report, "text", strict=strict, verbose=verbose)
    notes = notes_summary(memo.report, strict=strict, verbose=verbose)
    facts = memo.facts.model_copy(update={"target": shown_path(target)})
    _say_published(facts, quiet=quiet, notes=notes, recalled=True)
    return EXIT_OK
