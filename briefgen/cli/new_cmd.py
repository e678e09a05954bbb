"""``briefgen new``: start a briefing file with every section laid out."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from briefgen.cli.common import resolve_project
from briefgen.cli.errors import EXIT_CONTENT, UserError
from briefgen.diagnostics import Report
from briefgen.errors import OutputError
from briefgen.load import read_yaml_file
from briefgen.load.confine import first_link, open_folder
from briefgen.load.project_files import BRIEFINGS_DIR, PROJECT_FILE
from briefgen.model import placeholders
from briefgen.model.common import id_problem, is_valid_id
from briefgen.model.project import ProjectSettings
from briefgen.validate.schema import parse_file

# summary, background and outlook (and the --title and --author defaults, and a decision's
# first recommendation) are the texts of briefgen.model.placeholders: validation reports each
# one left in a briefing.
SKELETON = """\
# yaml-language-server: $schema=../../schemas/briefing.schema.json
title: {title}
marking: {marking}
purpose: {purpose}
cutoff: "{today}"
issued: "{today}"
version: "0.1"
authors: [{author}]
# Narrative fields are Markdown; cite a source inline as [@source-id].
summary: >-
  {summary}
key_points: []
background: >-
  {background}
events: []
decisions: []
statements: []
assessments: []
outlook: >-
  {outlook}
information_gaps: []
recommendations: []
"""


def _settings(root: Path) -> ProjectSettings:
    report = Report()
    loaded = read_yaml_file(root / PROJECT_FILE, PROJECT_FILE, report)
    settings = parse_file(loaded, ProjectSettings, report) if loaded else None
    if settings is None:
        for item in report.sorted():
            click.echo(item.text())
        raise click.exceptions.Exit(EXIT_CONTENT)
    return settings


@click.command()
@click.argument("briefing_id", metavar="ID")
@click.argument("path", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("--title", default=placeholders.TITLE, help="Title of the new briefing.")
@click.option(
    "--purpose",
    type=click.Choice(["information", "decision"]),
    default="information",
    show_default=True,
    help="'decision' briefings must end with recommendations.",
)
@click.option("--author", default=placeholders.AUTHOR, help="Author name to start with.")
# Before 0.2 the project folder was an option; it stays accepted, unlisted, for old scripts.
@click.option(
    "--project",
    "project_option",
    hidden=True,
    type=click.Path(path_type=Path, file_okay=False),
)
def new(
    briefing_id: str,
    path: Path | None,
    title: str,
    purpose: str,
    author: str,
    project_option: Path | None,
) -> None:
    """Create content/briefings/ID.yaml in the project in PATH (default: here).

    \b
    ID becomes the file name and the briefing's id: lower-case letters,
    digits and hyphens (e.g. pa-coordination-2023-02). The marking is the
    project's default_marking; cut-off and issue date are today. Never
    overwrites an existing briefing.
    """
    if path is not None and project_option is not None:
        raise click.UsageError("give the project folder once: as PATH, not also as --project")
    if not is_valid_id(briefing_id):
        raise UserError(id_problem(briefing_id))
    root = resolve_project(path or project_option)
    target = root / BRIEFINGS_DIR / f"{briefing_id}.yaml"
    if os.path.lexists(target):
        raise UserError(f"{target} already exists; new never overwrites")
    settings = _settings(root)
    text = SKELETON.format(
        title=_yaml_text(title),
        marking=settings.default_marking.value,
        purpose=purpose,
        today=dt.date.today().isoformat(),
        author=_yaml_text(author),
        summary=placeholders.SUMMARY,
        background=placeholders.BACKGROUND,
        outlook=placeholders.OUTLOOK,
    )
    if purpose == "decision":
        text = text.replace(
            "recommendations: []",
            f"recommendations:\n  - {_yaml_text(placeholders.RECOMMENDATION)}",
        )
    _create(root, target.name, text)
    click.echo(
        f"Created {target.relative_to(root)}; fill it in, then run briefgen validate.", err=True
    )


def _create(root: Path, name: str, text: str) -> None:
    """Write content/briefings/NAME, following no link on the way and replacing nothing.

    Like every write of briefgen, it stays inside the project: a linked ``content/`` or
    ``content/briefings/`` (to anywhere) is refused, not written through.
    """
    try:
        folder = open_folder(root, BRIEFINGS_DIR.split("/"), create=True)
    except OSError as exc:
        link = first_link(root, root / BRIEFINGS_DIR)
        if link is None:
            raise OutputError(f"cannot write {BRIEFINGS_DIR}: {exc.strerror or exc}") from None
        shown = link.relative_to(root).as_posix()
        raise OutputError(
            f"{shown} is a symbolic link (to {os.readlink(link)}); briefgen new writes only "
            "inside the project: remove the link"
        ) from None
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(name, flags, 0o666, dir_fd=folder)
    except FileExistsError:
        raise UserError(f"{BRIEFINGS_DIR}/{name} already exists; new never overwrites") from None
    finally:
        os.close(folder)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def _yaml_text(value: str) -> str:
    """Quote a value so YAML keeps it as text whatever it contains."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
