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
    # Presentation forms, as PDF text extraction yields them, are the letters they show.
    ("Arabic presentation forms-B", "ﻣﺤﻤﻮﺩ", "محمود"),
    ("Arabic presentation forms-A", "ﭘﮋﻭﻫﺶ", "پژوهش"),
    ("Arabic ligature lam-alef (one to two)", "ﻻ ﻧﻘﺒﻞ", "لا نقبل"),
    ("Arabic ligature allah (one to four)", "ﻋﺒﺪ ﷲ", "عبد الله"),
    ("Arabic ligature salla (one to four words)", "ﷺ", "صلى الله عليه وسلم"),
    ("Arabic isolated haraka (form B) is a mark", "ﻣﺤﻤﺪ ﹰ", "محمد"),
    ("Hebrew presentation forms", "ﬠﬡﬢ", "עאד"),
    ("Hebrew ligature alef-lamed, shin with dagesh", "\ufb4f \ufb2c", "אל ש"),
    ("Armenian ligature", "\ufb13", "մն"),
    ("Latin ligatures", "ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ", "ff fi fl ffi ffl st st"),
    ("full-width Latin and digits", "ＵＮ　２０２４", "UN 2024"),
    ("full-width hyphen-minus stays a dash", "a\uff0db", "a - b"),
]


@pytest.mark.parametrize(("why", "written", "expected"), SAME, ids=[c[0] for c in SAME])
def test_normalise(why: str, written: str, expected: str) -> None:
    assert normalise(written) == normalise(expected), why


def test_diacritics_can_be_kept() -> None:
    assert normalise("مُحَمَّد", strip_diacritics=False) != normalise("محمد")


DIFFERENT = [
    # What NFKC would fold but a reader does not: these are not the same text.
    ("superscript digit", "m²", "m2"),
    ("subscript digit", "H₂O", "H2O"),
    ("superscript letter", "1ˢᵗ", "1st"),
    ("vulgar fraction", "½", "1⁄2"),
    ("circled digit", "①", "1"),
    ("Roman numeral", "Ⅻ", "XII"),
    ("trade mark sign", "Name™", "NameTM"),
    ("square unit", "㎏", "kg"),
    ("Arabic-Indic digits are not Western digits", "٢٠٢٤", "2024"),
    ("final and plain Hebrew letters differ", "ם", "מ"),
]


@pytest.mark.parametrize(("why", "one", "other"), DIFFERENT, ids=[c[0] for c in DIFFERENT])
def test_not_folded(why: str, one: str, other: str) -> None:
    assert normalise(one) != normalise(other), why


def test_presentation_forms_keep_their_points_when_asked() -> None:
    # A Hebrew letter with dagesh decomposes to letter and point; the point is a diacritic.
    assert normalise("\ufb35", strip_diacritics=False) == "\u05d5\u05bc"
    assert normalise("\ufb35") == "\u05d5"


def test_ordinary_text_unchanged() -> None:
    text = "The cut, 20 per cent (m² of land), ½ of it - said ١٢ officials: «done»."
    assert (
        normalise(text) == 'The cut, 20 per cent (m² of land), ½ of it - said ١٢ officials: "done".'
    )


PRESENTATION_ARCHIVE = "ﻭﻗﺎﻝ ﻣﺤﻤﻮﺩ ﻋﺒﺪ ﷲ: ﻻ ﻧﻘﺒﻞ ﺍﻟﺤﺼﺔ ﺍﻟﺠﺪﻳﺪﺓ، ﻭﷲ ﻟﻦ ﻧﺘﺮﺍﺟﻊ ﻋﻨﻬﺎ."


def test_quote_in_plain_letters_found_in_presentation_forms() -> None:
    archive = ArchiveText(PRESENTATION_ARCHIVE)
    assert archive.find("لا نقبل الحصة الجديدة، والله لن نتراجع عنها.") is None
    assert archive.find("محمود عبد الله") is None
    # Whole words still: the ligature ﻻ is the word لا, not part of another.
    assert archive.find("ﻻ نقبل") is None
    assert archive.find("قال محمود") is not None


def test_closest_passage_after_expanding_ligatures() -> None:
    # ﷲ and ﻻ expand to several letters: the passage shown must still line up with the words.
    mismatch = ArchiveText(PRESENTATION_ARCHIVE).find("لا نقبل الحصة القديمة، والله لن نتراجع")
    assert mismatch is not None
    assert mismatch.passage == "لا نقبل الحصة الجديدة، والله لن نتراجع"
    assert [(d.quote, d.archive) for d in mismatch.differences] == [("القديمة", "الجديدة")]


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
