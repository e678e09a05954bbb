"""Normalisation and matching rules, as data: what must match and what must not."""

from __future__ import annotations

import pytest

from briefgen.provenance.match import ArchiveText
from briefgen.provenance.normalise import normalise, tokens

SAME = [
    ("curly double quotes", "“a”", '"a"'),
    ("guillemets", "«a»", '"a"'),
    ("curly apostrophe", "don’t", "don't"),
    ("modifier-letter apostrophe", "donʼt", "don't"),
    ("em dash, no spaces", "retain—and", "retain - and"),
    ("spaced en dash", "retain – and", "retain - and"),
    ("double hyphen", "retain -- and", "retain - and"),
    ("line breaks and tabs", "a\n\tb\r\nc", "a b c"),
    ("no-break and thin spaces", "29\u00a0February\u2009", "29 February"),
    ("ellipsis character", "wait…", "wait..."),
    ("soft hyphen and zero-width space", "coordi\u00adnation\u200b", "coordination"),
    ("decomposed accent (NFC)", "cafe\u0301", "café"),
    ("ligature from PDF text", "ﬁrst", "first"),
    ("Arabic harakat and tatweel", "مُحَمَّد ـ", "محمد"),
    ("Hebrew niqqud", "שָׁלוֹם", "שלום"),
    ("Hebrew geresh", "צ׳יפס", "צ'יפס"),
]


@pytest.mark.parametrize(("why", "written", "expected"), SAME, ids=[c[0] for c in SAME])
def test_normalise(why: str, written: str, expected: str) -> None:
    assert normalise(written) == normalise(expected), why


def test_diacritics_can_be_kept() -> None:
    assert normalise("مُحَمَّد", strip_diacritics=False) != normalise("محمد")


def test_words_keep_inner_apostrophes_and_hyphens() -> None:
    assert tokens(normalise("We don’t de-escalate, “ever”.")) == [
        "We", "don't", "de-escalate", ",", '"', "ever", '"', ".",
    ]  # fmt: skip


ARCHIVE = (
    "The council said on Friday that it would “review the plan in full, and with care,\n"
    "before any vote” — and not before. Its chair added: “We are not in a hurry.”"
)
FOUND = [
    ("exact", "review the plan in full, and with care, before any vote"),
    ("inside a longer sentence", "the plan in full"),
    ("edge punctuation ignored", "review the plan in full."),
    ("first letter's case", "Review the plan in full"),
    ("cut marked with …", "review the plan … before any vote"),
    ("cut marked with [...]", "review the plan [...] before any vote"),
    ("editorial insertion", "[The council will] review the plan in full"),
    ("across the dash", 'before any vote" -- and not before'),
    ("Arabic-free text unaffected", "We are not in a hurry."),
]
NOT_FOUND = [
    ("a changed word", "review the plan in part"),
    ("words cut from the middle", "review the plan before any vote"),
    ("ends mid-word", "review the pla"),
    ("starts mid-word", "eview the plan"),
    ("case inside the quote", "review the Plan in full"),
    ("cuts out of order", "before any vote … review the plan"),
    ("only punctuation", "“…”"),
]


@pytest.mark.parametrize(("why", "quote"), FOUND, ids=[c[0] for c in FOUND])
def test_found(why: str, quote: str) -> None:
    assert ArchiveText(ARCHIVE).find(quote) is None, why


@pytest.mark.parametrize(("why", "quote"), NOT_FOUND, ids=[c[0] for c in NOT_FOUND])
def test_not_found(why: str, quote: str) -> None:
    assert ArchiveText(ARCHIVE).find(quote) is not None, why


def test_closest_passage_names_the_changed_word() -> None:
    mismatch = ArchiveText(ARCHIVE).find("review the plan in part, and with care")
    assert mismatch is not None
    assert mismatch.passage == "review the plan in full, and with care"
    assert [(d.quote, d.archive) for d in mismatch.differences] == [("part", "full")]
