"""``briefgen schema``: JSON Schema of the content files, for editor completion."""

from __future__ import annotations

from pathlib import Path

import click

from briefgen.model.schema_export import FILE_KINDS, schema_file_name, schema_text


@click.command()
@click.argument("kind", required=False, type=click.Choice(sorted(FILE_KINDS)))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write every kind's schema into this folder as <kind>.schema.json.",
)
def schema(kind: str | None, out_dir: Path | None) -> None:
    """Print the JSON Schema of one KIND of file, or write all of them with --out.

    \b
    Kinds: project (briefgen.yaml), actors (content/actors.yaml),
    sources (content/sources.yaml), briefing (content/briefings/*.yaml).
    With the YAML language server (VS Code's YAML extension and others), a first
    line such as
      # yaml-language-server: $schema=../../schemas/briefing.schema.json
    gives completion and checks while typing; 'briefgen init' writes these lines.
    """
    if out_dir is None:
        if kind is None:
            raise click.UsageError("name a KIND to print, or give --out DIR to write all")
        click.echo(schema_text(kind), nl=False)
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in [kind] if kind else sorted(FILE_KINDS):
        target = out_dir / schema_file_name(name)
        target.write_text(schema_text(name), encoding="utf-8")
        click.echo(f"wrote {target}", err=True)
