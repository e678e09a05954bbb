"""``briefgen diff``: what changed in a briefing, fact by fact, between two of its states."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefgen.cli.common import complete_briefing_ids, resolve_project
from briefgen.cli.errors import EXIT_OK, UserError
from briefgen.diagnostics import json_safe

if TYPE_CHECKING:
    from briefgen.history.states import State
    from briefgen.model.briefings import Briefing


@click.command()
@click.argument("briefing_id", metavar="ID", shell_complete=complete_briefing_ids)
@click.argument("path", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--from", "from_", metavar="VERSION|REV", help="Default: the previous issued version."
)
@click.option("--to", metavar="VERSION|REV", help="Default: the working tree.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="text for people; json for tools.",
)
def diff(briefing_id: str, path: Path | None, from_: str | None, to: str | None, fmt: str) -> int:
    """Show what changed in briefing ID, fact by fact.

    \b
    By fact id: facts added and removed, text reworded (word by word), dates
    changed, likelihood or confidence re-graded, marking and decision status
    changed, sources added or removed; narrative sections word by word.
    VERSION is an issued version (the briefing as committed where its
    'version' last had that value); REV a git commit, branch or tag.
    Default: from the previous issued version to the working tree. History
    comes from the project's own .git (see docs/versions.md).

    \b
    Exit codes: 0 listed (with or without changes), 1 the working tree's
    briefing has errors (run 'briefgen validate'), 2 unknown ID, VERSION or
    REV, no history, usage or no project found, 3 internal error.
    """
    from briefgen.history.diff import diff_briefings
    from briefgen.history.report import format_json, format_text

    root = resolve_project(path)
    old, new = _states(root, briefing_id, from_, to)
    changes = diff_briefings(old.briefing, new.briefing)
    if fmt == "json":
        payload = format_json(briefing_id, old, new, changes)
        click.echo(json_safe(json.dumps(payload, indent=2, ensure_ascii=False)))
    else:
        click.echo(format_text(briefing_id, old, new, changes))
    return EXIT_OK


def _states(root: Path, briefing_id: str, from_: str | None, to: str | None) -> tuple[State, State]:
    """The two states to compare, named or by default."""
    from briefgen.history.repository import open_repository
    from briefgen.history.states import from_version, previous_issued, resolve
    from briefgen.history.versions import issued_versions

    working = _working_state(root, briefing_id) if to is None or from_ is None else None
    opened = open_repository(root)
    try:
        repo = opened.repo
        versions = issued_versions(repo, briefing_id) if repo is not None else []
        new = working if to is None else resolve(repo, versions, briefing_id, to)
        if from_ is not None:
            return resolve(repo, versions, briefing_id, from_), _known(new)
        previous = previous_issued(versions, _known(new).briefing.version)
    finally:
        if opened.repo is not None:
            opened.repo.close()
    if previous is None:
        why = opened.reason or f"'{briefing_id}' has no issued version before this one"
        raise UserError(f"no earlier version to compare with: {why}")
    return from_version(previous), _known(new)


def _known(state: State | None) -> State:
    assert state is not None  # the working tree is read whenever --to is not given
    return state


def _working_state(root: Path, briefing_id: str) -> State:
    """The briefing as it is in the working tree, as a state to compare."""
    from briefgen.history.states import WORKING, State

    return State(WORKING, None, working_briefing(root, briefing_id))


def working_briefing(root: Path, briefing_id: str) -> Briefing:
    """The briefing as it is in the working tree; UserError if unknown, exit 1 if invalid."""
    from briefgen.diagnostics import Report
    from briefgen.errors import ContentError
    from briefgen.load.project_files import briefing_ids
    from briefgen.validate import parse_project
    from briefgen.validate.hints import did_you_mean

    known = briefing_ids(root)
    if briefing_id not in known:
        hint = did_you_mean(briefing_id, known)
        raise UserError(
            f"'{briefing_id}' is not a briefing in content/briefings/"
            + (f" ({hint})" if hint else "")
        )
    parsed = parse_project(root, Report())
    for ctx in parsed.contexts:
        if ctx.briefing_id == briefing_id and not ctx.invalid:
            return ctx.briefing
    raise ContentError(
        f"content/briefings/{briefing_id}.yaml has errors",
        "run 'briefgen validate' to see them",
    )
