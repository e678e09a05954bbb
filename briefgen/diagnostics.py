"""Problems found in a user's project, with where they are and how to show them."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How serious a problem is; only errors stop a build (warnings too under ``--strict``)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: the path as shown to the user, 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


# Characters that must never reach a terminal or a CI log raw from a user's value: C0 and C1
# controls (a newline would start a new line, which GitHub Actions reads as a workflow command),
# line and paragraph separators, bidi embeddings, overrides and isolates (they reorder what is
# shown), and zero-width characters (an id that looks right but is not).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200d\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
QUOTE_LIMIT = 80


def escape_unsafe(text: str) -> str:
    """``text`` with control, bidi and zero-width characters as visible escapes (``\\n``,
    ``\\u200b``), so that a message is always one line and shows what the file holds."""
    return _UNSAFE.sub(lambda m: _NAMED_ESCAPES.get(m[0], f"\\u{ord(m[0]):04x}"), text)


def shorten(value: str, limit: int = QUOTE_LIMIT) -> str:
    """``value`` cut to ``limit`` characters with an ellipsis: a message quotes a user's value
    to point at it, and a 3,000-character value would bury the message."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A user's value in single quotes for a message, shortened (see :func:`shorten`)."""
    return f"'{shorten(str(value), limit)}'"


@dataclass(frozen=True)
class Diagnostic:
    """One problem in the user's content.

    The message and hint are made safe on construction (see :func:`escape_unsafe`), so every
    output (text, JSON, GitHub annotations, the preview page) shows one diagnostic per line.
    """

    location: Location
    severity: Severity
    message: str
    hint: str | None = None
    code: str = ""

    def __post_init__(self) -> None:
        # Frozen dataclass: set the cleaned values through object.__setattr__.
        object.__setattr__(self, "message", escape_unsafe(self.message))
        if self.hint is not None:
            object.__setattr__(self, "hint", escape_unsafe(self.hint))

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order by file, then position, then message, so output is stable."""
        loc = self.location
        return (loc.path, loc.line, loc.column, self.message)

    def text(self) -> str:
        """``path:line:col: severity: message (hint)`` as printed on the terminal."""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{escape_unsafe(str(self.location))}: {self.severity}: {self.message}{hint}"


@dataclass
class Report:
    """All diagnostics of one run, collected so that every problem is shown at once."""

    items: list[Diagnostic] = field(default_factory=list)
    # sorted()'s answer, and for which list of items at which length: a command asks for it
    # several times (the output, the counts, the exit code), thousands of items at N = 1000.
    # Items are only ever added, so the length tells when it must be sorted again.
    _sorted: tuple[int, int, list[Diagnostic]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def add(
        self,
        location: Location,
        severity: Severity,
        message: str,
        hint: str | None = None,
        code: str = "",
    ) -> None:
        """Record one problem."""
        self.items.append(Diagnostic(location, severity, message, hint, code))

    def error(
        self, location: Location, message: str, hint: str | None = None, code: str = ""
    ) -> None:
        """Record an error."""
        self.add(location, Severity.ERROR, message, hint, code)

    def warning(
        self, location: Location, message: str, hint: str | None = None, code: str = ""
    ) -> None:
        """Record a warning."""
        self.add(location, Severity.WARNING, message, hint, code)

    def info(
        self, location: Location, message: str, hint: str | None = None, code: str = ""
    ) -> None:
        """Record an informational note (listed in text output with ``--verbose``; always in
        JSON and GitHub output)."""
        self.add(location, Severity.INFO, message, hint, code)

    def extend(self, other: Report) -> None:
        """Take over every diagnostic of another report."""
        self.items.extend(other.items)

    def sorted(self) -> list[Diagnostic]:
        """The diagnostics, de-duplicated and in file/line/column order."""
        cached = self._sorted
        if cached is None or cached[:2] != (id(self.items), len(self.items)):
            unique = {(d.location, d.severity, d.message, d.hint): d for d in self.items}
            found = sorted(unique.values(), key=Diagnostic.sort_key)
            cached = self._sorted = (id(self.items), len(self.items), found)
        return list(cached[2])  # a copy: callers may change their list

    def count(self, severity: Severity) -> int:
        """How many diagnostics of one severity there are."""
        return sum(1 for d in self.sorted() if d.severity is severity)

    def failed(self, strict: bool = False) -> bool:
        """True when the run must fail: any error, or under ``--strict`` any warning (or note
        that ``--strict`` promotes, see STRICT_INFO_CODES)."""
        return any(d.severity is Severity.ERROR for d in self.promoted(strict))

    def promoted(self, strict: bool) -> list[Diagnostic]:
        """The sorted diagnostics, with warnings (and the notes of STRICT_INFO_CODES) shown as
        errors under ``--strict``."""
        items = self.sorted()
        if not strict:
            return items
        return [
            Diagnostic(d.location, Severity.ERROR, d.message, d.hint, d.code)
            if _promoted_under_strict(d)
            else d
            for d in items
        ]


# Notes that --strict turns into errors, like warnings: a direct quote that could not be checked
# against an archived copy of its source is fine for a draft, not for a strict (CI) run.
STRICT_INFO_CODES = frozenset({"unverified-quote"})


def _promoted_under_strict(d: Diagnostic) -> bool:
    if d.severity is Severity.WARNING:
        return True
    return d.severity is Severity.INFO and d.code in STRICT_INFO_CODES


def format_json(items: list[Diagnostic]) -> str:
    """A JSON array of diagnostics for tools."""
    rows = []
    for d in items:
        row = asdict(d.location)
        row.update(severity=str(d.severity), message=d.message, hint=d.hint, code=d.code)
        rows.append(row)
    return json_safe(json.dumps(rows, indent=2, ensure_ascii=False))


# What json.dumps(ensure_ascii=False) leaves raw in a string (it escapes C0 controls itself; the
# raw newlines left in its output are its own indentation).
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u200b-\u200d\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def json_safe(text: str) -> str:
    """JSON text with the unsafe characters that JSON leaves raw (C1 controls, line separators,
    bidi and zero-width characters, e.g. in a file name) written as ``\\uXXXX``: the same
    data for a parser, and no line break or reordering for a person reading it."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def _escape_github(value: str, *, property_value: bool) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(items: list[Diagnostic]) -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…,col=…::message``)."""
    lines = []
    for d in items:
        kind = {"error": "error", "warning": "warning"}.get(str(d.severity), "notice")
        loc = d.location
        message = d.message + (f" ({d.hint})" if d.hint else "")
        props = (
            f"file={_escape_github(loc.path, property_value=True)},line={loc.line},col={loc.column}"
        )
        lines.append(f"::{kind} {props}::{_escape_github(message, property_value=False)}")
    return "\n".join(lines)
