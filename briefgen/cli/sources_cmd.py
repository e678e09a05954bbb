"""``briefgen sources``: which origins each fact rests on, and which quotes are verified."""

from __future__ import annotations

import json
from pathlib import Path

import click

from briefgen.cli.common import resolve_project, summary_line
from briefgen.cli.errors import EXIT_CONTENT, EXIT_OK
from briefgen.diagnostics import Severity, format_json, json_safe


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("--strict", is_flag=True, help="Treat warnings and unverified quotes as errors.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="text for people; json (report and diagnostics in one object) for tools.",
)
@click.option("-q", "--quiet", is_flag=True, help="text: no summary line at the end.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="text: also list notes (e.g. unverified quotes) and which archived text each quote "
    "was found in; json always includes them.",
)
def sources(path: Path | None, strict: bool, fmt: str, quiet: bool, verbose: bool) -> int:
    """Show where each fact of each briefing comes from.

    \b
    For every key point, event, decision, statement and assessment: the
    citing chains followed to its origins (inn → jpost → vop: Israel National
    News relays The Jerusalem Post, which relays Voice of Palestine), the
    number of independent origins, and for direct quotes whether they were
    verified against an archived copy of the source, are unverified (no
    archive) or failing (not found in it). See docs/provenance.md.

    \b
    The report goes to standard output; problems found by validation go to
    standard error (text: notes such as unverified quotes are counted in the
    summary line and listed with -v), or into the JSON object (json: all of
    them, notes as severity "info").

    \b
    Exit codes (as validate): 0 no errors, 1 errors (or warnings with --strict),
    2 usage or no project found, 3 internal error.
    """
    from briefgen.provenance.report import format_report, project_provenance
    from briefgen.validate import validate_project

    root = resolve_project(path)
    validated = validate_project(root)
    report = validated.report
    # The salvaging parse and the quote outcomes of that one run: a project with errors still
    # gets its report, and nothing is parsed or verified twice.
    parsed = validated.parsed
    briefings = project_provenance(parsed.registry, parsed.contexts, validated.outcomes)
    diagnostics = report.promoted(strict)
    if fmt == "json":
        payload = {
            "briefings": [b.as_dict() for b in briefings],
            "diagnostics": json.loads(format_json(diagnostics)),
        }
        click.echo(json_safe(json.dumps(payload, indent=2, ensure_ascii=False)))
    else:
        click.echo(format_report(briefings, verbose=verbose))
        # As validate: notes are listed only with -v, and counted in the summary line.
        for d in diagnostics:
            if verbose or d.severity is not Severity.INFO:
                click.echo(d.text(), err=True)
        if not quiet:
            summary = summary_line(report, strict=strict, notes=True, verbose=verbose)
            click.echo(f"briefgen sources: {summary}", err=True)
    return EXIT_CONTENT if report.failed(strict) else EXIT_OK
