"""Options and output shared by the commands."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefgen.cli.errors import UserError
from briefgen.diagnostics import (
    Diagnostic,
    Report,
    Severity,
    escape_unsafe,
    format_github,
    format_json,
)
from briefgen.load import find_project_root
from briefgen.load.project_files import briefing_ids

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from briefgen.validate import Validated

FORMATS = ("text", "json", "github")
_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def colour_choice(flag: bool | None) -> bool | None:
    """Whether output is coloured, for ``click.Context.color``: True, False or None (decide).

    ``--no-color`` or a non-empty ``NO_COLOR`` (https://no-color.org) turn colour off;
    ``--color`` turns it on even when the output is not a terminal (and wins over
    ``NO_COLOR``, as the command line is the more specific choice); otherwise None leaves the
    choice to click, which colours a terminal only.
    """
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    return None


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


def complete_briefing_ids(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Shell completion of a briefing id: those of the project in PATH (or here, or above)."""
    from click.shell_completion import CompletionItem

    # While completing, click may leave the positional PATH unparsed, in ctx.args.
    given = [p for p in (ctx.params.get("path"), *ctx.args) if p is not None]
    root = find_project_root(Path(given[0]) if given else Path.cwd())
    if root is None:
        return []
    return [CompletionItem(i) for i in briefing_ids(root) if i.startswith(incomplete)]


def _visible(report: Report, fmt: str, strict: bool, verbose: bool) -> list[Diagnostic]:
    # Notes (e.g. unverified quotes) are listed in text only with -v, so that a terminal shows
    # problems first (the summary line counts the notes); JSON and GitHub output always carry
    # them, as severity "info" and "::notice": a tool filters, and CI must not pass them silently.
    items = report.promoted(strict)
    if fmt != "text" or verbose:
        return items
    return [d for d in items if d.severity is not Severity.INFO]


def print_diagnostics(report: Report, fmt: str, *, strict: bool, verbose: bool) -> None:
    """Write the diagnostics to standard output in the chosen format."""
    items = _visible(report, fmt, strict, verbose)
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
        where = click.style(escape_unsafe(str(d.location)), bold=True)
        click.echo(f"{where}: {label}: {d.message}{hint}")


def summary_line(
    report: Report, *, strict: bool, notes: bool = False, verbose: bool = False
) -> str:
    """'2 errors, 1 warning' or 'no problems', counted after --strict promotion.

    With ``notes``, the notes follow: 'no problems; 6 quotes unverified (run with -v to list
    them)' (see :func:`notes_summary`); only for commands that have -v.
    """
    items = report.promoted(strict)
    errors = sum(1 for d in items if d.severity is Severity.ERROR)
    warnings = sum(1 for d in items if d.severity is Severity.WARNING)
    parts = []
    if errors:
        parts.append(_counted(errors, "error", "errors"))
    if warnings:
        parts.append(_counted(warnings, "warning", "warnings"))
    line = ", ".join(parts) or "no problems"
    noted = notes_summary(report, strict=strict, verbose=verbose) if notes else ""
    return f"{line}; {noted}" if noted else line


# Notes counted by what they mean to the reader; any other kind counts as a plain "note".
_NOTE_NAMES = {
    "unverified-quote": ("quote unverified", "quotes unverified"),
    "unverified-excerpt": ("excerpt unverified", "excerpts unverified"),
}
_OTHER_NOTE = ("note", "notes")


def notes_summary(report: Report, *, strict: bool, verbose: bool) -> str:
    """'6 quotes unverified, 1 note (run with -v to list them)', or '' without notes.

    Counted after --strict promotion (a promoted note is an error). Without ``verbose`` the
    notes were not listed, so the line says how to list them.
    """
    infos = [d for d in report.promoted(strict) if d.severity is Severity.INFO]
    if not infos:
        return ""
    names = [*_NOTE_NAMES.values(), _OTHER_NOTE]
    counts = dict.fromkeys(names, 0)
    for d in infos:
        counts[_NOTE_NAMES.get(d.code, _OTHER_NOTE)] += 1
    line = ", ".join(_counted(n, *name) for name, n in counts.items() if n)
    return line if verbose else f"{line} (run with -v to list them)"


def _counted(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def read_history(validated: Validated) -> tuple[Validated, str | None]:
    """The validated project with its issued versions, and why there are none (if so)."""
    from briefgen.history import with_history

    if validated.project is None:
        return validated, None
    project, note = with_history(validated.project)
    return replace(validated, project=project), note


def say_history_note(note: str | None, command: str, *, quiet: bool) -> None:
    """Why there is no version history, on one line (nothing when there is one)."""
    if note and not quiet:
        click.echo(f"briefgen {command}: no version history: {note}", err=True)
