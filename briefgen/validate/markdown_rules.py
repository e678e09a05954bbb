"""Briefing checks on the Markdown of narrative fields: what the renderer cannot handle.

python-markdown parses nested lists and block quotes recursively; a few hundred levels exhaust
Python's stack and the build would crash. No briefing needs more than a handful of levels, so
validation sets a limit far below that and names the field, before anything is rendered.
"""

from __future__ import annotations

import re

from briefgen.diagnostics import Report
from briefgen.model.facts import iter_markdown
from briefgen.validate.context import BriefingContext

# Far above what a reader can follow, far below what breaks python-markdown (about 300).
MAX_NESTING = 20
# What opens a container at the start of a line: a block quote marker, or a list marker (a
# bullet, or a number with '.' or ')') followed by white space or the end of the line.
_CONTAINER = re.compile(r"[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))")
_TAB_WIDTH = 4  # python-markdown's: one level of list nesting per 4 columns of indentation


def _indent_columns(line: str) -> int:
    columns = 0
    for char in line:
        if char == " ":
            columns += 1
        elif char == "\t":
            columns += _TAB_WIDTH - columns % _TAB_WIDTH
        else:
            break
    return columns


def line_depth(line: str) -> int:
    """How many lists and block quotes a line opens or sits in, at most.

    Every 4 columns of indentation count as one level, and so does each marker at the start
    of the line (``> - 1. text`` is three). This over-counts an indented code block, which is
    harmless at the limit's size; it never under-counts the nesting python-markdown parses.
    """
    depth = _indent_columns(line) // _TAB_WIDTH
    position = 0
    while match := _CONTAINER.match(line, position):
        depth += 1
        position = match.end()
    return depth


def nesting_depth(text: str) -> int:
    """The deepest nesting of lists and block quotes in a Markdown text (0 for plain text)."""
    return max((line_depth(line) for line in text.splitlines()), default=0)


def check_markdown_nesting(ctx: BriefingContext, report: Report) -> None:
    """No Markdown field nests lists or block quotes more than :data:`MAX_NESTING` deep."""
    for path, text in iter_markdown(ctx.briefing):
        if not ctx.valid(*path):
            continue
        depth = nesting_depth(text)
        if depth > MAX_NESTING:
            report.error(
                ctx.at(*path),
                f"Markdown nested too deeply: {depth} levels of lists or block quotes "
                f"(at most {MAX_NESTING})",
                "flatten it: each list marker, '>' or 4 spaces of indentation that starts a line "
                "is one level",
            )
