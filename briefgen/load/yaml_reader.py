"""Strict YAML reading with line and column for every key and value.

PyYAML's own constructors follow YAML 1.1, where ``NO``, ``on``, ``12:30`` and ``1e3`` turn
into booleans and numbers, and a repeated key silently replaces the first. We only use
PyYAML's *parser* and build the data ourselves from its events (:mod:`yaml_build`): plain
``true``/``false`` become booleans, plain ``null``/``~``/nothing becomes None, and every other
scalar stays the text the user wrote. The model then decides what a text means (a date, a
number, an id).

The parser is libyaml's (C), about ten times faster than PyYAML's pure-Python one, which reads
the same event stream with the same marks. Where libyaml, or PyYAML, lets through what YAML 1.2
does not allow (or reads it as something else), :mod:`yaml_build` and :mod:`yaml_text_checks`
catch it from the events and the text. Only when libyaml fails is the file read again with the
pure-Python parser: it reads a few valid forms libyaml refuses, and its errors say more.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefgen.diagnostics import Location, Report
from briefgen.load.confine import ConfineError, FileTooLargeError, read_inside
from briefgen.load.positions import Positions
from briefgen.load.yaml_build import MAX_DEPTH, MAX_VALUES, Builder, YamlPath, events
from briefgen.load.yaml_errors import YamlProblem, explain, explain_reader_error
from briefgen.load.yaml_text_checks import check_text

MAX_FILE_BYTES = 2 * 1024 * 1024
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_VALUES",
    "LoadedFile",
    "YamlPath",
    "read_yaml_bytes",
    "read_yaml_file",
]


@dataclass
class LoadedFile:
    """One YAML file as plain data, with the position of every value and key in it."""

    path: Path
    display: str
    data: Any  # None once released (see release_data)
    positions: Positions

    def locate(self, path: YamlPath, *, key: bool = False) -> Location:
        """Where the value (or its key) at ``path`` was written; the nearest parent if unknown.

        A path inside a value written as an alias (``*name``) is located at the alias.
        """
        line, column = self.positions.locate(path, key=key)
        return Location(self.display, line, column)

    def release_data(self) -> None:
        """Let go of the plain data, once a model holds all of it and nothing will read it
        again (a briefing parsed without schema errors): a thousand briefings' lists and
        mappings are a tenth of validate's memory. Positions are kept, for locating."""
        self.data = None

    def written(self, path: YamlPath) -> bool:
        """True when the file has a value at ``path`` itself (not just a parent of it)."""
        return self.positions.written(path)

    @property
    def value_positions(self) -> dict[YamlPath, tuple[int, int]]:
        """Every value's line and column by path (built on demand: for tests and tools)."""
        return self.positions.tables()[0]

    @property
    def key_positions(self) -> dict[YamlPath, tuple[int, int]]:
        """Every key's line and column by path (built on demand: for tests and tools)."""
        return self.positions.tables()[1]


def _decode(raw: bytes, display: str, report: Report) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        report.error(
            Location(display, 1, 1),
            "file starts with a byte-order mark (BOM)",
            "save the file as UTF-8 without BOM",
        )
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line_start = before.rfind(b"\n") + 1
        # Columns count characters, as editors show them, not bytes.
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        report.error(
            Location(display, before.count(b"\n") + 1, column),
            f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})",
            "save the file as UTF-8",
        )
        return None


def _report_problem(report: Report, display: str, problem: YamlProblem) -> None:
    report.error(Location(display, problem.line, problem.column), problem.message, problem.hint)


def _later(fast: yaml.MarkedYAMLError, pure: yaml.MarkedYAMLError, text: str) -> Any:
    """Of the two parsers' errors, the one that names the mistake.

    Each parser is stricter than YAML 1.2 in a few places and fails there early; where one
    reads further, what stopped the other was not the mistake. At one place, PyYAML's words
    are kept (the messages were written for them); PyYAML's complaints about a tab that libyaml
    read are its own (a tab between two words of a plain value is text), so libyaml's is taken.
    """
    fast_mark = fast.problem_mark or fast.context_mark
    pure_mark = pure.problem_mark or pure.context_mark
    if fast_mark is None or pure_mark is None or fast_mark.index == pure_mark.index:
        return pure
    if pure_mark.index < len(text) and text[pure_mark.index] == "\t":
        return fast
    return fast if fast_mark.index > pure_mark.index else pure


