"""Command line: one module per command; heavy libraries are imported only where needed.

Exit codes (documented in :mod:`briefgen.errors`, also in README.md and docs/cli.md):
0 success · 1 the content has errors (or warnings under --strict) or a build failed ·
2 wrong usage or no project found · 3 internal error (a bug in briefgen) · 130 interrupted.
"""

from __future__ import annotations

import sys

import click

from briefgen import __version__
from briefgen.cli import (
    approve_cmd,
    archive_cmd,
    build_cmd,
    diff_cmd,
    impact_cmd,
    init_cmd,
    new_cmd,
    publish_cmd,
    schema_cmd,
    serve_cmd,
    sources_cmd,
    validate_cmd,
)
from briefgen.cli.common import colour_choice
from briefgen.cli.errors import Invocation, run_guarded

HELP = """Validated, sourced briefing notes from hand-curated YAML facts.

\b
A project is a folder with briefgen.yaml and content/ (actors.yaml,
sources.yaml, briefings/*.yaml). Typical use:
  briefgen init my-desk        make a project that builds at once
  briefgen validate            check every fact, date, quote and marking
  briefgen build               write PDF, HTML and Markdown to output/
  briefgen publish             write the static site to output/site/

Colour: on a terminal only; --no-color or a non-empty NO_COLOR turns it off,
--color turns it on even in a pipe.

Exit codes: 0 ok, 1 content errors, 2 usage, 3 internal error, 130 interrupted.
"""


@click.group(help=HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="briefgen")
@click.option(
    "--color/--no-color",
    "color",
    default=None,
    help="Colour the output even when it is not a terminal, or never "
    "(default: on a terminal only, off when NO_COLOR is set).",
)
@click.pass_context
def cli(ctx: click.Context, color: bool | None) -> None:
    """Root command group: sets the colour choice; records which command runs."""
    # Every command's context inherits ``color`` from this one; click.echo reads it.
    ctx.color = colour_choice(color)
    if isinstance(ctx.obj, Invocation):
        ctx.obj.command = ctx.invoked_subcommand


cli.add_command(init_cmd.init)
cli.add_command(new_cmd.new)
cli.add_command(validate_cmd.validate)
cli.add_command(schema_cmd.schema)
cli.add_command(build_cmd.build)
cli.add_command(publish_cmd.publish)
cli.add_command(serve_cmd.serve)
cli.add_command(sources_cmd.sources)
cli.add_command(archive_cmd.archive)
cli.add_command(impact_cmd.impact)
cli.add_command(diff_cmd.diff)
cli.add_command(approve_cmd.approve)


def main() -> None:
    """Console-script entry point: run the CLI and turn every outcome into an exit code."""
    sys.exit(run_guarded(cli))
