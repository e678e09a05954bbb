"""Text normalisation for quote matching: typography must not make a true quote fail.

A quote typed with straight quotes, a hyphen pair for a dash or a line break in the YAML still
matches an archive that has curly quotes, an em dash and one long line. What is compared after
normalising is the sequence of *tokens*: words (with inner apostrophes and hyphens, so "don't"
and "de-escalation" are one word each) and single punctuation marks. Tokens, not characters, so a
quote that stops in the middle of a word never matches.

Compatibility forms: Unicode NFKC is applied only to blocks whose characters are another way of
*drawing* ordinary letters, never a different text:

- Alphabetic Presentation Forms, U+FB00-U+FB4F: Latin ligatures (ﬁ, ﬂ, ﬀ...), Armenian
  ligatures, Hebrew wide letters, letters with points and the alef-lamed ligature;
- Arabic Presentation Forms-A, U+FB50-U+FDFF, and -B, U+FE70-U+FEFF: the initial, medial, final
  and isolated shapes of letters and the ligatures that PDF text extraction often yields. Some
  expand to several letters or words (ﻻ is "لا", ﷲ is "الله", ﷺ is "صلى الله عليه وسلم");
  isolated harakat become marks, removed with the others;
- Fullwidth ASCII, U+FF01-U+FF5E: "ＵＮ ２０２４" is "UN 2024", only set wider for CJK text.

Characters that the table below maps keep its mapping (the full-width hyphen-minus is a dash, the
byte-order mark is removed). Everything else that NFKC would fold is kept apart, because the
folded text says something else: superscripts and subscripts (m² is not m2, H₂O is not H2O, a
footnote ¹ is not a digit 1), fractions (½), circled and parenthesised numbers, Roman numeral
signs, ™, squared units (㎏), and letter-like symbols. Arabic-Indic digits are not NFKC-folded
and stay as written. Positions reported for the closest passage are offsets in the normalised
text, so a character that expands to several is shown as its expansion.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Arabic harakat, Quranic marks and superscript alef; Hebrew cantillation marks and niqqud
# (not the punctuation in the same block: maqaf U+05BE, paseq U+05C0, sof pasuq U+05C3).
_ARABIC_MARKS = (
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
)
_HEBREW_MARKS = "\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
_TATWEEL = "\u0640"
_DIACRITICS = re.compile(f"[{_ARABIC_MARKS}{_HEBREW_MARKS}{_TATWEEL}]")

# Characters that are the same mark for a reader. Dashes (not hyphens) become a spaced " - " so
# that "retain – and", "retain—and" and "retain -- and" all read the same.
_DASH = " - "
_TABLE: dict[int, str | None] = {
    **dict.fromkeys(map(ord, "“”„‟«»〝〞＂″״"), '"'),
    **dict.fromkeys(map(ord, "‘’‚‛ʼʻ′´`‹›׳"), "'"),
    **dict.fromkeys(map(ord, "\u2010\u2011"), "-"),
    **dict.fromkeys(map(ord, "\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), _DASH),
    **dict.fromkeys(map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006"), " "),
    **dict.fromkeys(map(ord, "\u2007\u2008\u2009\u200a\u202f\u205f\u3000\u2028\u2029"), " "),
    # Invisible: soft hyphen, zero-width space, byte-order mark, word joiner.
    **dict.fromkeys(map(ord, "\u00ad\u200b\ufeff\u2060"), None),
    ord("…"): "...",
}
# Presentation forms and full-width ASCII: NFKC-folded (see the module docstring).
_COMPATIBLE = re.compile("[\ufb00-\ufb4f\ufb50-\ufdff\ufe70-\ufeff\uff01-\uff5e]")
_DOUBLE_HYPHEN = re.compile(r"-{2,}")
_SPACE = re.compile(r"\s+")

# A word: letters, digits and combining marks, with inner apostrophes or hyphens; or one mark.
_WORD_CHAR = rf"[\w\u0300-\u036f{_ARABIC_MARKS}{_HEBREW_MARKS}]"
TOKEN = re.compile(rf"{_WORD_CHAR}+(?:['\-]{_WORD_CHAR}+)*|[^\w\s]")


def normalise(text: str, *, strip_diacritics: bool = True) -> str:
    """Text in a canonical form: NFC, plain quote marks and dashes, single spaces.

    Presentation forms (Arabic, Hebrew, ligatures) and full-width ASCII are the letters they
    show (NFKC); other compatibility characters, such as superscript digits, are kept.

    With ``strip_diacritics`` (the default), Arabic harakat and tatweel and Hebrew niqqud and
    cantillation marks are removed, since archives and quotes differ in how fully they are
    pointed. Latin accents are kept: NFC makes composed and decomposed forms equal.
    """
    text = unicodedata.normalize("NFC", _COMPATIBLE.sub(_fold, text)).translate(_TABLE)
    if strip_diacritics:
        text = _DIACRITICS.sub("", text)
    text = _DOUBLE_HYPHEN.sub(_DASH, text)
    return _SPACE.sub(" ", text).strip()


def _fold(match: re.Match[str]) -> str:
    return _folded(match.group())


@functools.cache
def _folded(char: str) -> str:
    """The NFKC form of one presentation-form character, unless the table maps it."""
    return char if ord(char) in _TABLE else unicodedata.normalize("NFKC", char)


def tokens(normalised: str) -> list[str]:
    """The words and punctuation marks of normalised text, in order."""
    return TOKEN.findall(normalised)


def token_spans(normalised: str) -> list[tuple[str, int, int]]:
    """Tokens with their start and end offsets, to show passages as they are written."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(normalised)]


def canonical(normalised: str) -> str:
    """Tokens joined by single spaces, framed by spaces: whole-token search with ``in``."""
    return " " + " ".join(TOKEN.findall(normalised)) + " "
