"""The official YAML test suite over briefgen's YAML reader, case by case.

Every case of the suite (see tests/load/yaml_suite.py for where it comes from) is read with
:func:`briefgen.load.read_yaml_file`, as a briefgen project file would be:

- a case the suite marks invalid must be an error; what each says, and where, is in
  ``yaml_test_suite_errors.txt`` beside this file, reviewed line by line (``pytest
  --update-golden`` rewrites it; read its diff before committing);
- a valid case briefgen accepts must read exactly as the suite's event tree says, compared as
  text (briefgen keeps scalars as text: only plain true/false/null/~/nothing are converted);
- a valid case briefgen refuses on purpose is listed in REFUSED with its rule, and one of its
  messages must name that rule; its messages are in the same reviewed file.

``CI=true`` turns a suite that cannot be fetched into a failure: the test never skips in CI.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from briefgen.diagnostics import Report
from briefgen.load import read_yaml_file
from tests import golden
from tests.load.yaml_suite import (
    Case,
    SuiteMissingError,
    UnrepresentableError,
    cases,
    expected_data,
)

ERRORS_FILE = Path(__file__).with_name("yaml_test_suite_errors.txt")

# Each rule briefgen applies on top of YAML 1.2: the words its message must hold, and why.
RULES: dict[str, tuple[str, str]] = {
    "tag": (
        "tag '",
        "tags other than '!!str' are refused: briefgen reads every value as text and checks it "
        "itself, so '!!int 0x1F' or '!!bool yes' would not mean what the tag says",
    ),
    "directive": (
        "YAML directives",
        "'%YAML' and '%TAG' lines are refused: briefgen reads YAML 1.2 as it is, and '%TAG' "
        "would change what a tag means",
    ),
    "multi-document": (
        "more than one YAML document",
        "a briefgen file holds one document; a second '---' is most often a slip",
    ),
    "no-value": (
        "file ",
        "a briefgen file must hold a value (a mapping of keys); an empty stream holds none",
    ),
    "complex-key": (
        "a key must be plain text",
        "keys are names: a list or a mapping as a key has no meaning in a briefgen file",
    ),
    "empty-key": (
        "a key is missing before ':'",
        "an empty (null) key has no meaning in a briefgen file, and is most often a slip",
    ),
    "anchor-name": (
        " name '",
        "anchor and alias names are letters, digits, '-' and '_': YAML reads '&a:b' as the "
        "name 'a:b', the parsers read the name 'a' and a text ':b'",
    ),
    "anchor-twice": (
        "is defined twice",
        "an anchor redefined makes later aliases mean the second value: refused, with both "
        "positions named",
    ),
    "tab": (
        "tab character",
        "tabs are accepted only inside text (quoted text, | and > blocks, within a line): "
        "editors show them at different widths, so a tab can make a line look aligned when it "
        "is not",
    ),
    "flow-key-line": (
        "and its ':' on one line",
        "inside [ ] and { }, a key and its ':' must be on one line: the parsers cannot read "
        "a key whose ':' is on the next line, and it most often means a missing ','",
    ),
    "flow-colon-value": (
        "starts with ':' must be quoted",
        "inside [ ] and { }, a value starting with ':' must be quoted: the parsers cannot "
        "read it plain",
    ),
    "glued-question": (
        "'?' written right before",
        "inside { } and [ ], '?x' is the text '?x' for YAML but a key 'x' for the parsers: "
        "refused, so it is never misread",
    ),
    "zero-indented-block": (
        "block must be indented",
        "the lines of a | or > block must be indented, even at the top of a file: the "
        "parsers cannot read them otherwise",
    ),
}

# Valid YAML that briefgen refuses on purpose, by the rule it breaks (reviewed case by case:
# each is a form a person would not write in a briefing, or one the parsers cannot read).
REFUSED: dict[str, str] = {
    "27NA": "directive",
    "2AUY": "tag",
    "2JQS": "empty-key",
    "2LFX": "directive",
    "2SXE": "anchor-name",
    "2XXW": "tag",
    "33X3": "tag",
    "35KP": "multi-document",
    "3GZX": "anchor-twice",
    "3RLN-02": "tab",
    "3RLN-05": "tab",
    "4FJ6": "complex-key",
    "4MUZ-00": "flow-key-line",
    "4MUZ-01": "flow-key-line",
    "4MUZ-02": "flow-key-line",
    "4ZYM": "tab",
    "52DL": "tag",
    "565N": "tag",
    "58MP": "flow-colon-value",
    "5GBF": "tab",
    "5MUD": "flow-key-line",
    "5T43": "flow-colon-value",
    "5TYM": "multi-document",
    "652Z": "glued-question",
    "6BCT": "tab",
    "6BFJ": "complex-key",
    "6CA3": "tab",
    "6CK3": "directive",
    "6HB6": "tab",
    "6LVF": "directive",
    "6M2F": "empty-key",
    "6PBE": "complex-key",
    "6WLZ": "multi-document",
    "6XDY": "multi-document",
    "6ZKB": "multi-document",
    "74H7": "tag",
    "7A4E": "tab",
    "7FWL": "tag",
    "7Z25": "multi-document",
    "8G76": "no-value",
    "8MK2": "tag",
    "8XYN": "anchor-name",
    "98YD": "no-value",
    "9DXL": "multi-document",
    "9KAX": "multi-document",
    "9MMW": "complex-key",
    "9SA2": "flow-key-line",
    "9WXW": "multi-document",
    "A2M4": "tab",
    "AVM7": "no-value",
    "BEC7": "directive",
    "C4HZ": "directive",
    "CC74": "directive",
    "CFD4": "empty-key",
    "CUP7": "tag",
    "DBG4": "flow-colon-value",
    "DC7X": "tab",
    "DFF7": "empty-key",
    "DK3J": "zero-indented-block",
    "DK95-00": "tab",
    "DK95-02": "tab",
    "DK95-03": "tab",
    "DK95-04": "tab",
    "DK95-05": "tab",
    "DK95-07": "directive",
    "DK95-08": "tab",
    "F2C7": "tag",
    "FH7J": "tag",
    "FP8R": "zero-indented-block",
    "FRK4": "empty-key",
    "HM87-00": "flow-colon-value",
    "HM87-01": "glued-question",
    "HS5T": "tab",
    "HWV9": "no-value",
    "J3BT": "tab",
    "J7PZ": "tag",
    "JHB9": "multi-document",
    "K3WX": "flow-key-line",
    "K54U": "tab",
    "KK5P": "complex-key",
    "KSS4": "multi-document",
    "L383": "multi-document",
    "L94M": "tag",
    "LX3P": "complex-key",
    "M2N8-00": "empty-key",
    "M2N8-01": "complex-key",
    "M5C3": "tag",
    "M5DY": "complex-key",
    "M7A3": "multi-document",
    "MUS6-02": "directive",
    "MUS6-03": "directive",
    "MUS6-04": "directive",
    "MUS6-05": "directive",
    "MUS6-06": "directive",
    "NB6Z": "tab",
    "NHX8": "empty-key",
    "NJ66": "flow-key-line",
    "NKF9": "empty-key",
    "P76L": "directive",
    "PRH3": "tab",
    "PUW8": "multi-document",
    "PW8X": "anchor-twice",
    "Q5MG": "tab",
    "Q9WF": "complex-key",
    "QT73": "no-value",
    "RTP8": "directive",
    "RZP5": "complex-key",
    "RZT7": "multi-document",
    "S3PD": "empty-key",
    "S4JQ": "tag",
    "SBG9": "complex-key",
    "SM9W-01": "empty-key",
    "TL85": "tab",
    "U3C3": "directive",
    "U9NS": "multi-document",
    "UGM3": "tag",
    "UKK6-00": "empty-key",
    "UKK6-02": "tag",
    "UT92": "flow-key-line",
    "UV7Q": "tab",
    "V9D5": "complex-key",
    "VJP3-01": "flow-key-line",
    "W4TN": "directive",
    "W5VH": "anchor-name",
    "X38W": "complex-key",
    "XW4D": "complex-key",
    "Y2GN": "anchor-name",
    "Y79Y-002": "tab",
    "Y79Y-010": "tab",
    "Z67P": "tag",
    "Z9M4": "directive",
}

# The cases the issue named, where a message had named the wrong mistake: (line, column,
# message) of the first error, as a person must read it.
NAMED: dict[str, tuple[int, int, str]] = {
    # A tab that is not indentation is said for what it is.
    "6BCT": (3, 4, "tab character used as a space"),
    "DC7X": (1, 5, "tab character at the end of the line"),
    "J3BT": (3, 7, "tab character used as a space"),
    "K54U": (1, 4, "tab character used as a space"),
    "A2M4": (2, 4, "tab character used as a space"),
    "NB6Z": (4, 3, "tab character on an empty line"),
    "UV7Q": (3, 3, "tab character before the text of a line that continues a value"),
    "HS5T": (4, 1, "tab character before the text of a line that continues a value"),
    "DK95-03": (1, 2, "tab character on an empty line"),
    "DK95-04": (2, 1, "tab character on an empty line"),
    "DK95-05": (2, 2, "tab character on an empty line"),
    "MUS6-03": (1, 1, "YAML directives ('%YAML', '%TAG') are not supported"),
    "Y79Y-010": (1, 2, "tab character used as a space"),
    # Closed brackets are never called unclosed; a missing comma is a missing comma.
    "4MUZ-00": (2, 1, "in a { } mapping, write each key and its ':' on one line"),
    "5MUD": (3, 3, "in a { } mapping, write each key and its ':' on one line"),
    "K3WX": (3, 3, "in a { } mapping, write each key and its ':' on one line"),
    "9SA2": (4, 8, "in a { } mapping, write each key and its ':' on one line"),
    "NJ66": (4, 7, "in a { } mapping, write each key and its ':' on one line"),
    "UT92": (3, 3, "in a { } mapping, write each key and its ':' on one line"),
    "VJP3-01": (3, 2, "in a { } mapping, write each key and its ':' on one line"),
    "T833": (4, 2, "a ',' is missing before this entry of the { } mapping"),
    "6JTT": (2, 1, "a '[' list is not closed with ']'"),
    # An empty key is an empty key.
    "2JQS": (1, 1, "a key is missing before ':'"),
    "NHX8": (1, 1, "a key is missing before ':'"),
    "SM9W-01": (1, 1, "a key is missing before ':'"),
    "S3PD": (2, 1, "a key is missing before ':'"),
    "NKF9": (3, 1, "a key is missing before ':'"),
    "UKK6-00": (1, 3, "a key is missing before ':'"),
    "M2N8-00": (1, 5, "a key is missing before ':'"),
    "6M2F": (3, 1, "a key is missing before ':'"),
    # A redefined anchor names both places; an alias is blamed where it is written.
    "3GZX": (
        3,
        18,
        "anchor '&anchor' is defined twice: first on line 1, column 19, and again here",
    ),
    "X38W": (1, 3, "a key must be plain text"),
    # Invalid YAML the parsers let through, at the place to edit.
    "SU5Z": (1, 13, "a comment needs a space before '#'"),
    "9JBA": (2, 13, "a comment needs a space before '#'"),
    "CVW2": (2, 11, "a comment needs a space before '#'"),
    "QB6E": (3, 1, "this line continues the quoted text started on line 2"),
    "9C9N": (3, 1, "this line continues the list or mapping started on line 2"),
    "DK95-01": (2, 1, "tab character before the text of a line that continues a value"),
    "G5U8": (2, 4, "a plain value cannot start with '-'"),
    "YJV2": (1, 2, "a plain value cannot start with '-'"),
    "S98Z": (4, 1, "an empty line at the start of this block holds more spaces"),
    "U99R": (1, 3, "YAML tag '!!str,' is not supported"),
    # Valid YAML the parsers misread: refused rather than read as something else.
    "Y2GN": (2, 6, "anchor name '&an:chor' holds ':'"),
    "652Z": (1, 3, "a '?' written right before a value"),
    "HM87-01": (1, 2, "a '?' written right before a value"),
}
# Both aliases of X38W are located where each is written, not at their anchors.
ALIAS_KEYS_OF_X38W = ["f.yaml:1:3: error: a key must be plain text", "f.yaml:1:21: error"]


@pytest.fixture(scope="module")
def suite() -> list[Case]:
    try:
        return cases()
    except SuiteMissingError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the YAML test suite is needed in CI: {exc}")
        pytest.skip(f"the YAML test suite could not be fetched: {exc}")


def _read(tmp_path: Path, case: Case) -> tuple[Any, Report]:
    path = tmp_path / "f.yaml"
    path.write_bytes(case.yaml.encode("utf-8"))
    report = Report()
    loaded = read_yaml_file(path, "f.yaml", report)
    return (loaded.data if loaded is not None else None), report


@pytest.fixture(scope="module")
def readings(
    suite: list[Case], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Case, Any, Report]]:
    folder = tmp_path_factory.mktemp("suite")
    started = time.monotonic()
    result = {case.id: (case, *_read(folder, case)) for case in suite}
    # No case may hang the reader: the whole suite reads in a few seconds.
    assert time.monotonic() - started < 60
    return result


def test_the_suite_is_whole(suite: list[Case]) -> None:
    assert len(suite) == 402
    assert sum(case.fail for case in suite) == 94


def test_every_invalid_file_is_an_error(readings: dict[str, tuple[Case, Any, Report]]) -> None:
    accepted = [
        cid for cid, (case, _, report) in readings.items() if case.fail and not report.items
    ]
    assert accepted == []
    for cid, (case, _, report) in readings.items():
        if case.fail:
            lines = case.yaml.count("\n") + 1
            assert all(1 <= d.location.line <= lines + 1 for d in report.items), cid


def test_every_valid_file_accepted_reads_as_yaml_says(
    readings: dict[str, tuple[Case, Any, Report]],
) -> None:
    for cid, (case, data, report) in readings.items():
        if case.fail or cid in REFUSED:
            continue
        assert case.tree is not None, cid
        assert [d.text() for d in report.items] == [], cid
        assert data == expected_data(case.tree), cid


def test_valid_files_refused_are_refused_by_a_named_rule(
    readings: dict[str, tuple[Case, Any, Report]],
) -> None:
    for cid, rule in REFUSED.items():
        case, _, report = readings[cid]
        assert not case.fail, f"{cid} is invalid YAML: it does not belong in REFUSED"
        words, _ = RULES[rule]
        messages = [d.message for d in report.items]
        assert any(words in m for m in messages), (cid, rule, messages)


def test_what_briefgen_cannot_hold_is_refused(suite: list[Case]) -> None:
    """A valid case whose tree holds a tag, a complex key, ... must be in REFUSED."""
    for case in suite:
        if case.fail or case.tree is None:
            continue
        try:
            expected_data(case.tree)
        except UnrepresentableError as exc:
            assert case.id in REFUSED, (case.id, str(exc))


def test_named_cases_name_the_real_mistake(
    readings: dict[str, tuple[Case, Any, Report]],
) -> None:
    for cid, (line, column, message) in NAMED.items():
        _, _, report = readings[cid]
        first = report.sorted()[0]
        assert (first.location.line, first.location.column) == (line, column), cid
        assert first.message.startswith(message), (cid, first.message)
    shown = [d.text() for d in readings["X38W"][2].sorted()]
    assert [s[: len(p)] for s, p in zip(shown, ALIAS_KEYS_OF_X38W, strict=True)] == (
        ALIAS_KEYS_OF_X38W
    )


def test_messages_match_the_reviewed_file(readings: dict[str, tuple[Case, Any, Report]]) -> None:
    lines: list[str] = []
    for cid, (case, _, report) in sorted(readings.items()):
        if case.fail or cid in REFUSED:
            tag = "invalid" if case.fail else f"refused:{REFUSED[cid]}"
            lines.extend(f"{cid} {tag} {d.text()}" for d in report.sorted())
    actual = "\n".join(lines) + "\n"
    if golden.UPDATE:
        ERRORS_FILE.write_text(actual, encoding="utf-8")
    assert actual == ERRORS_FILE.read_text(encoding="utf-8")
