"""``briefgen serve``: live preview of the site, rebuilt and reloaded on every save."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefgen.cli.common import print_diagnostics, resolve_project, summary_line
from briefgen.cli.errors import EXIT_OK, UserError

if TYPE_CHECKING:
    from briefgen.site.serve import Outcome


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "-p",
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0 picks a free one).",
)
@click.option(
    "--all-markings",
    is_flag=True,
    help="Also show briefings above the publish ceiling (a private preview; publish never does).",
)
def serve(path: Path | None, port: int, all_markings: bool) -> int:
    """Preview the site of the project in PATH (default: here) at http://127.0.0.1:PORT/.

    \b
    The site is the one 'briefgen publish' writes, built in memory: only
    briefings at or below the publish ceiling, unless --all-markings.
    Saving briefgen.yaml or a file under content/ or templates/ rebuilds it,
    and the open page reloads by itself. Errors are printed here and shown
    on the page; the server keeps running until you press Ctrl+C.
    It listens on 127.0.0.1 only: nothing is reachable from other machines.
    It answers only requests addressed to 127.0.0.1:PORT, localhost:PORT or
    [::1]:PORT (a missing, repeated or other Host header gets 400 or 421),
    so a web site that points its own name at 127.0.0.1 cannot read the
    preview; a request with an Origin other than these addresses gets 403.
    There is no option to listen elsewhere.
    """
    from briefgen.model import Tlp
    from briefgen.site.serve import Preview, make_server, watch

    root = resolve_project(path)
    preview = Preview(root, ceiling=Tlp.RED if all_markings else None)
    _report(preview.rebuild())
    try:
        server = make_server(preview, port)
    except OSError as exc:
        raise UserError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    stop = threading.Event()

    def on_change() -> None:
        _report(preview.rebuild())

    watch(root, on_change, stop)
    bound = server.server_address[1]
    click.echo(f"Serving {root} at http://127.0.0.1:{bound}/ (Ctrl+C to stop)", err=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        stop.set()
        server.server_close()
    return EXIT_OK


def failed_build_line(outcome: Outcome) -> str:
    """'build 3 failed (1 error, 2 warnings): the preview page lists each problem'."""
    if outcome.report is not None:
        summary = summary_line(outcome.report, strict=False)
    else:
        count = len(outcome.errors)
        summary = f"{count} error" if count == 1 else f"{count} errors"
    return f"build {outcome.version} failed ({summary}): the preview page lists each problem"


def _report(outcome: Outcome) -> None:
    if outcome.report is not None:
        print_diagnostics(outcome.report, "text", strict=False, verbose=False)
    if outcome.errors:
        if outcome.report is None or not outcome.report.failed():
            for line in outcome.errors:
                click.echo(line)
        click.echo(failed_build_line(outcome), err=True)
        return
    withheld = f", {outcome.withheld} withheld by the ceiling" if outcome.withheld else ""
    click.echo(
        f"build {outcome.version}: {outcome.briefings} briefing(s){withheld} "
        f"in {outcome.seconds:.2f}s",
        err=True,
    )
