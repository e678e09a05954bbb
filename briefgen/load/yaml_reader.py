"""Strict YAML reading with line and column for every key and value.

PyYAML's own constructors follow YAML 1.1, where ``NO``, ``on``, ``12:30`` and ``1e3`` turn
into booleans and numbers, and a repeated key silently replaces the first. We only use
PyYAML to *compose* a node tree and convert that tree ourselves: plain ``true``/``false``
become booleans, plain ``null``/``~``/nothing becomes None, and every other scalar stays the
text the user wrote. The model then decides what a text means (a date, a number, an id).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefgen.diagnostics import Location, Report
from briefgen.load.confine import ConfineError, FileTooLargeError, read_inside
from briefgen.load.yaml_errors import YamlProblem, explain, explain_reader_error

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_VALUES = 100_000
MAX_DEPTH = 64

YamlPath = tuple[str | int, ...]
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_STANDARD_TAG = "tag:yaml.org,2002:"


class _TooLargeError(Exception):
    """Raised when aliases or nesting would make a file expand beyond the limits."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


@dataclass
class LoadedFile:
    """One YAML file as plain data, with the position of every value and key in it."""

    path: Path
    display: str
    data: Any
    value_positions: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: YamlPath, *, key: bool = False) -> Location:
        """Where the value (or its key) at ``path`` was written; the nearest parent if unknown."""
        probe = tuple(path)
        while True:
            table = self.key_positions if key else self.value_positions
            if probe in table:
                line, column = table[probe]
                return Location(self.display, line, column)
            if key and probe in self.value_positions:
                line, column = self.value_positions[probe]
                return Location(self.display, line, column)
            if not probe:
                return Location(self.display, 1, 1)
            probe = probe[:-1]


def _mark_location(display: str, mark: Any) -> Location:
    if mark is None:
        return Location(display, 1, 1)
    return Location(display, mark.line + 1, mark.column + 1)


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


def _compose(text: str, display: str, report: Report) -> yaml.Node | None:
    loader: yaml.SafeLoader | None = None
    try:
        # The reader checks characters as soon as the loader is made: keep that inside try.
        loader = yaml.SafeLoader(text)
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        _report_problem(report, display, explain(exc))
    except yaml.reader.ReaderError as exc:
        _report_problem(report, display, explain_reader_error(exc, text))
    except yaml.YAMLError as exc:
        report.error(Location(display, 1, 1), f"YAML error: {exc}")
    except RecursionError:
        # PyYAML parses nested brackets recursively; thousands of them exhaust the stack.
        report.error(
            Location(display, 1, 1),
            f"values are nested too deeply (the limit is {MAX_DEPTH} levels)",
            "write the content with fewer nested lists and mappings",
        )
    finally:
        if loader is not None:
            loader.dispose()
    return None


class _Converter:
    """Turns a composed node tree into plain data, recording positions and problems."""

    def __init__(self, loaded: LoadedFile, report: Report) -> None:
        self.loaded = loaded
        self.report = report
        self.values_seen = 0

    def where(self, node: yaml.Node) -> Location:
        return _mark_location(self.loaded.display, node.start_mark)

    def convert(self, node: yaml.Node, path: YamlPath) -> Any:
        self.values_seen += 1
        # Aliases share nodes, so a small file can stand for billions of values (or, with a
        # recursive alias, infinitely many): count what we expand, not what was written.
        if self.values_seen > MAX_VALUES:
            raise _TooLargeError(node.start_mark, f"file expands to more than {MAX_VALUES} values")
        if len(path) > MAX_DEPTH:
            raise _TooLargeError(node.start_mark, f"values nest more than {MAX_DEPTH} levels deep")
        self.loaded.value_positions.setdefault(
            path, (node.start_mark.line + 1, node.start_mark.column + 1)
        )
        self.check_tag(node)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        self.report.error(self.where(node), "unsupported YAML node")
        return None

    def check_tag(self, node: yaml.Node) -> None:
        # Tags are never constructed, but a tagged value would not mean what its author meant.
        tag = node.tag
        if not tag.startswith(_STANDARD_TAG) or tag.startswith(_STANDARD_TAG + "python/"):
            shown = tag.replace(_STANDARD_TAG, "!!")
            self.report.error(
                self.where(node),
                f"custom YAML tag '{shown}' is not supported",
                "remove the tag; briefgen reads plain YAML values only",
            )

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.style is None:
            if node.value in _NULLS:
                return None
            if node.value in _BOOLS:
                return _BOOLS[node.value]
        return node.value

    def mapping(self, node: yaml.MappingNode, path: YamlPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        merged: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _STANDARD_TAG + "merge":
                self.report.error(
                    self.where(key_node),
                    "merge keys ('<<') are not supported",
                    "write the keys out in full",
                )
                merged.append(value_node)
                continue
            key = self.key(key_node)
            if key is None:
                continue
            if key in first_seen:
                self.report.error(
                    self.where(key_node),
                    f"duplicate key '{key}'",
                    f"first written on line {first_seen[key]}; keep only one of them",
                )
                continue
            first_seen[key] = key_node.start_mark.line + 1
            # setdefault: keys merged in by '<<' must not move the position of written keys.
            self.loaded.key_positions.setdefault(
                (*path, key), (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            )
            result[key] = self.convert(value_node, (*path, key))
        self.merge(result, merged, path)
        return result

    def merge(self, result: dict[str, Any], merged: list[yaml.Node], path: YamlPath) -> None:
        """Apply '<<' after reporting it, so the keys it holds are not also reported missing."""
        mappings = [
            m for n in merged for m in (n.value if isinstance(n, yaml.SequenceNode) else [n])
        ]
        for mapping in mappings:
            if not isinstance(mapping, yaml.MappingNode):
                continue
            for key, value in self.mapping(mapping, path).items():
                result.setdefault(key, value)

    def key(self, key_node: yaml.Node) -> str | None:
        if not isinstance(key_node, yaml.ScalarNode):
            self.report.error(
                self.where(key_node),
                "a key must be plain text",
                "a list or mapping cannot be a key; check for a stray '?' or braces",
            )
            return None
        return str(key_node.value)


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
    start = Location(display, 1, 1)
    raw = _read_confined(path, display, report, root)
    if raw is None:
        return None
    text = _decode(raw, display, report)
    if text is None:
        return None
    errors_before = len(report.items)
    node = _compose(text, display, report)
    if node is None:
        if len(report.items) == errors_before:
            what = "file is empty" if not text.strip() else "file holds only comments"
            report.error(start, what, "a file here must hold a YAML mapping of keys")
        return None
    loaded = LoadedFile(path=path, display=display, data=None)
    try:
        loaded.data = _Converter(loaded, report).convert(node, ())
    except _TooLargeError as exc:
        report.error(
            _mark_location(display, exc.mark),
            exc.message,
            "aliases (*name) repeat what their anchor (&name) holds; write the content out plainly",
        )
        return None
    # Keep going after duplicate keys and the like so that one run shows every problem.
    return loaded
