"""Where each value and key of a YAML file was written, held compactly.

A briefing of a few hundred lines has about a thousand values; a project of a thousand
briefings, a million. A table from each value's path to its line and column would hold a tuple
of path parts and one of numbers for each (half of validate's memory at N = 1000). This keeps
instead, in the order the values are written (a value before what it holds), one number for the
value's position, one for its key's, the number of values its subtree spans and the key it was
written under: what is needed to find a path by walking down from the top, child by child.

Only what the file says is recorded, as :mod:`yaml_build` read it: nothing below a value thrown
away (the value of a duplicate key, say), and nothing below an alias (``*name``), whose content
is located at the alias. A merge key (``<<``, refused) is recorded under its own key, as written.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

YamlPath = tuple[str | int, ...]

# A position is packed into one number: line << SHIFT | column, both 1-based (a file is at
# most a few MiB, so each fits in SHIFT bits); 0 stands for none. The builder packs them inline.
SHIFT = 24
_COLUMN = (1 << SHIFT) - 1


def pack(line: int, column: int) -> int:
    """One number for a 1-based line and column."""
    return line << SHIFT | column


def unpack(packed: int) -> tuple[int, int]:
    """The 1-based line and column of a packed position."""
    return packed >> SHIFT, packed & _COLUMN


class Positions:
    """The positions of one file's values and keys (see the module's docstring).

    Values are numbered in the order written; for value ``n``: ``values[n]`` its position,
    ``keys[n]`` its key's (0 for a list item or the top), ``spans[n]`` how many values its
    subtree holds (itself included) and ``names[n]`` the key it was written under (None for a
    list item or the top). ``aliased``: the numbers of values written as an alias.
    """

    __slots__ = ("aliased", "keys", "names", "spans", "values")

    def __init__(
        self,
        values: list[int],
        keys: list[int],
        spans: list[int],
        names: list[str | None],
        aliased: frozenset[int],
    ) -> None:
        self.values = array("Q", values)
        self.keys = array("Q", keys)
        self.spans = array("I", spans)
        self.names = names
        self.aliased = aliased

    def find(self, path: YamlPath) -> tuple[int, int]:
        """The number of the deepest value along ``path`` that was written, and how many parts
        of ``path`` lead to it (``len(path)`` when the whole path was)."""
        node = 0
        for depth, part in enumerate(path):
            child = self._child(node, part)
            if child < 0:
                return node, depth
            node = child
        return node, len(path)

    def _child(self, node: int, part: str | int) -> int:
        """The number of the value under ``node`` at ``part`` (a key or a list index), or -1."""
        spans, names = self.spans, self.names
        child, end = node + 1, node + spans[node]
        if child >= end:
            return -1
        if names[child] is None:  # a list: its items have no key
            if not isinstance(part, int) or part < 0:
                return -1
            for _ in range(part):
                child += spans[child]
                if child >= end:
                    return -1
            return child
        while child < end:
            if names[child] == part:
                return child
            child += spans[child]
        return -1

    def locate(self, path: YamlPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value (or its key) at ``path``; the nearest parent's if it was
        not written, and the alias's when ``path`` lies inside a value written as an alias."""
        node, depth = self.find(path)
        if depth < len(path) and node in self.aliased:
            return unpack(self.values[node])
        if key and self.keys[node]:
            return unpack(self.keys[node])
        return unpack(self.values[node])

    def written(self, path: YamlPath) -> bool:
        """True when a value was written at ``path`` itself."""
        return self.find(path)[1] == len(path)

    def tables(self) -> tuple[dict[YamlPath, tuple[int, int]], dict[YamlPath, tuple[int, int]]]:
        """Every value's and every key's position by path (for tests and tools; large)."""
        values: dict[YamlPath, tuple[int, int]] = {}
        keys: dict[YamlPath, tuple[int, int]] = {}
        for node, path in self._paths():
            values.setdefault(path, unpack(self.values[node]))
            if self.keys[node]:
                keys.setdefault(path, unpack(self.keys[node]))
        return values, keys

    def aliased_paths(self) -> set[YamlPath]:
        """The paths of the values written as an alias."""
        return {path for node, path in self._paths() if node in self.aliased}

    def _paths(self) -> Iterator[tuple[int, YamlPath]]:
        """Each value's number and path, in the order written."""
        # Open collections: (path, number past the last value inside, items seen so far).
        open_: list[tuple[YamlPath, int, list[int]]] = []
        for node in range(len(self.values)):
            while open_ and node >= open_[-1][1]:
                open_.pop()
            if not open_:
                path: YamlPath = ()
            else:
                parent, _, seen = open_[-1]
                name = self.names[node]
                if name is None:
                    path = (*parent, seen[0])
                    seen[0] += 1
                else:
                    path = (*parent, name)
            yield node, path
            if self.spans[node] > 1:
                open_.append((path, node + self.spans[node], [0]))
