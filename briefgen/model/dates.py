"""Dates with their real precision: the ISO 8601 / EDTF level 0-1 subset briefgen accepts.

Accepted forms: ``2023``, ``2023-02``, ``2023-02-04``, each optionally followed by ``~``
(approximate), ``?`` (uncertain) or ``%`` (both), and closed intervals of two such dates
(``2023-01-26/2023-01-28``). A date is never widened or narrowed: a month stays a month.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from briefgen.diagnostics import quoted

Precision = Literal["year", "month", "day"]
# ASCII digits only ([0-9], not \d, which would take other scripts' digits too), so that the
# JSON Schema's pattern (read by editors with JavaScript's rules) means the same.
_POINT = re.compile(
    r"(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?(?P<q>[~?%])?"
)
# The form, for the JSON Schema: year 0001-9999, month 01-12, day 01-31; that the day exists in
# its month and that an interval ends after it starts only `briefgen validate` checks.
_FORM = r"(?!0000)[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?[~?%]?"
PATTERN = rf"^{_FORM}(/{_FORM})?$"
_MONTHS = [calendar.month_name[i] for i in range(13)]
# How far a qualified (approximate or uncertain) date may lie from what is written, by precision.
_SLACK = {"day": timedelta(days=7), "month": timedelta(days=31), "year": timedelta(days=366)}


class DateError(ValueError):
    """A date text that is not in the accepted subset, or names a day that does not exist."""


@dataclass(frozen=True)
class DatePoint:
    """One calendar date at year, month or day precision, possibly approximate or uncertain."""

    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False
    uncertain: bool = False

    @property
    def precision(self) -> Precision:
        """``day``, ``month`` or ``year``: how much of the date is known."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def qualified(self) -> bool:
        """True when approximate or uncertain."""
        return self.approximate or self.uncertain

    def _first(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def _last(self) -> date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return date(self.year, month, day)

    def earliest(self) -> date:
        """The first day this date could mean (qualified dates get some slack)."""
        slack = _SLACK[self.precision] if self.qualified else timedelta(0)
        first = self._first()
        return first - min(slack, first - date.min)

    def latest(self) -> date:
        """The last day this date could mean (qualified dates get some slack)."""
        slack = _SLACK[self.precision] if self.qualified else timedelta(0)
        last = self._last()
        return last + min(slack, date.max - last)

    def iso(self) -> str:
        """The date as written in EDTF."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        if self.approximate and self.uncertain:
            return text + "%"
        return text + ("~" if self.approximate else "?" if self.uncertain else "")


# EDTF forms briefgen does not support, each with what to write instead (level 0 and 1 of the
# Library of Congress specification: times, unspecified digits, years outside 0001-9999).
_UNSUPPORTED = (
    (
        re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T.*"),
        "times are not supported: write the date alone (YYYY-MM-DD)",
    ),
    (
        re.compile(r"[0-9X]{4}(-[0-9X]{2}){0,2}[~?%]?"),
        "unspecified digits ('X') are not supported: write the precision that is known "
        "(YYYY or YYYY-MM), or an interval",
    ),
    (
        re.compile(r"(Y-?[0-9]+|-[0-9]{4}(-[0-9]{2}){0,2})[~?%]?"),
        "years before 0001 or after 9999 are not supported",
    ),
)


def _unsupported(text: str) -> str | None:
    """Why ``text``, a point in a form of EDTF briefgen does not support, is refused."""
    if any(c.isdigit() and not c.isascii() for c in text):
        return "write the date with the digits 0-9"
    for form, reason in _UNSUPPORTED:
        if form.fullmatch(text):
            return reason
    return None


def _parse_point(text: str) -> DatePoint:
    match = _POINT.fullmatch(text)
    if not match:
        reason = _unsupported(text)
        if reason is not None:
            raise DateError(f"{quoted(text)}: {reason}")
        unpadded = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})(?:-([0-9]{1,2}))?([~?%]?)", text)
        if unpadded:
            # Single-digit months and days are the most common slip: show the fixed form.
            year, month, day, q = unpadded.groups()
            fixed = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "") + q
            raise DateError(f"{quoted(text)} needs two-digit months and days: write {fixed}")
        raise DateError(
            f"{quoted(text)} is not a date in the accepted form "
            "(YYYY, YYYY-MM or YYYY-MM-DD, optionally with ~ ? or %)"
        )
    year = int(match["year"])
    if year == 0:
        # Python's calendar (and every date a briefing could need) starts at year 1.
        raise DateError(f"{quoted(text)}: year 0000 is not supported; years start at 0001")
    month = int(match["month"]) if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    if month is not None and 21 <= month <= 41:
        # EDTF writes seasons (21-24) and, at level 2, quarters and the like (25-41) as months.
        raise DateError(
            f"{quoted(text)}: seasons (EDTF months 21-41) are not supported; "
            "write the months, as an interval (2001-03/2001-05)"
        )
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"{quoted(text)} has no month {month}")
    if month is not None and day is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise DateError(
                f"{quoted(text)} does not exist: {_MONTHS[month]} {year} has {last} days"
            )
    qualifier = match["q"] or ""
    return DatePoint(
        year,
        month,
        day,
        approximate=qualifier in "~%" and qualifier != "",
        uncertain=qualifier in "?%" and qualifier != "",
    )


@dataclass(frozen=True)
class EdtfDate:
    """A single date or a closed interval, exactly as precise as the user wrote it."""

    start: DatePoint
    end: DatePoint | None = None

    @classmethod
    def parse(cls, text: str) -> EdtfDate:
        """Parse the accepted EDTF subset; raise :class:`DateError` with a readable reason."""
        if "/" not in text:
            return cls(_parse_point(text))
        first, _, second = text.partition("/")
        if not first or not second or first == ".." or second == "..":
            raise DateError(
                f"{quoted(text)}: open or unknown interval ends ('..' or nothing) are not "
                "supported; an interval needs a start and an end date"
            )
        for side in (first, second):
            reason = None if _POINT.fullmatch(side) else _unsupported(side)
            if reason is not None:
                raise DateError(f"{quoted(text)}: {reason}")
        if not (_POINT.fullmatch(first) and _POINT.fullmatch(second)):
            if any(c.isdigit() and not c.isascii() for c in text):
                raise DateError(f"{quoted(text)}: write the date with the digits 0-9")
            # Most often a date written day/month/year, not an interval: name the whole text.
            raise DateError(
                f"{quoted(text)} is not a date in the accepted form (YYYY-MM-DD, YYYY-MM or YYYY, "
                "or two of them joined by '/' for an interval)"
            )
        start, end = _parse_point(first), _parse_point(second)
        # An end coarser than the start ends with its last day: '2023-12/2023' runs from
        # December to the end of 2023, as '2023/2023-01' runs from 2023 to January.
        if start._first() > end._last():
            raise DateError(f"{quoted(text)}: the interval ends before it starts")
        return cls(start, end)

    @property
    def is_interval(self) -> bool:
        """True for ``start/end`` dates."""
        return self.end is not None

    def earliest(self) -> date:
        """The first day the date (or interval) could mean."""
        return self.start.earliest()

    def latest(self) -> date:
        """The last day the date (or interval) could mean."""
        return (self.end or self.start).latest()

    def certainly_after(self, other: EdtfDate) -> bool:
        """True only when every reading of ``self`` is later than every reading of ``other``."""
        return self.earliest() > other.latest()

    def certainly_before(self, other: EdtfDate) -> bool:
        """True only when every reading of ``self`` is earlier than every reading of ``other``."""
        return self.latest() < other.earliest()

    def sort_key(self) -> tuple[date, date]:
        """Chronological order: by first possible day, then last."""
        return (self.start._first(), (self.end or self.start)._last())

    def iso(self) -> str:
        """The date in EDTF, as the user would write it."""
        return self.start.iso() + (f"/{self.end.iso()}" if self.end else "")

    def __str__(self) -> str:
        return self.iso()

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        def validate(value: Any) -> EdtfDate:
            if isinstance(value, EdtfDate):
                return value
            if value is None:
                raise ValueError("a date is required here, but the value is empty")
            if not isinstance(value, str):
                raise ValueError("a date must be written as text such as 2023-02-04")
            try:
                return cls.parse(value)
            except DateError as exc:
                raise ValueError(str(exc)) from None

        return core_schema.no_info_plain_validator_function(
            validate, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # YAML 1.2 (editors) reads a plain year, 2023, as a number: accept the four-digit ones.
        return {
            "anyOf": [
                {"type": "string", "pattern": PATTERN},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ],
            "description": "EDTF date: YYYY, YYYY-MM, YYYY-MM-DD, optional ~ ? %, or a/b",
        }


def format_point(point: DatePoint, *, with_year: bool = True, with_month: bool = True) -> str:
    """A point as words at its own precision: '4 February 2023', 'February 2023', '2023'."""
    parts: list[str] = []
    if point.day is not None:
        parts.append(str(point.day))
    if point.month is not None and with_month:
        parts.append(_MONTHS[point.month])
    if with_year:
        parts.append(str(point.year))
    return " ".join(parts)


def _qualify(text: str, point: DatePoint) -> str:
    if point.approximate:
        text = f"c. {text}"
    if point.uncertain:
        text = f"{text} (uncertain)"
    return text


def format_date(value: EdtfDate) -> str:
    """Human wording that keeps precision: 'c. 26 January 2023', '26–28 January 2023'."""
    start, end = value.start, value.end
    if end is None:
        return _qualify(format_point(start), start)
    plain = not start.qualified and not end.qualified and start.precision == end.precision
    if plain and start.year == end.year and start.month == end.month and start.day is not None:
        return f"{start.day}–{format_point(end)}"
    if plain and start.precision == "month" and start.year == end.year:
        return f"{format_point(start, with_year=False)}–{format_point(end)}"
    if plain and start.precision == "year":
        return f"{start.year}–{end.year}"
    if plain and start.year == end.year:
        return f"{format_point(start, with_year=False)} – {format_point(end)}"
    return f"{_qualify(format_point(start), start)} – {_qualify(format_point(end), end)}"


def date_with_preposition(value: EdtfDate) -> str:
    """The date with the preposition its precision takes, to follow a verb ('Decided …').

    'on 4 February 2024' for a day, 'in February 2024' or 'in 2024' for a month or a year,
    'around …' for an approximate date (instead of 'c.'), '… (uncertain)' kept for an uncertain
    one, and 'between … and …' for an interval.
    """
    start, end = value.start, value.end
    if end is None:
        preposition = "on" if start.precision == "day" else "in"
        if start.approximate:
            preposition = "around"
        text = f"{preposition} {format_point(start)}"
        return f"{text} (uncertain)" if start.uncertain else text
    plain = not start.qualified and not end.qualified and start.precision == end.precision
    if plain and start.year == end.year and start.month == end.month and start.day is not None:
        return f"between {start.day} and {format_point(end)}"
    if plain and start.year == end.year and start.precision != "year":
        return f"between {format_point(start, with_year=False)} and {format_point(end)}"
    return f"between {_qualify(format_point(start), start)} and {_qualify(format_point(end), end)}"
