"""PyYAML's error messages, said for people: what is wrong, where, and how to fix it.

PyYAML reports parser states ("while parsing a block mapping: expected <block end>, but
found '<block mapping start>'"). Each rule below recognises one common mistake and says it
in the user's terms, pointing at the place the user must look (for an unclosed bracket or
quote, where it was opened rather than where the file ended).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class YamlProblem:
    """A YAML error explained: 1-based line and column, message and optional hint."""

    line: int
    column: int
    message: str
    hint: str | None = None


def _at(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _unclosed(error: yaml.MarkedYAMLError) -> tuple[str, str] | None:
    context = error.context or ""
    problem = error.problem or ""
    if "flow sequence" in context:
        return ("a '[' list is not closed with ']'", "close it, or quote the value if '[' is text")
    if "flow mapping" in context:
        return (
            "a '{' mapping is not closed with '}'",
            "close it, or quote the value if '{' is text",
        )
    if "quoted scalar" in context and "end of stream" in problem:
        return ("a quoted text is not closed", "add the closing quote")
    return None


def _located_rule(problem: str, context: str) -> tuple[str, str | None] | None:
    if "'\\t'" in problem or "\\t" in problem:
        return ("tab character in indentation", "YAML indents with spaces only; replace the tab")
    if "expected a single document" in context or "single document" in problem:
        return ("more than one YAML document in this file", "remove the extra '---' separator")
    if "mapping values are not allowed" in problem:
        return (
            "unexpected ':' here",
            "quote a value that contains ': ', or indent this line under its key",
        )
    if "expected <block end>, but found '<scalar>'" in problem:
        return (
            "unexpected text after a quoted value",
            "check the quotes here and on the lines above: one may be left open, "
            "or the text itself contains the quote character",
        )
    if "expected <block end>" in problem:
        return (
            "this line is not indented like the lines around it",
            "keys of one mapping and items of one list must start in the same column",
        )
    if "could not find expected ':'" in problem:
        return ("expected 'key: value' on this line", "add the ':' after the key, or join the line")
    alias = re.search(r"found undefined alias '([^']*)'", problem)
    if alias:
        return (
            f"unknown alias '*{alias.group(1)}'",
            "quote the value if '*' is meant as text",
        )
    char = re.search(r"found character '(.+)' that cannot start any token", problem)
    if char:
        return (f"a plain value cannot start with '{char.group(1)}'", "put the value in quotes")
    return None


def explain(error: yaml.MarkedYAMLError) -> YamlProblem:
    """A located, readable explanation of one PyYAML scanner, parser or composer error."""
    problem = error.problem or str(error)
    context = error.context or ""
    unclosed = _unclosed(error)
    if unclosed is not None and error.context_mark is not None:
        return YamlProblem(*_at(error.context_mark), *unclosed)
    line, column = _at(error.problem_mark or error.context_mark)
    rule = _located_rule(problem, context)
    if rule is not None:
        return YamlProblem(line, column, *rule)
    prefix = f"{context}: " if context else ""
    return YamlProblem(line, column, f"YAML syntax error: {prefix}{problem}")


def explain_reader_error(error: yaml.reader.ReaderError, text: str) -> YamlProblem:
    """A character YAML does not allow (a control character), located by line and column."""
    before = text[: error.position]
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    code = error.character if isinstance(error.character, int) else ord(str(error.character))
    return YamlProblem(
        line,
        column,
        f"character U+{code:04X} is not allowed in a YAML file",
        "delete it; control characters often come in with pasted text",
    )
