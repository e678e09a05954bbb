"""``briefgen validate``: check a project and report every problem at once."""

from __future__ import annotations

from pathlib import Path

import click

from briefgen.cli.common import FORMATS, print_diagnostics, resolve_project, summary_line
from briefgen.cli.errors import EXIT_CONTENT, EXIT_OK


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 on any).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for GitHub Actions annotations.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print problems only, no summary line.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="text: also list notes (e.g. unverified quotes); json and github always include them.",
)
def validate(path: Path | None, strict: bool, fmt: str, quiet: bool, verbose: bool) -> int:
    """Check the project in PATH (default: here) and print every problem.

    \b
    Each problem is printed as  path:line:col: error|warning: message (hint),
    sorted by file and position. Warnings (a key point resting on one source,
    a source nothing cites) do not fail the run unless --strict is given.
    Notes (a quote that could not be checked against an archive) are counted
    in the summary line and listed with -v; --strict makes unverified quotes
    errors. --format json and github always include notes (info, ::notice).

    \b
    Exit codes: 0 no errors, 1 errors (or warnings with --strict),
    2 usage or no project found, 3 internal error.
    """
    from briefgen.validate.two_cores import check_project

    root = resolve_project(path)
    checked = check_project(root)  # nothing but the report is kept: on two cores
    report, found = checked.report, checked.counts
    print_diagnostics(report, fmt, strict=strict, verbose=verbose)
    if fmt == "text" and not quiet:
        counts = ""
        if found is not None:
            counts = (
                f"{found.briefings} briefing(s), {found.actors} actors, {found.sources} sources: "
            )
        summary = summary_line(report, strict=strict, notes=True, verbose=verbose)
        click.echo(f"briefgen validate: {counts}{summary}", err=True)
    return EXIT_CONTENT if report.failed(strict) else EXIT_OK
