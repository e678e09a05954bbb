"""briefgen's dates against the Library of Congress EDTF examples, with ``edtf`` as the oracle.

The examples of EDTF levels 0 and 1 (https://www.loc.gov/standards/datetime/) fall in three
groups: what briefgen supports (read with the right precision and the same first and last day
as the ``edtf`` library reads), what it does not support (refused with a message that says so),
and, beside them, texts that are no EDTF date at all (refused by both). Impossible days
('1985-02-29'), which the library does not check, are tested in test_dates.py.
"""

from __future__ import annotations

import time
from datetime import date

import edtf  # type: ignore[import-untyped]
import pytest

from briefgen.model.dates import DateError, EdtfDate

SUPPORTED = [
    # Level 0: dates
    "1985-04-12",
    "1985-04",
    "1985",
    # Level 0: time intervals
    "1964/2008",
    "2004-06/2006-08",
    "2004-02-01/2005-02-08",
    "2004-02-01/2005-02",
    "2004-02-01/2005",
    "2005/2006-02",
    # Level 1: qualification of a date, and of interval ends
    "1984?",
    "2004-06~",
    "2004-06-11%",
    "1984~/2004-06",
    "1984/2004-06~",
    "1984~/2004~",
    "1984?/2004%",
    "1984-06?/2004-08?",
    "1984-06-02?/2004-08-08~",
]
UNSUPPORTED = [
    # Level 0: date and time
    "1985-04-12T23:20:30",
    "1985-04-12T23:20:30Z",
    "1985-04-12T23:20:30-04",
    "1985-04-12T23:20:30+04:30",
    # Level 1: letter-prefixed calendar years, seasons, unspecified digits
    "Y170000002",
    "Y-170000002",
    "2001-21",
    "2001-22",
    "2001-23",
    "2001-24",
    "201X",
    "20XX",
    "2004-XX",
    "1985-04-XX",
    "1985-XX-XX",
    # Level 1: extended intervals (open or unknown ends)
    "1985-04-12/..",
    "1985-04/..",
    "1985/..",
    "../1985-04-12",
    "../1985-04",
    "../1985",
    "1985-04-12/",
    "1985-04/",
    "1985/",
    "/1985-04-12",
    "/1985-04",
    "/1985",
    "1984-06-02?/..",
    # Level 1: negative calendar year
    "-1985",
    # Year zero: valid EDTF, refused by briefgen (its calendar starts at 0001)
    "0000",
]
INVALID = [
    "1985-13",
    "1985-00",
    "1985-04-31",
    "1985-04-00",
    "85",
    "1985-4",
    "1985-04-1",
    "19850412",
    "1985/04/12",
    "2004-06~?",
    "1985-04-12 23:20",
    "",
]


def _day(struct: time.struct_time) -> date:
    return date(struct.tm_year, struct.tm_mon, struct.tm_mday)


def _precision(text: str) -> str:
    return {0: "year", 1: "month", 2: "day"}[text.rstrip("~?%").count("-")]


@pytest.mark.parametrize("text", SUPPORTED)
def test_supported_examples_read_as_edtf_reads_them(text: str) -> None:
    oracle = edtf.parse_edtf(text)
    parsed = EdtfDate.parse(text)
    assert parsed.iso() == text
    first, last = parsed.sort_key()
    assert (first, last) == (_day(oracle.lower_strict()), _day(oracle.upper_strict()))
    ends = text.split("/")
    assert parsed.start.precision == _precision(ends[0])
    if parsed.end is not None:
        assert parsed.end.precision == _precision(ends[1])
    for end, written in zip((parsed.start, parsed.end), ends, strict=False):
        assert end is not None
        assert end.approximate == written.endswith(("~", "%"))
        assert end.uncertain == written.endswith(("?", "%"))


@pytest.mark.parametrize("text", UNSUPPORTED)
def test_unsupported_examples_are_refused_as_unsupported(text: str) -> None:
    edtf.parse_edtf(text)  # valid EDTF: the oracle reads it
    with pytest.raises(DateError, match="not supported"):
        EdtfDate.parse(text)


@pytest.mark.parametrize("text", INVALID)
def test_invalid_texts_are_refused_by_both(text: str) -> None:
    with pytest.raises(edtf.EDTFParseException):
        edtf.parse_edtf(text)
    with pytest.raises(DateError):
        EdtfDate.parse(text)
