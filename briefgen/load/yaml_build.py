"""From YAML parser events to briefgen's plain data, with positions and briefgen's own rules.

Both of PyYAML's parsers (libyaml's, in C, and the pure-Python one) hand over the same event
stream; :class:`Builder` turns it into dicts, lists and texts in one pass, without PyYAML's
composer or constructors. Doing the composing here is what lets briefgen

- keep every scalar as the text written (only plain ``true``/``false``/``null``/``~``/nothing
  are converted), and honour ``!!str`` (always text, even when empty);
- know where each alias is written, so that a value used through an alias is located at the
  alias, and a recursive alias or a redefined anchor is named with its positions;
- bound what aliases expand to (values and depth) before anything is copied;
- check, with the exact spans of the scalars, what the parsers let through but YAML 1.2 does
  not allow (a comment glued to a value, a continuation line indented less than its key, ...).

Problems are collected as :class:`Problem` records; a *fatal* one means the data may not be
what the file says (or would be unbounded), so the file is not checked further.
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, NamedTuple

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from briefgen.load.positions import SHIFT, Positions, YamlPath

MAX_VALUES = 100_000
MAX_DEPTH = 64

NULLS = frozenset({"", "~", "null", "Null", "NULL"})
BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
STANDARD_TAG = "tag:yaml.org,2002:"
_STR_TAG = STANDARD_TAG + "str"
_FITTING_TAG = {"scalar": _STR_TAG, "mapping": STANDARD_TAG + "map", "list": STANDARD_TAG + "seq"}
# Characters that end an anchor or alias name for briefgen (and for YAML, which also ends it at
# a flow indicator); anything else right after the name would be read by YAML as part of it.
ANCHOR_END = frozenset(" \t\r\n,[]{}")
ANCHOR_HINT = "names of anchors (&name) and aliases (*name) hold only letters, digits, '-' and '_'"
ALIAS_HINT = "aliases (*name) repeat what their anchor (&name) holds; write the content out plainly"
_NOTHING: Any = object()


class Problem(NamedTuple):
    """One problem found while reading: 1-based position, message, hint, and whether it stops."""

    line: int
    column: int
    message: str
    hint: str | None = None
    fatal: bool = False


class _StopReadingError(Exception):
    """Reading cannot go on (a limit, a recursive or unknown alias, a second document)."""


@dataclass
class _Anchor:
    value: Any
    text: str | None  # the text of an anchored scalar (what a key that aliases it means)
    count: int
    height: int
    line: int
    column: int
    open: bool = False


class _Frame:
    """A list or mapping being read (one per open collection: slots, made often)."""

    __slots__ = (
        "anchor",
        "block_n",
        "data",
        "first_index",
        "first_seen",
        "flow",
        "height",
        "is_key",
        "is_map",
        "kept",
        "key",
        "key_ok",
        "key_position",
        "merged",
        "node",
        "start",
        "values_before",
    )

    def __init__(
        self,
        is_map: bool,
        flow: bool,
        kept: bool,
        start: Any,
        anchor: str | None,
        values_before: int,
        block_n: int,
        is_key: bool,
        node: int,
    ) -> None:
        self.is_map = is_map
        self.flow = flow
        self.data: Any = {} if is_map else []
        self.kept = kept  # False: the collection is read but thrown away (a bad key, say)
        self.start = start  # the start mark
        self.anchor = anchor
        self.values_before = values_before
        self.block_n = block_n  # YAML's n around a flow collection's content (-1 for a block)
        self.is_key = is_key
        self.node = node  # its number among the values recorded (-1: not recorded)
        self.first_index = -1  # where the first entry starts (to find a block collection's column)
        self.height = 0
        self.key: Any = _NOTHING  # mapping: the key read, waiting for its value
        self.key_ok = True
        self.key_position = 0  # mapping: where that key was written (packed; 0 for none)
        self.first_seen: dict[str, int] = {}
        self.merged: list[Any] = []


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def line_start(text: str, index: int) -> int:
    """The index where the line holding ``index`` starts."""
    return text.rfind("\n", 0, index) + 1


def column_of(text: str, index: int) -> int:
    """The 0-based column (in characters) of ``index``."""
    return index - line_start(text, index)


def position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``index``."""
    return text.count("\n", 0, index) + 1, column_of(text, index) + 1


