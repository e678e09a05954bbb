"""Edit one source's ``archive`` in content/sources.yaml, keeping everything else as written.

``briefgen archive`` records what it captured on the source. The file is the user's: its
comments, key order, quoting and layout must survive. It is edited with ruamel.yaml's round
trip, and then checked: every line outside the edited source's block must be unchanged, or
nothing is written (the message gives the lines to add by hand). A comment that ruamel keeps
after the source's last value (for instance one that introduces the next source) stays after
the block, not inside the new ``archive`` mapping.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.tokens import CommentToken

from briefgen.errors import ContentError, UsageError
from briefgen.load.confine import read_inside
from briefgen.load.project_files import SOURCES_FILE

MAX_SOURCES_BYTES = 2 * 1024 * 1024
# The archive keys briefgen archive writes; others (memento) are the user's and are kept.
CAPTURE_KEYS = ("path", "sha256", "captured", "final_url", "content_type")
# Layouts tried, as ruamel's (mapping, sequence, offset) indents: the one that gives the file
# back exactly is used.
_INDENTS = ((2, 4, 2), (2, 2, 0), (4, 6, 4), (4, 4, 0), (2, 4, 4), (4, 4, 2), (4, 6, 2))


@dataclass(frozen=True)
class SourcesDocument:
    """content/sources.yaml as ruamel read it, with the layout that writes it back unchanged."""

    text: str
    data: Any
    yaml: YAML


def read_sources(root: Path) -> SourcesDocument:
    """Read content/sources.yaml for editing. Raises ContentError."""
    try:
        raw = read_inside(root, SOURCES_FILE, MAX_SOURCES_BYTES)
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise ContentError(f"{SOURCES_FILE} not found") from None
    except UnicodeDecodeError as exc:
        raise ContentError(f"{SOURCES_FILE} is not UTF-8 (byte {exc.start})") from None
    except (ContentError, OSError) as exc:
        raise ContentError(f"cannot read {SOURCES_FILE}: {exc}") from None
    for mapping, sequence, offset in _INDENTS:
        yaml = _yaml(mapping, sequence, offset)
        try:
            data = yaml.load(text)
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{SOURCES_FILE}:{mark.line + 1}:{mark.column + 1}" if mark else SOURCES_FILE
            raise ContentError(
                f"{where}: not valid YAML; fix it, then run briefgen archive again"
            ) from None
        if _dump(yaml, data) == text:
            return SourcesDocument(text, data, yaml)
    return SourcesDocument(text, yaml.load(text), _yaml(*_INDENTS[0]))


def _yaml(mapping: int, sequence: int, offset: int) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def find_source(document: SourcesDocument, source_id: str) -> tuple[int, CommentedMap]:
    """The index and mapping of a source; a located usage error if there is none."""
    sources = document.data.get("sources") if isinstance(document.data, Mapping) else None
    if not isinstance(sources, CommentedSeq):
        raise UsageError(f"{SOURCES_FILE}:1:1: no 'sources:' list to record the archive in")
    ids = []
    for index, entry in enumerate(sources):
        if isinstance(entry, CommentedMap):
            if entry.get("id") == source_id:
                return index, entry
            ids.append(str(entry.get("id")))
    line, column = document.data.lc.key("sources")
    close = difflib.get_close_matches(source_id, ids, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise UsageError(
        f"{SOURCES_FILE}:{line + 1}:{column + 1}: no source with id '{source_id}' in this "
        f"list{hint}"
    )


def record_archive(document: SourcesDocument, source_id: str, values: Mapping[str, str]) -> str:
    """The text of sources.yaml with the source's ``archive`` set to ``values``.

    Keys of CAPTURE_KEYS not in ``values`` are removed (they described an older capture);
    other keys of an existing ``archive`` (``memento``) are kept. Raises ContentError when the
    rest of the file would not stay as it was.
    """
    index, source = find_source(document, source_id)
    tail = _take_tail(source)
    archive = source.get("archive")
    if not isinstance(archive, CommentedMap):
        archive = CommentedMap()
        source["archive"] = archive
    for key in CAPTURE_KEYS:
        if key in values:
            archive[key] = values[key]
        elif key in archive:
            del archive[key]
    if tail is not None:
        _put_tail(source, tail)
    text = _dump(document.yaml, document.data)
    _check_rest_unchanged(document.text, text, index)
    return text


def _last(node: Any) -> tuple[Any, int] | None:
    """The last key (or index) of a mapping or block list, and the slot ruamel keeps the
    comment after its value in; None when empty or not a container."""
    if isinstance(node, CommentedMap) and node:
        return list(node.keys())[-1], 2
    if isinstance(node, CommentedSeq) and node:
        return len(node) - 1, 0
    return None


def _take_tail(node: Any) -> str | None:
    """Remove the comment lines after a container's last value (not its own line's comment)."""
    last = _last(node)
    if last is None:
        return None
    key, slot = last
    if _last(node[key]) is not None:
        return _take_tail(node[key])
    items = node.ca.items.get(key)
    if not items or items[slot] is None:
        return None
    token = items[slot]
    own, newline, rest = token.value.partition("\n")
    if own.strip():  # the value's own end-of-line comment stays where it is
        if not rest:
            return None
        token.value = own + newline
        return str(rest)
    items[slot] = None
    return str(token.value)


def _put_tail(node: Any, tail: str) -> None:
    """Attach the comment lines after the (new) last value of a container, however nested."""
    last = _last(node)
    if last is None:
        return
    key, slot = last
    if _last(node[key]) is not None:
        _put_tail(node[key], tail)
        return
    items = node.ca.items.setdefault(key, [None, None, None, None])
    if items[slot] is None:
        text = tail if tail.startswith("\n") else "\n" + tail
        items[slot] = CommentToken(text, CommentMark(0), None)
    else:
        items[slot].value += tail


def _check_rest_unchanged(before: str, after: str, index: int) -> None:
    """Lines before and after the edited source's block must be exactly as they were."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    start = _item_lines(before)[index]
    starts_old, starts_new = _item_lines(before), _item_lines(after)
    end_old = starts_old[index + 1] if index + 1 < len(starts_old) else len(old)
    end_new = starts_new[index + 1] if index + 1 < len(starts_new) else len(new)
    same_head = old[:start] == new[:start]
    same_tail = old[end_old:] == new[end_new:]
    if index + 1 >= len(starts_old):
        # The last source: trailing comments belong to it in ruamel's view; compare them too.
        same_tail = [line for line in old[start:] if line.lstrip().startswith("#")] == [
            line for line in new[start:] if line.lstrip().startswith("#")
        ]
    if not (same_head and same_tail):
        raise ContentError(
            f"cannot record the archive without changing the layout of the rest of "
            f"{SOURCES_FILE}; nothing written",
            "add the archive lines to the source by hand",
        )


def _item_lines(text: str) -> list[int]:
    """The line (0-based) where each item of the ``sources`` list starts."""
    data = YAML(typ="rt").load(text)
    sources: Any = data.get("sources", []) if isinstance(data, Mapping) else []
    return [sources.lc.item(i)[0] for i in range(len(sources))]
