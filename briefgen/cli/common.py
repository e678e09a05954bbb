"""Options and output shared by the commands."""

from __future__ import annotations

from pathlib import Path

import click

from briefgen.cli.errors import UserError
from briefgen.diagnostics import Diagnostic, Report, Severity, format_github, format_json
from briefgen.load import find_project_root

FORMATS = ("text", "json", "github")
_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def resolve_project(path: Path | None) -> Path:
    """The project folder for ``path`` (default: here), searching upwards for briefgen.yaml."""
    start = path or Path.cwd()
    if not start.exists():
        raise UserError(f"no such folder: {start}")
    root = find_project_root(start)
    if root is None:
        raise UserError(
            f"no briefgen.yaml in {start.resolve()} or any folder above it; "
            "run 'briefgen init DIR' to make a project"
        )
    return root


def project_argument() -> click.Argument:
    """The optional PATH argument of commands that work on a project."""
    return click.Argument(
        ["path"], required=False, type=click.Path(path_type=Path, file_okay=False)
    )


def _visible(report: Report, strict: bool, verbose: bool) -> list[Diagnostic]:
    items = report.promoted(strict)
    return [d for d in items if verbose or d.severity is not Severity.INFO]


def print_diagnostics(report: Report, fmt: str, *, strict: bool, verbose: bool) -> None:
    """Write the diagnostics to standard output in the chosen format."""
    items = _visible(report, strict, verbose)
    if fmt == "json":
        click.echo(format_json(items))
        return
    if fmt == "github":
        if items:
            click.echo(format_github(items))
        return
    for d in items:
        label = click.style(str(d.severity), fg=_COLOURS[d.severity], bold=True)
        hint = click.style(f" ({d.hint})", dim=True) if d.hint else ""
        click.echo(f"{click.style(str(d.location), bold=True)}: {label}: {d.message}{hint}")


def summary_line(report: Report, *, strict: bool) -> str:
    """'2 errors, 1 warning' or 'no problems', counted after --strict promotion."""
    items = report.promoted(strict)
    errors = sum(1 for d in items if d.severity is Severity.ERROR)
    warnings = sum(1 for d in items if d.severity is Severity.WARNING)
    if not errors and not warnings:
        return "no problems"
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)
