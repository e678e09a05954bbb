"""YAML syntax errors, said for people: what is wrong, where, and how to fix it.

The parsers report their states ("while parsing a block mapping: expected <block end>, but
found '<block mapping start>'"). Each rule below recognises one mistake and says it in the
user's terms, at the place the user must edit: an unclosed bracket or quote where it was opened
(and only when it is really never closed), a tab by what it stands for, an empty key as an empty
key, a comma missing between entries where the next entry starts. The tokens of the file (as far
as they can be read) tell which brackets are closed, and show a mistake that made the parser
fail further on (an anchor name that runs into a ':', a directive line).

Messages of both parsers are understood: libyaml's (in C, used first for speed) and PyYAML's
pure-Python one (whose wording the messages were written for).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from briefgen.load.yaml_build import ANCHOR_END, ANCHOR_HINT, position
from briefgen.load.yaml_text_checks import tab_problem


@dataclass(frozen=True)
class YamlProblem:
    """A YAML error explained: 1-based line and column, message and optional hint."""

    line: int
    column: int
    message: str
    hint: str | None = None


_DIRECTIVE = (
    "YAML directives ('%YAML', '%TAG') are not supported",
    "delete the line; briefgen reads YAML 1.2 as it is",
)
_EMPTY_KEY = ("a key is missing before ':'", "write the key; briefgen does not accept an empty key")


@dataclass
class _Tokens:
    """What the scanner could read: the tokens, and whether it reached the end of the file."""

    tokens: list[Any]
    complete: bool

    def unclosed(self) -> list[Any]:
        """The start marks of brackets never closed ('[' or '{'), outermost first."""
        if not self.complete:
            return []
        stack: list[Any] = []
        for token in self.tokens:
            kind = type(token)
            if kind in (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken):
                stack.append(token)
            elif kind in (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken) and stack:
                stack.pop()
        return [token.start_mark for token in stack]

    def before(self, index: int) -> list[Any]:
        """The tokens that start before ``index``."""
        return [t for t in self.tokens if t.start_mark.index < index]


def _scan(text: str) -> _Tokens:
    tokens: list[Any] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            tokens.append(token)
    except yaml.YAMLError:
        return _Tokens(tokens, complete=False)
    return _Tokens(tokens, complete=True)


def _at(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _char(text: str, mark: Any) -> str:
    if mark is None or mark.index >= len(text):
        return ""
    return text[mark.index]


def _unclosed_message(text: str, mark: Any) -> tuple[str, str]:
    if _char(text, mark) == "[":
        return ("a '[' list is not closed with ']'", "close it, or quote the value if '[' is text")
    return ("a '{' mapping is not closed with '}'", "close it, or quote the value if '{' is text")


def _name_problem(text: str, start: Any) -> YamlProblem:
    """An anchor or alias whose name runs into a character briefgen does not accept."""
    index = start.index
    stop = index + 1
    while stop < len(text) and text[stop] not in ANCHOR_END:
        stop += 1
    name = text[index:stop]
    bad = next((c for c in name[1:] if not (c.isascii() and (c.isalnum() or c in "-_"))), "")
    what = "anchor" if name.startswith("&") else "alias"
    return YamlProblem(
        *_at(start),
        f"{what} name '{name}' holds '{bad}'",
        ANCHOR_HINT + " (put a space after the name)",
    )


def _token_problems(text: str, tokens: _Tokens, limit: int) -> YamlProblem | None:
    """A mistake found in the tokens before ``limit`` that explains a later parser error."""
    for token in tokens.before(limit):
        kind = type(token)
        if kind is yaml.DirectiveToken:
            return YamlProblem(*_at(token.start_mark), *_DIRECTIVE)
        if kind in (yaml.AnchorToken, yaml.AliasToken):
            end = token.end_mark.index
            if end < len(text) and text[end] not in ANCHOR_END:
                return _name_problem(text, token.start_mark)
    return None


def _open_brackets(tokens: _Tokens, index: int) -> int:
    """How many brackets are open at ``index``."""
    depth = 0
    for token in tokens.before(index):
        kind = type(token)
        if kind in (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken):
            depth += 1
        elif kind in (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken) and depth:
            depth -= 1
    return depth


def _first_text_of_line(text: str, index: int) -> int:
    start = text.rfind("\n", 0, index) + 1
    while start < index and text[start] in " \t":
        start += 1
    return start


def _flow_colon(text: str, error: Any, tokens: _Tokens) -> YamlProblem:
    """A ':' the parser did not expect inside brackets that are closed."""
    mark = error.problem_mark
    in_mapping = "flow mapping" in (error.context or "")
    before = tokens.before(mark.index)
    # The entry being read: the tokens since the last ',' or opening bracket.
    entry: list[Any] = []
    for token in reversed(before):
        if type(token) in (
            yaml.FlowEntryToken,
            yaml.FlowMappingStartToken,
            yaml.FlowSequenceStartToken,
        ):
            break
        entry.insert(0, token)
    scalars = [t for t in entry if type(t) is yaml.ScalarToken]
    last = scalars[-1] if scalars else None
    had_value = any(type(t) is yaml.ValueToken for t in entry)
    spans_lines = last is not None and last.end_mark.line > last.start_mark.line
    if had_value or (not in_mapping and spans_lines):
        # 'foo: 1 <newline> bar: 2': the text of the next entry was read into this one.
        where = _first_text_of_line(text, last.end_mark.index if last is not None else mark.index)
        kind = "{ } mapping" if in_mapping else "[ ] list"
        return YamlProblem(
            *position(text, where),
            f"a ',' is missing before this entry of the {kind}",
            "separate the entries with commas",
        )
    if in_mapping:
        return YamlProblem(
            *_at(mark),
            "in a { } mapping, write each key and its ':' on one line",
            "join the lines, or add the ',' that is missing if a new entry starts here",
        )
    return YamlProblem(
        *_at(mark),
        "in a [ ] list, write a key and its ':' on one line",
        "join the lines, or add the ',' that is missing if a new item starts here",
    )


def _flow_indentation(text: str, tokens: _Tokens, mark: Any) -> YamlProblem | None:
    """A line inside brackets opened in block context that is not indented past its key."""
    depth = 0
    opened: Any = None
    for token in tokens.before(mark.index):
        kind = type(token)
        if kind in (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken):
            if depth == 0:
                opened = token.start_mark
            depth += 1
        elif kind in (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken) and depth:
            depth -= 1
    if depth == 0 or opened is None:
        return None
    first = text.rfind("\n", 0, opened.index) + 1
    if text[first:].startswith(("[", "{")) and first == opened.index:
        return None  # brackets that hold the whole file: any indentation will do
    line = text[first : opened.index]
    need = len(line) - len(line.lstrip(" ")) + 1
    index = text.find("\n", opened.index) + 1
    while 0 < index <= mark.index:
        end = text.find("\n", index)
        end = len(text) if end < 0 else end
        content = text[index:end]
        stripped = content.lstrip(" ")
        if stripped and stripped[0] not in "#\t" and len(content) - len(stripped) < need:
            return YamlProblem(
                *position(text, index),
                "this line continues the list or mapping started on line "
                f"{opened.line + 1} and must be indented more than its key (or '-')",
                f"indent it by at least {need} space{'s' if need > 1 else ''}",
            )
        index = end + 1
    return None


def _flow_rule(text: str, error: Any, tokens: _Tokens) -> YamlProblem | None:
    context = error.context or ""
    problem = error.problem or ""
    mark = error.problem_mark
    ch = _char(text, mark)
    unclosed = tokens.unclosed()
    if unclosed and ("flow" in context or ch == ":"):
        # A bracket never closed makes all that follows look wrong: it is the mistake.
        opened = error.context_mark
        if opened is None or all(m.index != opened.index for m in unclosed):
            opened = unclosed[-1] if "flow node" in context else unclosed[0]
        return YamlProblem(*_at(opened), *_unclosed_message(text, opened))
    if mark is not None and ("flow" in context or ch == ":"):
        indentation = _flow_indentation(text, tokens, mark)
        if indentation is not None:
            return indentation
    if "flow sequence" in context or "flow mapping" in context:
        if error.context_mark is not None and any(
            m.index == error.context_mark.index for m in tokens.unclosed()
        ):
            return YamlProblem(
                *_at(error.context_mark), *_unclosed_message(text, error.context_mark)
            )
        if ch == ":":
            return _flow_colon(text, error, tokens)
        if ch and ch not in "]}" and "expected ','" in problem:
            kind = "{ } mapping" if "mapping" in context else "[ ] list"
            return YamlProblem(
                *_at(mark),
                f"a ',' is missing before this entry of the {kind}",
                "separate the entries with commas",
            )
    if "flow node" in context:
        unclosed = tokens.unclosed()
        if unclosed and mark.index >= len(text.rstrip()):
            return YamlProblem(*_at(unclosed[-1]), *_unclosed_message(text, unclosed[-1]))
        if ch == ",":
            return YamlProblem(
                *_at(mark), "an empty entry: nothing is written before this ','", "remove the ','"
            )
        if ch == ":":
            after = text[mark.index + 1 : mark.index + 2]
            if after in ("", " ", "\t", "\r", "\n", ",", "]", "}"):
                return YamlProblem(*_at(mark), *_EMPTY_KEY)
            return YamlProblem(
                *_at(mark),
                "inside [ ] or { }, a value that starts with ':' must be quoted",
                "put the value in quotes",
            )
    return None


def _document_rule(text: str, error: Any, tokens: _Tokens) -> YamlProblem | None:
    problem = error.problem or ""
    mark = error.problem_mark
    if text.startswith(("---", "..."), mark.index) and _open_brackets(tokens, mark.index):
        return YamlProblem(
            *_at(mark),
            f"a '{text[mark.index : mark.index + 3]}' line inside brackets",
            "close the brackets before it, or indent the line",
        )
    if "<document start>" in problem:
        before = tokens.before(mark.index)
        ends = [t for t in before if type(t) is yaml.DocumentEndToken]
        last = before[-1] if before else None
        ch = _char(text, mark)
        if ends and ends[-1].start_mark.line == mark.line:
            return YamlProblem(
                *_at(mark),
                "text after the '...' that ends the document",
                "delete it, or move it before the '...' line",
            )
        if ch in ("]", "}"):
            return YamlProblem(
                *_at(mark),
                f"a '{ch}' that closes nothing",
                f"delete it, or add the '{'[' if ch == ']' else '{'}' it should close",
            )
        if not ends and type(last) is yaml.ScalarToken and last.style in ("|", ">"):
            return YamlProblem(
                *_at(mark),
                f"the lines of a '{last.style}' block must be indented",
                "indent the block's lines by at least one space",
            )
        after_comment = _after_comment(text, last, mark)
        if after_comment is not None:
            return after_comment
        if not ends and last is not None:
            return YamlProblem(
                *_at(mark),
                "unexpected text after the value that the file holds",
                "a file holds one value: indent this line into it, or remove it",
            )
        return YamlProblem(
            *_at(mark),
            "more than one YAML document in this file",
            "a '...' line ends the document: remove it, or what follows it",
        )
    if "'<document end>'" in problem or (
        "node content" in problem and text.startswith("...", mark.index)
    ):
        return YamlProblem(
            *_at(mark),
            "file holds no value before its '...' end marker",
            "a file here must hold a YAML mapping of keys",
        )
    return None


def _after_comment(text: str, last: Any, mark: Any) -> YamlProblem | None:
    """Text that would continue a plain value, were a comment not ending it first."""
    if type(last) is not yaml.ScalarToken or not last.plain:
        return None
    between = text[last.end_mark.index : mark.index]
    if "#" not in between:
        return None
    return YamlProblem(
        *_at(mark),
        "a comment ends the value above, so this line cannot go on with it",
        "move the comment after the value's last line, or quote the whole value",
    )


def _block_leading_lines(text: str, header: int) -> YamlProblem | None:
    """An empty line at the start of a | or > block that holds more spaces than its text."""
    eol = text.find("\n", header)
    start = text.rfind("\n", 0, header) + 1
    need = len(text[start:header]) - len(text[start:header].lstrip(" ")) + 1
    widest, widest_at = -1, 0
    index = eol + 1
    while 0 < index < len(text):
        end = text.find("\n", index)
        end = len(text) if end < 0 else end
        line = text[index:end]
        if line.strip(" "):
            indent = len(line) - len(line.lstrip(" "))
            if indent >= need and widest > indent:
                return YamlProblem(
                    *position(text, widest_at),
                    "an empty line at the start of this block holds more spaces than the "
                    f"block's first line of text (line {text.count(chr(10), 0, index) + 1})",
                    "remove the spaces from the empty lines at the start of the block",
                )
            return None
        if len(line) > widest:
            widest, widest_at = len(line), index
        index = end + 1
    return None


def _unexpected_node(text: str, error: Any, tokens: _Tokens) -> YamlProblem | None:
    """'expected <block end>' at a node: say what the text before it is."""
    mark = error.problem_mark
    before = tokens.before(mark.index)
    if not before:
        return None
    last: Any = before[-1]
    kind = type(last)
    ch = _char(text, mark)
    if kind is yaml.AnchorToken and ch == "*":
        return YamlProblem(
            *_at(last.start_mark),
            "an alias (*name) cannot have an anchor (&name) of its own",
            "remove the anchor: an alias repeats a value, it is not a new one",
        )
    if kind is yaml.ScalarToken and last.style in ("|", ">"):
        leading = _block_leading_lines(text, last.start_mark.index)
        if leading is not None:
            return leading
    if kind is yaml.ScalarToken and last.style in ('"', "'") and last.end_mark.line == mark.line:
        return YamlProblem(
            *_at(mark),
            "unexpected text after a quoted value",
            "check the quotes here and on the lines above: one may be left open, "
            "or the text itself contains the quote character",
        )
    if kind in (yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken):
        closing = "}" if kind is yaml.FlowMappingEndToken else "]"
        return YamlProblem(
            *_at(mark),
            f"unexpected text right after '{closing}'",
            "start the next entry on a line of its own",
        )
    return _after_comment(text, last, mark)


def _mapping_on_marker_line(text: str, mark: Any) -> YamlProblem | None:
    """'--- key: value': a block mapping cannot start on the '---' line."""
    start = text.rfind("\n", 0, mark.index) + 1
    if text.startswith("--- ", start):
        return YamlProblem(
            *position(text, start),
            "a mapping cannot start on the '---' line",
            "start its first key on the next line",
        )
    before = text[start : mark.index].rstrip(" ")
    if before.endswith(("]", "}")):
        return YamlProblem(
            *_at(mark),
            "a key must be plain text",
            "a list or mapping cannot be a key; check for a stray '?' or braces",
        )
    return None


def _located_rule(
    text: str, problem: str, context: str, mark: Any, context_mark: Any
) -> tuple[str, str | None] | None:
    ch = _char(text, mark)
    if "single document" in context or "single document" in problem:
        return ("more than one YAML document in this file", "remove the extra '---' separator")
    if "mapping values are not allowed" in problem:
        return (
            "unexpected ':' here",
            "quote a value that contains ': ', or indent this line under its key",
        )
    if ch == ":" and ("expected <block end>" in problem or "expected key" in problem):
        return _EMPTY_KEY
    if "sequence entries are not allowed" in problem:
        return (
            "a list item ('- ') cannot start here",
            "start each item on a line of its own, under its key",
        )
    same_column = (
        mark is not None and context_mark is not None and mark.column == context_mark.column
    )
    if same_column and (
        "expected '-' indicator" in problem
        or ("block collection" in context and "expected <block end>" in problem)
    ):
        return (
            "expected a list item ('- ') here",
            "a list and a mapping cannot share one level: indent the line, or start it with '- '",
        )
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return (
            "this line is not indented like the lines around it",
            "keys of one mapping and items of one list must start in the same column",
        )
    alias = re.search(r"found undefined alias '([^']*)'", problem)
    if alias:
        return (f"unknown alias '*{alias.group(1)}'", "quote the value if '*' is meant as text")
    if "cannot start any token" in problem and ch:
        return (f"a plain value cannot start with '{ch}'", "put the value in quotes")
    return None


def _tab_index(text: str, error: Any) -> int | None:
    """Where the tab an error is about is, if it is about one."""
    for mark in (error.problem_mark, error.context_mark):
        if _char(text, mark) == "\t":
            return int(mark.index)
    problem = error.problem or ""
    if "'\\t'" in problem or "tab character" in problem:
        mark = error.problem_mark or error.context_mark
        if mark is not None:
            end = text.find("\n", mark.index)
            found = text.find("\t", mark.index, None if end < 0 else end)
            if found >= 0:
                return found
    return None


def explain(error: yaml.MarkedYAMLError, text: str = "") -> YamlProblem:
    """A located, readable explanation of one parser error in ``text``."""
    problem = error.problem or str(error)
    context = error.context or ""
    mark = error.problem_mark or error.context_mark
    tokens = _scan(text)
    found = _token_problems(text, tokens, mark.index if mark is not None else len(text))
    if found is not None:
        return found
    if "tab character where an indentation space is expected" in problem and mark is not None:
        # libyaml cannot count a block's indentation when its first line goes on with a tab.
        return YamlProblem(
            *_at(mark),
            "a tab right after the indentation of the first line of a | or > block",
            "give the block's indentation after '|' or '>' (such as '|2'), "
            "or start the block with a line without a tab",
        )
    tab = _tab_index(text, error)
    if tab is not None:
        return YamlProblem(*position(text, tab), *tab_problem(text, tab))
    if "while scanning an anchor" in context or "while scanning an alias" in context:
        return _name_problem(text, error.context_mark or mark)
    if "while scanning a directive" in context:
        return YamlProblem(*_at(error.context_mark), *_DIRECTIVE)
    if "quoted scalar" in context and error.context_mark is not None:
        if "end of stream" in problem:
            return YamlProblem(
                *_at(error.context_mark), "a quoted text is not closed", "add the closing quote"
            )
        if "document separator" in problem:
            return YamlProblem(
                *_at(error.context_mark),
                "a quoted text runs into a '---' or '...' line",
                "close the quote before that line, or indent the line",
            )
    if "double-quoted scalar" in context and "unknown escape character" in problem:
        return YamlProblem(
            *_at(mark),
            f"'\\{_char(text, mark)}' is not an escape that double-quoted text knows",
            "write '\\\\' for a backslash, or use single quotes, where '\\' is plain text",
        )
    if "while scanning a tag" in context:
        return YamlProblem(
            *_at(error.context_mark or mark),
            "YAML tags ('!name') are not supported",
            "remove the tag; briefgen reads plain YAML values only",
        )
    if "while scanning a block scalar" in context and "indentation indicator" in problem:
        return YamlProblem(
            *_at(mark),
            "the indentation of a | or > block is one digit from 1 to 9",
            "write a digit from 1 to 9 after '|' or '>', or none to let YAML count",
        )
    if "while scanning a block scalar" in context and "comment or a line break" in problem:
        return YamlProblem(
            *_at(mark),
            "the text of a | or > block starts on the next line",
            "move the text to the next line, indented under the key",
        )
    if "could not find expected ':'" in problem and error.context_mark is not None:
        if mark is not None and _char(text, mark) == ":" and error.context_mark.line < mark.line:
            return YamlProblem(
                *_at(error.context_mark),
                "a key must be written on one line",
                "join the key's lines, or quote a value that holds ': '",
            )
        return YamlProblem(
            *_at(error.context_mark),
            "expected 'key: value' on this line",
            "add the ':' after the key, or join the line",
        )
    if "mapping values are not allowed" in problem:
        mapping_start = _mapping_on_marker_line(text, mark)
        if mapping_start is not None:
            return mapping_start
    if "expected <block end>" in problem or "did not find expected key" in problem:
        unexpected = _unexpected_node(text, error, tokens)
        if unexpected is not None:
            return unexpected
    for rule in (_flow_rule, _document_rule):
        explained = rule(text, error, tokens)
        if explained is not None:
            return explained
    line, column = _at(mark)
    located = _located_rule(text, problem, context, error.problem_mark, error.context_mark)
    if located is not None:
        return YamlProblem(line, column, *located)
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
