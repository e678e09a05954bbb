"""Checks on the text of a YAML file read without error, using the spans of its scalars.

The parsers let through a few things YAML 1.2 does not allow, or read them as something else
than what is written; and briefgen refuses tabs wherever they are not text. Each check here
looks only at characters that are outside every scalar (or at the lines of one), so text such
as ``C#``, ``https://example.org/#part`` or a tab inside quotes is never mistaken for syntax.
"""

from __future__ import annotations

import re

from briefgen.load.yaml_build import Problem, in_span, line_start, position

_GLUED_QUESTION = re.compile(r"(?:^|(?<=[\s,\[\]{}]))\?(?=[^\s])", re.MULTILINE)
_DIRECTIVE = re.compile(r"^%", re.MULTILINE)

TAB_HINT = "briefgen accepts tabs only inside text"

Spans = list[tuple[int, int, str | None]]


def tab_problem(text: str, index: int) -> tuple[str, str]:
    """The message and hint for a tab at ``index`` that is not part of any text."""
    start = line_start(text, index)
    end = text.find("\n", index)
    before = text[start:index]
    after = text[index + 1 : len(text) if end < 0 else end]
    if not before.strip(" \t"):
        if not after.strip(" \t\r"):
            return "tab character on an empty line", f"delete it; {TAB_HINT}"
        return "tab character in indentation", "YAML indents with spaces only; replace the tab"
    if not after.strip(" \t\r"):
        return "tab character at the end of the line", f"delete it; {TAB_HINT}"
    return "tab character used as a space", f"replace it with a space; {TAB_HINT}"


class _Text:
    def __init__(self, text: str, spans: Spans) -> None:
        self.text = text
        self.spans = spans
        self.starts = [span[0] for span in spans]
        self.problems: list[Problem] = []

    def span(self, index: int) -> int:
        return in_span(self.starts, self.spans, index)

    def in_comment(self, index: int) -> bool:
        """True when a comment starts before ``index`` on its line."""
        text = self.text
        start = line_start(text, index)
        probe = text.find("#", start, index)
        while probe >= 0:
            if (probe == start or text[probe - 1] in " \t") and self.span(probe) < 0:
                return True
            probe = text.find("#", probe + 1, index)
        return False

    def add(self, index: int, message: str, hint: str, *, fatal: bool) -> None:
        line, column = position(self.text, index)
        self.problems.append(Problem(line, column, message, hint, fatal))

    def tabs(self) -> None:
        text = self.text
        last_line = -1
        index = text.find("\t")
        while index >= 0:
            start = line_start(text, index)
            if start != last_line and not self.tab_is_text(index, start):
                last_line = start
                message, hint = tab_problem(text, index)
                if self.span(index) >= 0 and text[index + 1 : text.find("\n", index)].strip():
                    # Before the text of a line that goes on with a value: YAML's white space.
                    message = "tab character before the text of a line that continues a value"
                    hint = f"replace it with spaces; {TAB_HINT}"
                self.add(index, message, hint, fatal=False)
            index = text.find("\t", index + 1)

    def tab_is_text(self, index: int, start: int) -> bool:
        at = self.span(index)
        if at < 0:
            return self.in_comment(index)
        first, _, style = self.spans[at]
        if style in ("|", ">"):
            header_end = self.text.find("\n", first)
            # The content of a block is text; its header line is not (a comment may end it).
            return index > header_end or self.in_comment(index)
        # Inside quoted or plain text, a tab before the text of a continuation line is
        # indentation (or, at the top of the file, the white space YAML folds away).
        return start <= first or bool(self.text[start:index].strip(" \t"))

    def glued_comments(self) -> None:
        text = self.text
        index = text.find("#", 1)
        while index > 0:
            if not text[index - 1].isspace() and self.glued_comment(index):
                self.add(
                    index,
                    "a comment needs a space before '#'",
                    "write a space before '#', or quote the value if '#' is part of it",
                    fatal=True,
                )
            index = text.find("#", index + 1)

    def glued_comment(self, index: int) -> bool:
        """True when the '#' at ``index`` (right after a character) starts a comment."""
        at = self.span(index)
        if at >= 0:
            # Inside a value it is text, except on the header line of a | or > block.
            first, _, style = self.spans[at]
            return style in ("|", ">") and first < index < self.text.find("\n", first)
        return not self.in_comment(index)

    def directives(self) -> None:
        for match in _DIRECTIVE.finditer(self.text):
            if self.span(match.start()) < 0:
                self.add(
                    match.start(),
                    "YAML directives ('%YAML', '%TAG') are not supported",
                    "delete the line; briefgen reads YAML 1.2 as it is",
                    fatal=False,
                )

    def glued_questions(self) -> None:
        for match in _GLUED_QUESTION.finditer(self.text):
            index = match.start()
            if self.span(index) >= 0 or self.in_comment(index):
                continue
            self.add(
                index,
                "a '?' written right before a value",
                "quote the value if it starts with '?'; to mark a key, write a space after '?'",
                fatal=True,
            )


def check_text(text: str, spans: Spans) -> list[Problem]:
    """Tabs that are not text, comments glued to a value, directives, a glued '?'."""
    checks = _Text(text, spans)
    if "\t" in text:
        checks.tabs()
    if "#" in text:
        checks.glued_comments()
    if text.startswith("%") or "\n%" in text:
        checks.directives()
    if "?" in text:
        checks.glued_questions()
    return checks.problems
