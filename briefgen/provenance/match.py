"""Finding a quote in an archive's text and, when it is not there, the closest passage.

Matching is on normalised tokens (see normalise.py). The rules, also in docs/provenance.md:

- The quote must appear as a run of whole words: a quote that is part of a longer sentence in
  the archive is fine; a quote that stops in the middle of a word is not.
- Punctuation at the very start and end of a quote is not compared (a quote may end with a comma
  where the source's sentence goes on), and nor is the case of its first letter.
- ``...``, ``…``, ``[...]`` and bracketed editorial insertions such as ``[the PA]`` mark a cut:
  the parts around them must each appear, in this order. Words left out of the middle of a quote
  without such a mark make it fail.

The exact search is a substring search over the archive's tokens joined by spaces (fast, linear);
only on failure is the archive scanned for the closest passage: a sliding window scores every
position by the words it shares with the quote, and difflib aligns the few best.
"""

from __future__ import annotations

import difflib
import heapq
import re
from collections import Counter
from dataclasses import dataclass

from briefgen.provenance.normalise import canonical, normalise, token_spans

# On normalised text: an elision, or an editorial insertion in square brackets.
_CUT = re.compile(r"\[\s*(?:\.\s*){3}\]|\.\.\.|\[[^\]]*\]")
_CANDIDATES = 5
_MAX_SHOWN = 160
# Below this difflib ratio, a passage is not shown as 'the closest': it is barely related.
_CLOSE_ENOUGH = 0.5

Span = tuple[str, int, int]


@dataclass(frozen=True)
class Difference:
    """Words where quote and archive part ways; an empty side means the words are missing."""

    quote: str
    archive: str


@dataclass(frozen=True)
class Mismatch:
    """Why a quote was not found: the part that failed, the closest passage, the differences."""

    segment: str
    passage: str
    differences: tuple[Difference, ...]
    out_of_order: bool = False
    empty: bool = False


def segments(text: str) -> list[tuple[str, list[Span]]]:
    """The parts of a quote between cuts: (normalised text, its tokens), edge punctuation off."""
    parts = []
    for piece in _CUT.split(normalise(text)):
        spans = token_spans(piece)
        while spans and not _is_word(spans[0][0]):
            spans.pop(0)
        while spans and not _is_word(spans[-1][0]):
            spans.pop()
        if spans:
            parts.append((piece, spans))
    return parts


def _is_word(token: str) -> bool:
    return token[0].isalnum() or token[0] == "_"


def _variants(words: list[str]) -> list[list[str]]:
    """The words as written, and with the first letter's case switched."""
    first = words[0]
    switched = first[0].swapcase() + first[1:]
    return [words] if switched == first else [words, [switched, *words[1:]]]


class ArchiveText:
    """The normalised text of one archive, searchable for quotes."""

    def __init__(self, text: str) -> None:
        self.normalised = normalise(text)
        self.canon = canonical(self.normalised)
        self._spans: list[Span] | None = None
        self._text = text  # as extracted: its line breaks mark paragraphs (see paragraphs)
        self._paragraphs: list[int] | None = None

    @property
    def spans(self) -> list[Span]:
        """Tokens with offsets; computed only when a quote fails (it costs memory)."""
        if self._spans is None:
            self._spans = token_spans(self.normalised)
        return self._spans

    def _find(self, words: list[str], start: int) -> int:
        """End offset in ``canon`` of the earliest match at or after ``start``, or -1."""
        return self._find_span(words, start)[1]

    def _find_span(self, words: list[str], start: int) -> tuple[int, int]:
        """Start and end offsets in ``canon`` of the earliest match at or after ``start``."""
        spans = []
        for variant in _variants(words):
            needle = " " + " ".join(variant) + " "
            at = self.canon.find(needle, start)
            if at >= 0:
                spans.append((at, at + len(needle) - 1))
        return min(spans, default=(-1, -1))

    def occurrences(self, quote: str, limit: int = 20) -> list[tuple[int, int]]:
        """Where the quote (with its cuts) appears: token ranges ``[first, last + 1)``.

        Each starts at a different place of its first part; at most ``limit`` of them.
        """
        parts = [[t for t, _, _ in spans] for _, spans in segments(quote)]
        found: list[tuple[int, int]] = []
        position = 0
        while parts and len(found) < limit:
            start, end = self._find_span(parts[0], position)
            for words in parts[1:]:
                end = self._find(words, end) if start >= 0 else -1
            if start < 0 or end < 0:
                break
            # In ``canon`` (" t0 t1 … "), the spaces before an offset count the tokens before it.
            found.append((self.canon.count(" ", 0, start), self.canon.count(" ", 0, end)))
            position = start + 1
        return found

    @property
    def paragraphs(self) -> list[int]:
        """The index of the first token of each paragraph (see :func:`paragraph_starts`)."""
        if self._paragraphs is None:
            self._paragraphs = paragraph_starts(self._text, self.canon.count(" ") - 1)
        return self._paragraphs

    def contains(self, quote: str) -> bool:
        """True when the quote (with its cuts) appears in the archive."""
        return self.find(quote) is None

    def find(self, quote: str) -> Mismatch | None:
        """None when the quote appears in the archive; otherwise why not."""
        parts = segments(quote)
        if not parts:
            return Mismatch(normalise(quote), "", (), empty=True)
        position = 0
        for piece, spans in parts:
            words = [t for t, _, _ in spans]
            end = self._find(words, position)
            if end < 0:
                if position and self._find(words, 0) >= 0:
                    return Mismatch(piece.strip(), "", (), out_of_order=True)
                return self.closest(piece, spans)
            position = end
        return None

    def closest(self, piece: str, spans: list[Span]) -> Mismatch:
        """The archive passage most like this part of a quote, and the words that differ."""
        words = [t for t, _, _ in spans]
        archive = self.spans
        best: tuple[float, int, int] | None = None
        for start in _candidate_starts(words, [t for t, _, _ in archive]):
            low, high = _aligned_window(words, archive, start)
            window = _words(archive, low, high)
            score = difflib.SequenceMatcher(None, _same_start(words, window), window).ratio()
            if best is None or score > best[0]:
                best = (score, low, high)
        shown = _show(piece, spans, 0, len(spans))
        if best is None or best[0] < _CLOSE_ENOUGH:
            # Nothing is close: listing the differences from a poor match would only confuse.
            return Mismatch(shown, "", ())
        _, low, high = best
        window = _words(archive, low, high)
        matcher = difflib.SequenceMatcher(None, _same_start(words, window), window, False)
        differences = tuple(
            Difference(
                _show(piece, spans, i1, i2),
                _show(self.normalised, archive, low + j1, low + j2),
            )
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            if tag != "equal"
        )
        return Mismatch(shown, _show(self.normalised, archive, low, high), differences)


