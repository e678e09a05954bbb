"""Turn every way a command can end into a documented exit code, never a raw traceback."""

from __future__ import annotations

import tempfile
import traceback

import click

EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class UserError(click.ClickException):
    """A problem the user can fix (no project here, a folder that exists): exit 2."""

    exit_code = EXIT_USAGE


def _save_traceback() -> str:
    with tempfile.NamedTemporaryFile(
        "w", prefix="briefgen-crash-", suffix=".txt", delete=False
    ) as handle:
        traceback.print_exc(file=handle)
        return handle.name


def run_guarded(command: click.Command) -> int:
    """Run ``command``; map its outcome to an exit code and keep tracebacks off the terminal."""
    try:
        result = command.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Interrupted.", err=True)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return EXIT_INTERRUPTED
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
