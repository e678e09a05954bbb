"""Endnotes: one per cited source, in the order the briefing first cites them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from briefgen.model import Source
from briefgen.model.dates import format_date
from briefgen.provenance.chains import chain_label

SOURCE_TYPE_LABELS = {
    "social-post": "social media post",
    "press-release": "press release",
}


@dataclass(frozen=True)
class EndnoteView:
    """One endnote: a source as cited, with the chain of who reports whom."""

    number: int
    source_id: str
    label: str  # "The Jerusalem Post, citing Voice of Palestine"
    title: str
    type: str
    authors: tuple[str, ...]
    published: str
    url: str | None
    accessed: str | None
    citation_only: bool
    reliability: str | None
    language: str
    note: str | None

    @property
    def text(self) -> str:
        """The whole endnote as one line of plain text."""
        parts = [self.label, f"“{self.title}” ({self.type})"]
        if self.authors:
            parts.append(", ".join(self.authors))
        parts.append(self.published)
        parts.append(self.where)
        if self.reliability:
            parts.append(f"Source reliability {self.reliability}")
        return ". ".join(p.rstrip(".") for p in parts) + "."

    @property
    def where(self) -> str:
        """The URL with its access date, or 'citation only'."""
        if self.url is None:
            return "Citation only (no link available)"
        return f"{self.url} (accessed {self.accessed})" if self.accessed else self.url


def via_label(via: str | None, sources: Mapping[str, Source]) -> str | None:
    """The publisher a citation says the fact was relayed from."""
    if via is None:
        return None
    return sources[via].publisher if via in sources else via


def _endnote(number: int, source: Source, sources: Mapping[str, Source]) -> EndnoteView:
    return EndnoteView(
        number=number,
        source_id=source.id,
        label=chain_label(source, sources),
        title=source.title,
        type=SOURCE_TYPE_LABELS.get(source.type, source.type),
        authors=tuple(source.authors),
        published=format_date(source.published),
        url=None if source.url is None else str(source.url),
        accessed=None if source.accessed is None else format_date(source.accessed),
        citation_only=source.citation_only or source.url is None,
        reliability=source.reliability,
        language=source.language,
        note=source.note,
    )


def build_endnotes(
    numbers: Mapping[str, int], sources: Mapping[str, Source]
) -> tuple[EndnoteView, ...]:
    """Endnotes for the numbered sources, in number order."""
    ordered = sorted(numbers.items(), key=lambda item: item[1])
    return tuple(_endnote(n, sources[sid], sources) for sid, n in ordered if sid in sources)
