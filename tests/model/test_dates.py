"""Property-style checks of briefgen.model.dates over every day of several years.

No property-testing library is needed: the space is small enough to walk exhaustively (every
day of 2019-2025 at every precision and qualifier), and intervals are drawn from a seeded
random generator so failures reproduce.
"""

from __future__ import annotations

import calendar
import random
import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from briefgen.model.dates import DateError, EdtfDate, format_date

QUALIFIERS = ("", "~", "?", "%")
YEARS = range(2019, 2026)


def _days() -> Iterator[date]:
    day = date(YEARS.start, 1, 1)
    while day.year < YEARS.stop:
        yield day
        day += timedelta(days=1)


def _texts() -> Iterator[str]:
    """Every year, month and day of YEARS, each with every qualifier."""
    for year in YEARS:
        for q in QUALIFIERS:
            yield f"{year}{q}"
            for month in range(1, 13):
                yield f"{year}-{month:02d}{q}"
    for day in _days():
        for q in QUALIFIERS:
            yield f"{day.isoformat()}{q}"


def test_iso_round_trip_keeps_text_and_precision() -> None:
    for text in _texts():
        parsed = EdtfDate.parse(text)
        assert parsed.iso() == text
        assert str(parsed) == text
        expected = {1: "year", 2: "month", 3: "day"}[text.rstrip("~?%").count("-") + 1]
        assert parsed.start.precision == expected, text
        assert EdtfDate.parse(parsed.iso()) == parsed


def test_formatting_never_invents_precision() -> None:
    """A month date is never printed with a day, a year date never with a month."""
    months = set(calendar.month_name[1:])
    for text in _texts():
        parsed = EdtfDate.parse(text)
        words = format_date(parsed)
        numbers = re.findall(r"\d+", words)
        named_months = [w for w in re.findall(r"[A-Z][a-z]+", words) if w in months]
        precision = parsed.start.precision
        assert numbers[-1] == str(parsed.start.year), words
        assert len(numbers) == (2 if precision == "day" else 1), words
        assert len(named_months) == (0 if precision == "year" else 1), words
        assert words.startswith("c. ") == parsed.start.approximate, words
        assert words.endswith("(uncertain)") == parsed.start.uncertain, words


def test_every_real_day_parses_and_no_impossible_day_does() -> None:
    for year in YEARS:
        for month in range(1, 13):
            last = calendar.monthrange(year, month)[1]
            EdtfDate.parse(f"{year}-{month:02d}-{last:02d}")
            with pytest.raises(DateError, match="does not exist"):
                EdtfDate.parse(f"{year}-{month:02d}-{last + 1:02d}")
            with pytest.raises(DateError):
                EdtfDate.parse(f"{year}-{month:02d}-00")
        for month in (0, 13):
            with pytest.raises(DateError, match=f"no month {month}"):
                EdtfDate.parse(f"{year}-{month:02d}")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "23",
        "2023-2",
        "2023-02-4",
        "2023/02/04",
        "04/02/2023",
        "2023-02-04T10:00",
        "2023-W05",
        "2023-02-04~?",
        "~2023",
        "2023-02-04/",
        "/2023",
        "2023..2024",
        "2023-02-30",
    ],
)
def test_texts_outside_the_subset_are_rejected(text: str) -> None:
    with pytest.raises(DateError):
        EdtfDate.parse(text)


def _random_point(rng: random.Random) -> str:
    day = date(2019, 1, 1) + timedelta(days=rng.randrange(365 * 7))
    text = day.isoformat()[: rng.choice((4, 7, 10))]
    return text + rng.choice(QUALIFIERS)


def test_intervals_round_trip_and_order_is_enforced() -> None:
    rng = random.Random(20230126)
    for _ in range(3000):
        a, b = _random_point(rng), _random_point(rng)
        first, second = EdtfDate.parse(a), EdtfDate.parse(b)
        if first.sort_key() > second.sort_key():
            a, b, first, second = b, a, second, first
        if first.start._first() <= second.start._first() and first.earliest() <= second.latest():
            interval = EdtfDate.parse(f"{a}/{b}")
            assert interval.iso() == f"{a}/{b}"
            assert interval.earliest() <= interval.latest()
            assert interval.start.precision == first.start.precision
        if second.start._first() > first.start._last():
            with pytest.raises(DateError, match="ends before it starts"):
                EdtfDate.parse(f"{b}/{a}")
        else:
            # An end coarser than its start (or overlapping it) ends with its own last day.
            EdtfDate.parse(f"{b}/{a}")


def test_comparisons_are_consistent() -> None:
    rng = random.Random(4)
    for _ in range(3000):
        x, y = EdtfDate.parse(_random_point(rng)), EdtfDate.parse(_random_point(rng))
        assert x.earliest() <= x.latest()
        assert not (x.certainly_after(y) and x.certainly_before(y))
        assert x.certainly_after(y) == y.certainly_before(x)
        assert not x.certainly_after(x)
        # A qualified date is never more certain than the plain one it qualifies.
        plain = EdtfDate.parse(x.start.iso().rstrip("~?%"))
        if x.certainly_after(y):
            assert plain.certainly_after(y)


def test_interval_wording_keeps_each_end_precision() -> None:
    cases = {
        "2023-01-26/2023-01-28": "26–28 January 2023",
        "2023-01/2023-03": "January–March 2023",
        "2022/2023": "2022–2023",
        "2023-01-30/2023-02-02": "30 January – 2 February 2023",
        "2023-01/2023-02-04": "January 2023 – 4 February 2023",
        "2023-01-26~/2023-01-28": "c. 26 January 2023 – 28 January 2023",
    }
    for text, words in cases.items():
        assert format_date(EdtfDate.parse(text)) == words


@pytest.mark.parametrize(
    "text",
    ["2023-12/2023", "2023-12-31/2023", "2023-06-30/2023-06", "2023/2023-01", "2023-06/2023-06-30"],
)
def test_an_end_coarser_than_its_start_ends_with_its_last_day(text: str) -> None:
    parsed = EdtfDate.parse(text)
    assert parsed.iso() == text
    assert parsed.sort_key()[1] == (parsed.end or parsed.start)._last()


@pytest.mark.parametrize(
    "text",
    ["٢٠٢٣-٠٢-٠٤", "２０２３", "2023-٠٢", "2023/٢٠٢٤", "2023\n/2024", "2023 /2024"],
)
def test_only_ascii_digits_and_no_white_space_inside(text: str) -> None:
    with pytest.raises(DateError):
        EdtfDate.parse(text)


@pytest.mark.parametrize("season", range(21, 42))
def test_seasons_are_unsupported(season: int) -> None:
    with pytest.raises(DateError, match=r"seasons .* are not supported"):
        EdtfDate.parse(f"2001-{season}")


def test_year_0000_is_refused_clearly() -> None:
    for text in ("0000", "0000-01", "0000-01-01", "0000/2023"):
        with pytest.raises(DateError, match="year 0000 is not supported; years start at 0001"):
            EdtfDate.parse(text)
    assert EdtfDate.parse("0001").start.year == 1
