"""Turn every way a command can end into a documented exit code, never a raw traceback.

This is the one place that catches :class:`~briefgen.errors.BriefgenError`; the class of the
error says the exit code (see :mod:`briefgen.errors`, where the codes are documented).
"""

from __future__ import annotations

import tempfile
import traceback
from dataclasses import dataclass

import click

from briefgen.errors import (
    EXIT_CONTENT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    BriefgenError,
    UsageError,
)

__all__ = [
    "EXIT_CONTENT",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "Invocation",
    "UserError",
    "run_guarded",
]


# click declares ``message`` Final; BriefgenError sets the same string, so the two agree.
class UserError(UsageError, click.ClickException):  # type: ignore[misc]
    """A problem the user can fix (no project here, a folder that exists): exit 2.

    Also a ``click.ClickException``, so that click shows it the same way when a command runs
    outside :func:`run_guarded`.
    """

    exit_code = EXIT_USAGE


@dataclass
class Invocation:
    """What ran, recorded by the root group (``ctx.obj``): names the command in error lines."""

    command: str | None = None


def error_line(exc: BriefgenError, invocation: Invocation) -> str:
    """How an error is shown: usage errors as click shows its own, others named by command.

    'Error: no such folder: x' (exit 2), or 'briefgen publish: <message>; nothing written'.
    """
    message = f"{exc.message} ({exc.hint})" if exc.hint else exc.message
    if isinstance(exc, UsageError):
        return f"Error: {message}"
    name = f"briefgen {invocation.command}" if invocation.command else "briefgen"
    return f"{name}: {message}" + (f"; {exc.consequence}" if exc.consequence else "")


def _save_traceback() -> str:
    with tempfile.NamedTemporaryFile(
        "w", prefix="briefgen-crash-", suffix=".txt", delete=False
    ) as handle:
        traceback.print_exc(file=handle)
        return handle.name


def run_guarded(command: click.Command) -> int:
    """Run ``command``; map its outcome to an exit code and keep tracebacks off the terminal."""
    invocation = Invocation()
    try:
        result = command.main(standalone_mode=False, obj=invocation)
    except click.exceptions.Abort:
        click.echo("Interrupted.", err=True)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return EXIT_INTERRUPTED
    except BriefgenError as exc:
        click.echo(error_line(exc, invocation), err=True)
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE if exc.exit_code == 2 else exc.exit_code
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except Exception as exc:
        saved = _save_traceback()
        click.echo(
            f"briefgen: internal error ({type(exc).__name__}: {exc}).\n"
            f"This is a bug in briefgen, not in your content. The details are in {saved};\n"
            "please report it to the briefgen maintainers (the project's issue tracker) "
            "with that file attached.",
            err=True,
        )
        return EXIT_INTERNAL
    return result if isinstance(result, int) else EXIT_OK