def _build(text: str, display: str, report: Report) -> Builder | None:
    """The events of ``text`` read into a :class:`Builder`; None (reported) on a syntax error."""
    fast_error: yaml.MarkedYAMLError | None = None
    if _FAST_LOADER is not None:
        builder = Builder(text)
        try:
            builder.run(events(text, _FAST_LOADER))
            return builder
        except yaml.MarkedYAMLError as exc:
            fast_error = exc
        except yaml.YAMLError:
            pass  # a reader error: the pure-Python reader says where, by character
    builder = Builder(text)
    try:
        # The reader checks characters as soon as the parser is made: keep that inside try.
        builder.run(events(text, yaml.SafeLoader))
        return builder
    except yaml.MarkedYAMLError as exc:
        error = exc if fast_error is None else _later(fast_error, exc, text)
        _report_problem(report, display, explain(error, text))
    except yaml.reader.ReaderError as exc:
        _report_problem(report, display, explain_reader_error(exc, text))
    except yaml.YAMLError as exc:
        report.error(Location(display, 1, 1), f"YAML error: {exc}")
    return None


def _no_value(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return "file is empty"
    if all(line.startswith("#") for line in lines):
        return "file holds only comments"
    return "file holds no value"


def _read_confined(path: Path, display: str, report: Report, root: Path | None) -> bytes | None:
    """The file's bytes by the one rule of :mod:`briefgen.load.confine`; None if refused."""
    start = Location(display, 1, 1)
    base = root if root is not None else path.parent
    try:
        return read_inside(base, path.relative_to(base), MAX_FILE_BYTES)
    except FileTooLargeError as exc:
        report.error(start, exc.message, "split it, or remove what the briefings do not need")
    except ConfineError as exc:
        report.error(start, exc.message, exc.hint)
    except OSError as exc:
        report.error(start, f"cannot read file: {exc.strerror or exc}")
    return None


def read_yaml_file(
    path: Path, display: str, report: Report, root: Path | None = None
) -> LoadedFile | None:
    """Read one YAML file; on any problem record it in ``report`` and return None.

    Nothing outside ``root`` (by default the file's own folder) is read: a symbolic link that
    leads out, a file that is not regular (a FIFO, a device, a folder) and a file over
    ``MAX_FILE_BYTES`` are refused with a located error.
    """
    raw = _read_confined(path, display, report, root)
    if raw is None:
        return None
    return read_yaml_bytes(raw, path, display, report)


def read_yaml_bytes(raw: bytes, path: Path, display: str, report: Report) -> LoadedFile | None:
    """Read YAML from bytes already in hand (a file as committed in git, for instance).

    The same checks as :func:`read_yaml_file` once the bytes are read; ``path`` and
    ``display`` name where they came from.
    """
    start = Location(display, 1, 1)
    if len(raw) > MAX_FILE_BYTES:
        report.error(start, f"file is larger than {MAX_FILE_BYTES} bytes")
        return None
    text = _decode(raw, display, report)
    if text is None:
        return None
    last_line = text[text.rfind("\n") + 1 :]
    if last_line and not last_line.strip(" "):
        # A last line of spaces with no line break still ends with one for YAML ('|+' keeps
        # it); both parsers would drop that line, and with it trailing spaces of a block.
        text += "\n"
    builder = _build(text, display, report)
    if builder is None:
        return None
    problems = builder.problems
    if not builder.fatal:
        problems = problems + check_text(text, builder.spans)
    for problem in problems:
        report.error(Location(display, problem.line, problem.column), problem.message, problem.hint)
    if any(problem.fatal for problem in problems):
        return None
    if builder.data is Builder.NOTHING:
        if not problems:
            report.error(start, _no_value(text), "a file here must hold a YAML mapping of keys")
        return None
    # Keep going after duplicate keys and the like so that one run shows every problem.
    return LoadedFile(
        path=path,
        display=display,
        data=builder.data,
        positions=builder.positions(),
    )