class Builder:
    """Consumes one event stream; afterwards ``data``, positions and ``problems`` are set."""

    NOTHING: Any = _NOTHING  # ``data`` when the file holds no document

    def __init__(self, text: str) -> None:
        self.text = text
        self.problems: list[Problem] = []
        self.data: Any = _NOTHING
        # Each value kept, in the order written (see briefgen.load.positions.Positions).
        self._at_value: list[int] = []
        self._at_key: list[int] = []
        self._span: list[int] = []
        self._name: list[str | None] = []
        self._aliased: set[int] = set()
        # (start index, end index, style) of every scalar, in the order written.
        self.spans: list[tuple[int, int, str | None]] = []
        self._anchors: dict[str, _Anchor] = {}
        self._stack: list[_Frame] = []
        self._values = 0
        self._documents = 0

    def positions(self) -> Positions:
        """Where each value kept and its key were written."""
        return Positions(
            self._at_value, self._at_key, self._span, self._name, frozenset(self._aliased)
        )

    @property
    def value_positions(self) -> dict[YamlPath, tuple[int, int]]:
        """Every value's line and column by path (built on demand, for tests)."""
        return self.positions().tables()[0]

    @property
    def key_positions(self) -> dict[YamlPath, tuple[int, int]]:
        """Every key's line and column by path (built on demand, for tests)."""
        return self.positions().tables()[1]

    # -- reporting -------------------------------------------------------------------------

    def problem(
        self, mark: Any, message: str, hint: str | None = None, *, fatal: bool = False
    ) -> None:
        """Record a problem at a PyYAML mark."""
        self._add(Problem(mark.line + 1, mark.column + 1, message, hint, fatal))

    def _add(self, problem: Problem) -> None:
        # A mapping used as a key can start where its own first key does: say it once.
        if problem not in self.problems:
            self.problems.append(problem)

    def problem_at(
        self, index: int, message: str, hint: str | None = None, *, fatal: bool = False
    ) -> None:
        """Record a problem at an index of the text."""
        line, column = position(self.text, index)
        self._add(Problem(line, column, message, hint, fatal))

    @property
    def fatal(self) -> bool:
        """True when a problem means the data cannot be trusted or used."""
        return any(p.fatal for p in self.problems)

    # -- the event loop --------------------------------------------------------------------

    def run(self, events: Any) -> None:
        """Read every event (or stop at the first that makes reading impossible)."""
        try:
            for event in events:
                kind = type(event)
                if kind is ScalarEvent:
                    self._scalar(event)
                elif kind is MappingStartEvent or kind is SequenceStartEvent:
                    self._start(event, kind is MappingStartEvent)
                elif kind is MappingEndEvent or kind is SequenceEndEvent:
                    self._end(event)
                elif kind is AliasEvent:
                    self._alias(event)
                elif kind is DocumentStartEvent:
                    self._documents += 1
                    if self._documents > 1:
                        self.problem(
                            event.start_mark,
                            "more than one YAML document in this file",
                            "remove the extra '---' separator",
                            fatal=True,
                        )
                        raise _StopReadingError
                elif kind not in (DocumentEndEvent, StreamStartEvent, StreamEndEvent):
                    self.problem(event.start_mark, "unsupported YAML event", fatal=True)
                    raise _StopReadingError
        except _StopReadingError:
            return

    # -- where the next node goes ----------------------------------------------------------

    def _slot(self, start: Any) -> tuple[bool, bool, str | None]:
        """Whether the node starting at ``start`` is kept, whether it is a mapping key, and the
        key it is the value of (None for a list item or the top)."""
        if not self._stack:
            return True, False, None
        frame = self._stack[-1]
        if frame.first_index < 0:
            frame.first_index = start.index
        if not frame.is_map:
            return frame.kept, False, None
        key = frame.key
        if key is _NOTHING:
            return False, True, None
        if not frame.kept or not frame.key_ok:
            return False, False, None
        return True, False, "<<" if key is _MERGE else key

    def _count(self, start: Any, kept: bool, amount: int = 1) -> None:
        """Count ``amount`` more values read; stop at a limit (values, or depth if ``kept``)."""
        self._values += amount
        if self._values > MAX_VALUES:
            self.problem(
                start, f"file expands to more than {MAX_VALUES} values", ALIAS_HINT, fatal=True
            )
            raise _StopReadingError
        if kept and len(self._stack) > MAX_DEPTH:  # the length of the node's path
            self.problem(
                start,
                f"values are nested too deeply (the limit is {MAX_DEPTH} levels)",
                "write the content with fewer nested lists and mappings",
                fatal=True,
            )
            raise _StopReadingError

    def _block_n(self) -> int:
        """YAML's n for the node about to be read: the column of the nearest block collection."""
        if not self._stack:
            return -1
        frame = self._stack[-1]
        if frame.flow:
            return frame.block_n
        return self._column_of_block(frame)

    def _column_of_block(self, frame: _Frame) -> int:
        """The column of a block collection: its first key, or its first '-'."""
        index = frame.first_index
        text = self.text
        if frame.is_map:
            # An explicit key ('? key') starts at its '?'.
            probe = index - 1
            while probe >= 0 and text[probe] == " ":
                probe -= 1
            if probe >= 0 and text[probe] == "?":
                index = probe
            return column_of(text, index)
        probe = index
        while probe > 0 and text[probe - 1] in " \t\r\n":
            probe -= 1
        if probe > 0 and text[probe - 1] == "-":
            return column_of(text, probe - 1)
        return column_of(text, frame.start.index)

    # -- nodes -----------------------------------------------------------------------------

    def _put(self, value: Any, start: Any, is_key: bool, height: int) -> None:
        """Hand a finished node to its parent (or make it the document)."""
        if not self._stack:
            if self._documents <= 1:
                self.data = value
            return
        frame = self._stack[-1]
        if height + 1 > frame.height:
            frame.height = height + 1
        if not frame.is_map:
            if frame.kept:
                frame.data.append(value)
            return
        if is_key:
            self._key(frame, value, start)
            return
        self._put_value(frame, value)

    def _put_value(self, frame: _Frame, value: Any) -> None:
        """Hand a finished value to the mapping ``frame`` (under the key read before it)."""
        key = frame.key
        frame.key = _NOTHING
        if not frame.key_ok or not frame.kept:
            frame.key_ok = True
            return
        if key is _MERGE:
            frame.merged.append(value)
            return
        frame.data[key] = value

    def _key(self, frame: _Frame, key: Any, start: Any) -> None:
        if isinstance(key, _KeyText):
            self._text_key(frame, key.text, key.merge, key.plain, start)
            return
        frame.key_ok = False
        self.problem(
            start,
            "a key must be plain text",
            "a list or mapping cannot be a key; check for a stray '?' or braces",
        )
        frame.key = None

    def _text_key(self, frame: _Frame, text: str, merge: bool, plain: bool, start: Any) -> None:
        """A text read as the next key of the mapping ``frame``."""
        if merge:
            self.problem(start, "merge keys ('<<') are not supported", "write the keys out in full")
            frame.key = _MERGE
            frame.key_ok = True
            frame.key_position = 0
            return
        frame.key = text
        first_seen = frame.first_seen
        if text in first_seen or (text == "" and plain):
            frame.key_ok = False
            self._bad_key(text, plain, first_seen.get(text, 0), start)
            return
        first_seen[text] = start.line + 1
        frame.key_ok = True
        frame.key_position = (start.line + 1) << SHIFT | (start.column + 1)

    def _bad_key(self, text: str, plain: bool, first_line: int, start: Any) -> None:
        """Report an empty key or a duplicate one (its value is read, then thrown away)."""
        if text == "" and plain:
            self.problem(
                start,
                "a key is missing before ':'",
                "write the key; briefgen does not accept an empty key",
            )
            return
        self.problem(
            start,
            f"duplicate key '{text}'",
            f"first written on line {first_line}; keep only one of them",
        )

    def _record(self, start: Any, name: str | None) -> int:
        """Record where a kept value starts (and its key, if any); its number."""
        node = len(self._span)
        self._at_value.append((start.line + 1) << SHIFT | (start.column + 1))
        self._at_key.append(0 if name is None else self._stack[-1].key_position)
        self._span.append(1)  # a collection's is set when it ends
        self._name.append(name)
        return node

    def _scalar(self, event: Any) -> None:
        # The hot path: half a million calls at N = 1000, so _slot, _count, _record and _put
        # are written out here for a scalar (the other nodes call them).
        start = event.start_mark
        kept, is_key, name = self._slot(start)
        value = event.value
        style = event.style or None
        self.spans.append((start.index, event.end_mark.index, style))
        tag = event.tag
        anchor = event.anchor
        if tag is not None and tag != _STR_TAG:
            self._bad_tag(tag, start, "scalar")
        if style is None:
            if value and value[0] in "-?:" and anchor is None and tag is None:
                self._check_plain_start(start.index)
        elif style == "|" or style == ">":
            self._check_block_scalar(event)
        elif event.end_mark.line > start.line:
            self._check_continuation(start, event.end_mark, "quoted text")
        plain = style is None and tag is None
        converted: Any = value
        if plain and value in NULLS:
            converted = None
        elif plain and value in BOOLS:
            converted = BOOLS[value]
        if anchor is not None:
            self._check_anchor_name(anchor, start)
            self._define(anchor, start, converted, value, 1, 0)
        stack = self._stack
        if is_key:
            frame = stack[-1]
            if frame.height < 1:
                frame.height = 1
            # Keys repeat in every file and entry: one copy of each text (sys.intern).
            self._text_key(frame, sys.intern(value), plain and value == "<<", plain, start)
            return
        self._values += 1
        if self._values > MAX_VALUES or (kept and len(stack) > MAX_DEPTH):
            self._count(start, kept, 0)  # reports the limit
        if kept:
            self._span.append(1)
            self._name.append(name)
            self._at_value.append((start.line + 1) << SHIFT | (start.column + 1))
            self._at_key.append(0 if name is None else stack[-1].key_position)
        if not stack:
            self._put(converted, start, False, 0)
            return
        frame = stack[-1]
        if frame.height < 1:
            frame.height = 1
        if not frame.is_map:
            if kept:
                frame.data.append(converted)
        elif kept and frame.key is not _MERGE:
            frame.key = _NOTHING
            frame.data[name] = converted
        else:
            self._put_value(frame, converted)

    def _start(self, event: Any, is_map: bool) -> None:
        start = event.start_mark
        kept, is_key, name = self._slot(start)
        if event.tag is not None and event.tag != _FITTING_TAG["mapping" if is_map else "list"]:
            self._bad_tag(event.tag, start, "mapping" if is_map else "list")
        if event.anchor is not None:
            self._check_anchor_name(event.anchor, start)
        block_n = self._block_n() if event.flow_style else -1
        self._count(start, kept)
        node = self._record(start, name) if kept else -1
        if len(self._stack) >= MAX_DEPTH * 4:
            # Thrown-away keys do not count towards depth; bound the stack all the same.
            self.problem(
                start,
                f"values are nested too deeply (the limit is {MAX_DEPTH} levels)",
                "write the content with fewer nested lists and mappings",
                fatal=True,
            )
            raise _StopReadingError
        frame = _Frame(
            is_map=is_map,
            flow=bool(event.flow_style),
            kept=kept,
            start=start,
            anchor=event.anchor,
            values_before=self._values - 1,
            block_n=block_n,
            is_key=is_key,
            node=node,
        )
        self._stack.append(frame)
        if event.anchor is not None:
            self._define(event.anchor, start, None, None, 0, 0, open_=True)

    def _end(self, event: Any) -> None:
        frame = self._stack.pop()
        if frame.node >= 0:
            self._span[frame.node] = len(self._span) - frame.node
        data = frame.data
        if frame.is_map and frame.merged:
            for merged in frame.merged:
                for mapping in merged if isinstance(merged, list) else [merged]:
                    if isinstance(mapping, dict):
                        for key, value in mapping.items():
                            data.setdefault(key, value)
        outermost_flow = frame.flow and (not self._stack or not self._stack[-1].flow)
        if outermost_flow and event.end_mark.line > frame.start.line:
            self._check_continuation(frame.start, event.end_mark, "list or mapping")
        if frame.anchor is not None:
            anchor = self._anchors.get(frame.anchor)
            if anchor is not None and anchor.open:
                anchor.value = data
                anchor.count = self._values - frame.values_before
                anchor.height = frame.height
                anchor.open = False
        # A collection used as a key is reported by _key; its content is thrown away.
        value = _Complex() if frame.is_key else data
        self._put(value, frame.start, frame.is_key, frame.height)

    def _alias(self, event: Any) -> None:
        start = event.start_mark
        kept, is_key, key = self._slot(start)
        name = event.anchor
        self._check_alias_name(name, start)
        anchor = self._anchors.get(name)
        if anchor is None:
            self.problem(
                start,
                f"unknown alias '*{name}'",
                "quote the value if '*' is meant as text",
                fatal=True,
            )
            raise _StopReadingError
        if anchor.open:
            self.problem(
                start,
                f"alias '*{name}' is used inside the value of its own anchor "
                f"(line {anchor.line}, column {anchor.column})",
                "an alias cannot repeat the value that holds it; write the content out plainly",
                fatal=True,
            )
            raise _StopReadingError
        if is_key:
            text = anchor.text
            self._put(
                _KeyText(text, False, False) if text is not None else _Complex(),
                start,
                True,
                0,
            )
            return
        depth = len(self._stack)
        if depth + anchor.height > MAX_DEPTH:
            self.problem(
                start, f"values nest more than {MAX_DEPTH} levels deep", ALIAS_HINT, fatal=True
            )
            raise _StopReadingError
        self._count(start, kept, anchor.count)
        if kept:
            self._aliased.add(self._record(start, key))
        value = anchor.value
        if isinstance(value, dict | list) and kept:
            value = _copy(value)
        self._put(value, start, False, anchor.height)

    # -- briefgen's rules ------------------------------------------------------------------

    def _bad_tag(self, tag: str, start: Any, kind: str) -> None:
        # The node starts at its first property: the tag, or an anchor before it.
        end_of_line = self.text.find("\n", start.index)
        where = self.text.find("!", start.index, None if end_of_line < 0 else end_of_line)
        where = start.index if where < 0 else where
        if tag.startswith(STANDARD_TAG) and not tag.startswith(STANDARD_TAG + "python/"):
            shown = tag.replace(STANDARD_TAG, "!!")
            if tag in _FITTING_TAG.values():
                message = f"YAML tag '{shown}' does not fit a {kind}"
            else:
                message = f"YAML tag '{shown}' is not supported"
            self.problem_at(
                where,
                message,
                "remove the tag: briefgen reads every value as text and checks it itself; "
                "quote a value, or tag it '!!str', to keep it as text",
            )
            return
        shown = tag.replace(STANDARD_TAG, "!!")
        self.problem_at(
            where,
            f"custom YAML tag '{shown}' is not supported",
            "remove the tag; briefgen reads plain YAML values only",
        )

    def _anchor_index(self, name: str, start: Any) -> int:
        index = self.text.find("&" + name, start.index)
        return index if index >= 0 else start.index

    def _define(
        self,
        name: str,
        start: Any,
        value: Any,
        text: str | None,
        count: int,
        height: int,
        *,
        open_: bool = False,
    ) -> None:
        index = self._anchor_index(name, start)
        line, column = position(self.text, index)
        earlier = self._anchors.get(name)
        if earlier is not None:
            self.problem_at(
                index,
                f"anchor '&{name}' is defined twice: first on line {earlier.line}, "
                f"column {earlier.column}, and again here",
                "give each anchor its own name; briefgen does not let an anchor be redefined",
            )
        self._anchors[name] = _Anchor(value, text, count, height, line, column, open_)

    def _name_end(self, index: int) -> int:
        text = self.text
        end = index + 1
        while end < len(text) and text[end] not in ANCHOR_END:
            end += 1
        return end

    def _check_anchor_name(self, name: str, start: Any) -> None:
        index = self._anchor_index(name, start)
        self._check_name("&", name, index)

    def _check_alias_name(self, name: str, start: Any) -> None:
        self._check_name("*", name, start.index)

    def _check_name(self, sigil: str, name: str, index: int) -> None:
        after = index + 1 + len(name)
        if after < len(self.text) and self.text[after] not in ANCHOR_END:
            # YAML 1.2 reads everything up to a space or flow indicator as the name; the parsers
            # stop at the first other character, and so read something else than the file says.
            full = self.text[index + 1 : self._name_end(index)]
            kind = "anchor" if sigil == "&" else "alias"
            self.problem_at(
                index,
                f"{kind} name '{sigil}{full}' holds '{self.text[after]}'",
                ANCHOR_HINT + " (put a space after the name)",
                fatal=True,
            )

    def _check_plain_start(self, index: int) -> None:
        """'-', '?' or ':' start a plain value only when a character that could go on it follows.

        libyaml and PyYAML read ``[-, -]`` as two '-' texts; YAML 1.2 has no such value.
        """
        after = self.text[index + 1 : index + 2]
        in_flow = bool(self._stack) and self._stack[-1].flow
        if after in ("", " ", "\t", "\r", "\n") or (in_flow and after in ",[]{}"):
            self.problem_at(
                index,
                f"a plain value cannot start with '{self.text[index]}' followed by "
                + ("a space" if after in ("", " ", "\t", "\r", "\n") else f"'{after}'"),
                "put the value in quotes",
                fatal=True,
            )

    def _check_continuation(self, start: Any, end: Any, what: str) -> None:
        """Lines that continue a value must be indented more than the value's key or '-'."""
        need = self._block_n() + 1
        if need <= 0:
            return
        text = self.text
        lines = text[line_start(text, start.index) : end.index].split("\n")
        for offset, line in enumerate(lines[1:], start=1):
            stripped = line.lstrip(" ")
            if not stripped or stripped[0] in "\t#" or stripped.isspace():
                continue  # an empty line, a tab (its own rule) or a comment line
            if len(line) - len(stripped) < need:
                self.problems.append(
                    Problem(
                        start.line + 1 + offset,
                        1,
                        f"this line continues the {what} started on line {start.line + 1} "
                        "and must be indented more than its key (or '-')",
                        f"indent it by at least {need} space{'s' if need > 1 else ''}",
                        True,
                    )
                )
                return

    def _check_block_scalar(self, event: Any) -> None:
        """Empty lines at the start of a | or > block must not hold more spaces than its text."""
        text = self.text
        start = text.find(event.style, event.start_mark.index)
        eol = text.find("\n", start)
        if start < 0 or eol < 0:
            return
        header = text[start + 1 : eol]
        indicators = len(header) - len(header.lstrip("0123456789+-"))
        if any(c.isdigit() for c in header[:indicators]):
            return  # an explicit indentation: nothing is detected from the lines
        need = self._block_n() + 1
        widest, widest_at = -1, 0
        index = eol + 1
        while index < len(text):
            end = text.find("\n", index)
            end = len(text) if end < 0 else end
            line = text[index:end]
            if line.strip(" "):
                indent = len(line) - len(line.lstrip(" "))
                if indent >= max(need, 0) and widest > indent:
                    self.problem_at(
                        widest_at,
                        "an empty line at the start of this block holds more spaces than the "
                        f"block's first line of text (line {text.count(chr(10), 0, index) + 1})",
                        "remove the spaces from the empty lines at the start of the block",
                        fatal=True,
                    )
                return
            if len(line) > widest:
                widest, widest_at = len(line), index
            index = end + 1


class _KeyText(NamedTuple):
    text: str
    plain: bool
    merge: bool


class _Complex:
    """A list or mapping written where a key belongs (reported, never used)."""


_MERGE: Any = object()


def in_span(starts: list[int], spans: list[tuple[int, int, str | None]], index: int) -> int:
    """The number of the scalar whose text holds ``index``, or -1."""
    at = bisect_right(starts, index) - 1
    if at >= 0 and index < spans[at][1]:
        return at
    return -1


def events(text: str, loader: type[Any]) -> Any:
    """The parser's events one by one, disposing of the parser at the end."""
    parser = loader(text)
    try:
        # Both parsers hand over None once the stream has ended.
        yield from iter(parser.get_event, None)
    finally:
        parser.dispose()


__all__ = ["Builder", "Problem", "YamlPath", "events", "in_span", "yaml"]