# A line that ends a sentence: its last mark, then any closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?\u061f\u06d4\u2026][\"'\u201d\u2019\u00bb)\]]*\s*$")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def paragraph_starts(text: str, total: int) -> list[int]:
    """The first token index of each paragraph of ``text``, which has ``total`` tokens.

    Paragraphs end at a blank line, and at a line break after a line that ends a sentence
    (``. ! ? … ؟ ۔``, then any closing quote or bracket): a text with one paragraph per line,
    as saved from a page, and hard-wrapped text (PDF, e-mail) both split where a reader would.
    Should the counts not add up, the whole text is one paragraph.
    """
    starts, count = [], 0
    for block in _BLANK_LINE.split(text):
        current: list[str] = []
        for line in block.split("\n"):
            current.append(line)
            if _SENTENCE_END.search(line):
                starts.append(count)
                count += len(token_spans(normalise("\n".join(current))))
                current = []
        if current:
            starts.append(count)
            count += len(token_spans(normalise("\n".join(current))))
    return starts if count == total else [0]


def _same_start(words: list[str], window: list[str]) -> list[str]:
    """The quote's words, its first taking the window's case if that is the only difference."""
    if words and window and words[0] != window[0] and _variants(words)[-1][0] == window[0]:
        return [window[0], *words[1:]]
    return words


def _words(spans: list[Span], low: int, high: int) -> list[str]:
    return [t for t, _, _ in spans[low:high]]


def _show(text: str, spans: list[Span], low: int, high: int) -> str:
    """The text of tokens ``low``..``high`` as written, shortened in the middle if long."""
    if low >= high:
        return ""
    shown = text[spans[low][1] : spans[high - 1][2]]
    if len(shown) > _MAX_SHOWN:
        half = _MAX_SHOWN // 2
        shown = shown[:half].rstrip() + " … " + shown[-half:].lstrip()
    return shown


def _candidate_starts(words: list[str], archive: list[str]) -> list[int]:
    """Starts of the few windows of len(words) tokens that share most words with the quote."""
    size = len(words)
    if not archive:
        return []
    wanted = Counter(words)
    have: Counter[str] = Counter()
    overlap = 0
    scores: list[tuple[int, int]] = []
    for index, token in enumerate(archive):
        if have[token] < wanted[token]:
            overlap += 1
        have[token] += 1
        if index >= size:
            old = archive[index - size]
            have[old] -= 1
            if have[old] < wanted[old]:
                overlap -= 1
        scores.append((overlap, -max(0, index - size + 1)))
    return _spread(heapq.nlargest(_CANDIDATES * 4, scores), size)


def _spread(ranked: list[tuple[int, int]], size: int) -> list[int]:
    """The best window starts, skipping ones that overlap a better window by half or more."""
    chosen: list[int] = []
    for _, negative_start in ranked:
        start = -negative_start
        if all(abs(start - other) > size // 2 for other in chosen):
            chosen.append(start)
        if len(chosen) == _CANDIDATES:
            break
    return chosen


def _aligned_window(words: list[str], archive: list[Span], start: int) -> tuple[int, int]:
    """Token range of the archive around ``start`` that best lines up with the quote."""
    size = len(words)
    low = max(0, start - size // 2)
    high = min(len(archive), start + size + size // 2)
    matcher = difflib.SequenceMatcher(None, words, _words(archive, low, high), False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return start, min(len(archive), start + size)
    first, last = blocks[0], blocks[-1]
    # Widen by the quote's unmatched words at each end, so that a changed first or last word
    # is shown as a replacement rather than as a missing word.
    lead = first.a
    trail = size - (last.a + last.size)
    return max(0, low + first.b - lead), min(len(archive), low + last.b + last.size + trail)
