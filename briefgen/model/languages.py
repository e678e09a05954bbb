"""Writing direction of languages and of text, for validation and every renderer alike.

A BCP 47 tag says its direction by its script subtag (``ar-Latn`` is left to right) or, without
one, by its language (``ar``, ``he``, ``fa`` ... are right to left). Text without a tag says it
by its first strong character, as the Unicode bidirectional algorithm and HTML's ``dir="auto"``
do.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

Direction = Literal["rtl", "ltr"]

# Languages written right to left by default, and right-to-left scripts (ISO 15924, lower case).
RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ji", "ks", "ps", "sd", "syr", "ug", "ur", "yi"}
)
RTL_SCRIPTS = frozenset({"adlm", "arab", "hebr", "mand", "nkoo", "rohg", "samr", "syrc", "thaa"})
_RTL_CLASSES = frozenset({"R", "AL"})


def primary_language(tag: str) -> str:
    """The language subtag of ``tag``, in lower case: 'ar' for 'ar-Latn' or 'AR'."""
    return tag.split("-", 1)[0].lower()


def script_direction(tag: str) -> Direction:
    """'rtl' for right-to-left languages or scripts (ar, he, ar-Arab), else 'ltr'."""
    subtags = [part.lower() for part in tag.split("-")]
    if any(part in RTL_SCRIPTS for part in subtags[1:]):
        return "rtl"
    if any(len(part) == 4 and part.isalpha() for part in subtags[1:]):
        return "ltr"  # an explicit script that is not right to left, e.g. ar-Latn
    return "rtl" if subtags[0] in RTL_LANGUAGES else "ltr"


def text_direction(text: str) -> Direction | None:
    """The direction of ``text`` from its first strong character; None when it has none."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _RTL_CLASSES:
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


def has_rtl(text: str) -> bool:
    """True when ``text`` has a right-to-left letter anywhere (Hebrew, Arabic, ...)."""
    return any(unicodedata.bidirectional(char) in _RTL_CLASSES for char in text)
