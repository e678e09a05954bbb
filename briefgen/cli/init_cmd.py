"""``briefgen init``: a new project with example content that validates and builds at once."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

import click

from briefgen.cli.errors import UserError
from briefgen.model.schema_export import FILE_KINDS, SCHEMA_DIR, schema_file_name, schema_text

# Which schema each scaffold file follows, for the yaml-language-server comment.
_SCHEMA_OF = {
    "briefgen.yaml": "project",
    "content/actors.yaml": "actors",
    "content/sources.yaml": "sources",
}
_RENAMES = {"gitignore": ".gitignore"}


def _scaffold_files() -> list[tuple[str, str]]:
    """(relative path, text) of every file in the packaged scaffold."""
    root = resources.files("briefgen") / "scaffold"
    found: list[tuple[str, str]] = []

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            relative = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, relative + "/")
            elif not child.name.endswith((".pyc", ".py")):
                found.append((relative, child.read_text(encoding="utf-8")))

    walk(root, "")
    return found


def _with_schema_line(relative: str, text: str) -> str:
    kind = _SCHEMA_OF.get(relative)
    if kind is None and relative.startswith("content/briefings/") and relative.endswith(".yaml"):
        kind = "briefing"
    if kind is None:
        return text
    depth = relative.count("/")
    target = "../" * depth + f"{SCHEMA_DIR}/{schema_file_name(kind)}"
    return f"# yaml-language-server: $schema={target}\n{text}"


@click.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def init(directory: Path) -> None:
    """Make a new briefgen project in DIRECTORY, with example content.

    \b
    The folder must not exist or must be empty: init never overwrites.
    The example validates and builds at once:
      briefgen init my-desk && cd my-desk && briefgen validate
    It also writes schemas/ (JSON Schema for editor completion), a
    .gitignore for output/, and a GitHub Actions workflow that publishes the site.
    """
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise UserError(f"{directory} already exists and is not empty; init never overwrites")
    files = [(p, _with_schema_line(p, t)) for p, t in _scaffold_files()]
    files += [(f"{SCHEMA_DIR}/{schema_file_name(k)}", schema_text(k)) for k in sorted(FILE_KINDS)]
    for relative, text in files:
        parts = relative.split("/")
        parts[-1] = _RENAMES.get(parts[-1], parts[-1])
        target = directory.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    click.echo(f"Created a briefgen project in {directory} ({len(files)} files).", err=True)
    click.echo(f"Next: cd {directory} && briefgen validate && briefgen build", err=True)
