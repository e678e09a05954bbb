"""``briefgen impact``: which facts rest on a source, in every briefing, and how."""

from __future__ import annotations

import json
from pathlib import Path

import click

from briefgen.cli.common import resolve_project
from briefgen.cli.errors import EXIT_CONTENT, EXIT_OK, UserError
from briefgen.diagnostics import json_safe


@click.command()
@click.argument("source_id", metavar="SOURCE_ID")
@click.argument("path", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="text for people; json for tools.",
)
def impact(source_id: str, path: Path | None, fmt: str) -> int:
    """List every fact, in every briefing, that rests on SOURCE_ID.

    \b
    A fact rests on a source when it cites it (directly), reaches it along a
    citing chain to its origin (via: inn → jpost → vop), or cites an origin
    that relays it. For each fact: its location, its text and how it depends
    on the source; with the source's standing (retracted, corrected,
    disputed) if it has one. See docs/provenance.md.

    \b
    Exit codes: 0 listed, 1 listed but the content has errors (facts in parts
    that could not be read are missing; run 'briefgen validate'), 2 unknown
    SOURCE_ID, usage or no project found, 3 internal error.
    """
    from briefgen.diagnostics import Report
    from briefgen.provenance.impact import format_impact, impact_json, source_impact
    from briefgen.validate import parse_project
    from briefgen.validate.hints import did_you_mean

    root = resolve_project(path)
    report = Report()
    parsed = parse_project(root, report)
    sources = parsed.registry.sources
    if source_id not in sources:
        known = sorted(sources)
        hint = did_you_mean(source_id, known)
        problem = "is not a valid source" if source_id in parsed.registry.source_ids else ""
        raise UserError(
            f"'{source_id}' {problem or 'is not a source in content/sources.yaml'}"
            + (f" ({hint})" if hint else "")
        )
    facts = source_impact(source_id, sources, parsed.contexts)
    if fmt == "json":
        payload = impact_json(sources[source_id], facts)
        click.echo(json_safe(json.dumps(payload, indent=2, ensure_ascii=False)))
    else:
        click.echo(format_impact(sources[source_id], facts))
    if report.failed():
        click.echo(
            "briefgen impact: the content has errors; facts in parts that could not be read "
            "are not listed (run 'briefgen validate')",
            err=True,
        )
        return EXIT_CONTENT
    return EXIT_OK
