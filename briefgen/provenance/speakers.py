"""Who said it: a verified direct quote's speaker should be named near it in the archive.

The rule (also in docs/provenance.md): where the quote is found, the speaker's name, one of
their aliases or other names, or (for a person) their surname alone must appear in the
paragraph the quote is in or in the paragraph before it (:func:`ArchiveText.paragraphs`).
Names are compared as words after the quote matcher's normalisation (:mod:`normalise`),
ignoring case, punctuation (``Barbara A. Leaf`` is ``Barbara A Leaf``) and an Arabic article
written with a hyphen (``al-Salhi`` is ``Salhi``). In Arabic script, the name's first word may
carry a one- or two-letter proclitic (``و``, ``ف``, ``ب``, ``ل``, ``ك``: ``وعباس``). A quote
attributed to an unnamed speaker (``attribution``) is not checked: the attribution describes
someone the source does not name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from briefgen.model import Actor
from briefgen.provenance.match import ArchiveText
from briefgen.provenance.normalise import normalise, tokens

# Words that belong to the surname that follows them: 'Abu Yusef', 'bin Salman', 'van Dijk'.
_PARTICLES = frozenset(
    {"abu", "abou", "bin", "ben", "ibn", "bint", "ould", "van", "von", "de", "da", "di", "du"}
    | {"del", "della", "der", "den", "le", "la", "ter", "أبو", "ابو", "بن", "ابن", "بنت"}
)
# The Arabic article, as transliterations hyphenate it (and assimilate it to sun letters).
_ARTICLE = re.compile(r"^(?:al|el|ad|adh|ar|as|ash|at|ath|az|an)-(?=\w)")
_PROCLITICS = frozenset(["و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل"])
_ARABIC = re.compile("[\u0600-\u06ff]")


def _key(word: str) -> str:
    """A word as names are compared: case folded, without a hyphenated Arabic article."""
    return _ARTICLE.sub("", word.casefold())


def _words(text: str) -> tuple[str, ...]:
    """The words of a text (no punctuation), as compared."""
    return tuple(_key(t) for t in tokens(normalise(text)) if t[0].isalnum() or t[0] == "_")


def names_of(actor: Actor) -> list[str]:
    """The names the actor may be called by in a source, as written: name, aliases, other
    names, and for a person each one's surname (last word, with particles such as 'Abu')."""
    full = [actor.name, *actor.aliases, *(o.name for o in actor.other_names)]
    names = list(dict.fromkeys(full))
    if actor.kind == "person":
        names += [s for s in (_surname(n) for n in full) if s and s not in names]
    return list(dict.fromkeys(names))


def _surname(name: str) -> str | None:
    words = name.split()
    if len(words) < 2:
        return None
    start = len(words) - 1
    while start > 0 and words[start - 1].casefold() in _PARTICLES:
        start -= 1
    return " ".join(words[start:]) if start else None  # 'Abu Mazen' is a name, not a surname


def _same(archive: str, name: str, first: bool) -> bool:
    if archive == name:
        return True
    # An Arabic proclitic is written on the word it precedes: 'و' + 'عباس'.
    prefix = archive[: len(archive) - len(name)]
    return first and bool(_ARABIC.match(name)) and archive.endswith(name) and prefix in _PROCLITICS


def _named_in(window: tuple[str, ...], name: tuple[str, ...]) -> bool:
    size = len(name)
    return any(
        all(_same(window[i + j], name[j], j == 0) for j in range(size))
        for i in range(len(window) - size + 1)
    )


def named_near(text: ArchiveText, quote: str, names: Iterable[str]) -> bool:
    """True when one of ``names`` is near some place where ``quote`` is in ``text``.

    Near: in the paragraphs the quote spans, or in the paragraph before them. True too when
    the quote is not in the text (nothing to check).
    """
    places = text.occurrences(quote)
    if not places:
        return True
    wanted = [w for w in (_words(n) for n in names) if w]
    all_tokens = text.canon[1:-1].split(" ")
    starts = sorted(set(text.paragraphs))
    for first, end in places:
        paragraph = max(i for i, s in enumerate(starts) if s <= first)
        low = starts[max(0, paragraph - 1)]
        following = [s for s in starts if s >= end]
        high = following[0] if following else len(all_tokens)
        window = tuple(_key(t) for t in all_tokens[low:high] if t[0].isalnum() or t[0] == "_")
        if any(_named_in(window, name) for name in wanted):
            return True
    return False
