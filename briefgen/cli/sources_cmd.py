"""``briefgen sources``: which origins each fact rests on, and which quotes are verified."""

from __future__ import annotations

import json
from pathlib import Path

import click

from briefgen.cli.common import resolve_project, summary_line
from briefgen.cli.errors import EXIT_CONTENT, EXIT_OK
from briefgen.diagnostics import Severity, format_json


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
@click.option("-v", "--verbose", is_flag=True, help="Also print notes (e.g. unverified quotes).")
def sources(path: Path | None, strict: bool, fmt: str, verbose: bool) -> int:
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
    standard error (text), or into the JSON object (json).

    \b
    Exit codes (as validate): 0 no errors, 1 errors (or warnings with --strict),
    2 usage or no project found, 3 internal error.
    """
    from briefgen.provenance.report import format_report, project_provenance
    from briefgen.validate import validate_project

    root = resolve_project(path)
    _, report = validate_project(root)
    briefings = project_provenance(root)
    diagnostics = [d for d in report.promoted(strict) if verbose or d.severity is not Severity.INFO]
    if fmt == "json":
        payload = {
            "briefings": [b.as_dict() for b in briefings],
            "diagnostics": json.loads(format_json(diagnostics)),
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(briefings))
        for d in diagnostics:
            click.echo(d.text(), err=True)
        click.echo(f"briefgen sources: {summary_line(report, strict=strict)}", err=True)
    return EXIT_CONTENT if report.failed(strict) else EXIT_OK
