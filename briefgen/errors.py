"""One hierarchy for every error a user can cause, and the exit code each one means.

Every stage raises a subclass of :class:`BriefgenError` with a message written for the person
running briefgen (a module may add its own subclass, e.g. ``LinkOutsideError`` in
:mod:`briefgen.load.confine`). The command line catches ``BriefgenError`` in one place,
:func:`briefgen.cli.errors.run_guarded`, prints the message without a traceback and exits with
the class's ``exit_code``. Any other exception that reaches it is a bug in briefgen.

Exit codes (computed here, from the class of the error; README.md and docs/cli.md repeat them):

- 0 (:data:`EXIT_OK`): success.
- 1 (:data:`EXIT_CONTENT`): the content has errors (or warnings under ``--strict``), or a file
  of the project cannot be used (a template, a stylesheet, an archive), or a briefing or the
  site could not be built or written.
- 2 (:data:`EXIT_USAGE`): wrong usage: no project found, an unknown briefing id, a folder that
  is in the way, a bad option (click's own usage errors).
- 3 (:data:`EXIT_INTERNAL`): an internal error, a bug in briefgen: any other exception.
- 130 (:data:`EXIT_INTERRUPTED`): interrupted (Ctrl+C).

Left out of the hierarchy on purpose, because they never reach the user as such: ``DateError``
and ``MarkdownTooDeepError`` (``ValueError``: pydantic and the renderer turn them into located
messages), ``RenderLimitError`` (a Jinja error, so that a template's failure is located like
any other), ``BlockedURLError`` (WeasyPrint's fatal fetch error, the only kind it lets through)
and the YAML reader's private ``_TooLargeError``.
"""

from __future__ import annotations

from typing import ClassVar

EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class BriefgenError(Exception):
    """A problem the user can fix: ``message`` (and ``hint``) are for them, no traceback.

    ``consequence`` says what the failure left as it was ("nothing written"), for the command
    line to add after the message; None when there is nothing to add.
    """

    exit_code: ClassVar[int] = EXIT_CONTENT
    consequence: ClassVar[str | None] = None

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(BriefgenError):
    """The command was used wrongly: no project here, an unknown id, a folder in the way."""

    exit_code = EXIT_USAGE


class ContentError(BriefgenError):
    """A file of the project that briefgen cannot use: content, a template, an archive."""


class ConfineError(ContentError):
    """A project path that briefgen will not use (a link out of the project, not a file)."""


class ArchiveError(ContentError):
    """An archive that cannot be used; ``field`` is the key of ``archive`` to point at."""

    def __init__(self, message: str, hint: str | None = None, field: str = "path") -> None:
        super().__init__(message, hint)
        self.field = field


class TemplateError(ContentError):
    """A template could not be loaded or rendered; the message names the file and line."""


class PdfError(ContentError):
    """The PDF could not be made; the message says why (a blocked URL, a WeasyPrint error)."""


class BuildError(BriefgenError):
    """A briefing (or the site) could not be rendered or written; the message says why."""


class OutputError(BriefgenError):
    """An output folder cannot be (re)written; nothing was written to it."""

    consequence = "nothing written"
