"""Endnotes: one per cited source, in the order the briefing first cites them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from briefgen.model import Citation, Source
from briefgen.model.dates import EdtfDate, date_with_preposition, format_date
from briefgen.provenance.chains import chain_label
from briefgen.provenance.standing import fact_standing

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
    archived: str | None = None  # "1 March 2024": when the source's archive was captured
    archive_url: str | None = None  # a public web archive's copy (the archive's memento)
    standing: str | None = None  # "Retracted on 6 February 2023: …" (standing_notice)

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
        if self.standing:
            parts.append(self.standing)
        return ". ".join(p.rstrip(".") for p in parts) + "."

    @property
    def where(self) -> str:
        """The URL with its access date, or 'citation only'."""
        if self.url is None:
            where = "Citation only (no link available)"
        else:
            where = f"{self.url} (accessed {self.accessed})" if self.accessed else self.url
        if self.archived:
            where += f"; archived {self.archived}"
            where += f": {self.archive_url}" if self.archive_url else ""
        return where


def archived_on(source: Source) -> str | None:
    """The day the source's archive was captured ('1 March 2024'), if it says."""
    if source.archive is None or source.archive.captured is None:
        return None
    return format_date(EdtfDate.parse(source.archive.captured[:10]))


def _memento(source: Source) -> str | None:
    memento = source.archive.memento if source.archive else None
    return None if memento is None else str(memento)


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
        archived=archived_on(source),
        archive_url=_memento(source),
        standing=standing_notice(source),
    )


def standing_notice(source: Source, cited: Citation | None = None) -> str | None:
    """The reader's notice of a retracted, corrected or disputed source; None if it stands.

    On the source's endnote: 'Retracted on 6 February 2023: the quotes were misattributed.'
    Beside a ``cited`` citation: 'Source retracted on …' when it cites the source, 'Relayed
    source Voice of Palestine retracted on …' when it reaches the source through another.
    """
    standing = source.standing
    if standing is None:
        return None
    if cited is None:
        subject = standing.status.capitalize()
    elif cited.source == source.id:
        subject = f"Source {standing.status}"
    else:
        subject = f"Relayed source {source.publisher} {standing.status}"
    note = f": {standing.note}" if standing.note else ""
    return f"{subject} {date_with_preposition(standing.date)}{note}".rstrip(".") + "."


def citation_notices(citation: Citation, sources: Mapping[str, Source]) -> tuple[str, ...]:
    """The notices of the standing sources one citation rests on (see standing_notice)."""
    found = fact_standing([citation], sources).affected
    notices = (standing_notice(a.source, citation) for a in found)
    return tuple(n for n in notices if n)


def build_endnotes(
    numbers: Mapping[str, int], sources: Mapping[str, Source]
) -> tuple[EndnoteView, ...]:
    """Endnotes for the numbered sources, in number order."""
    ordered = sorted(numbers.items(), key=lambda item: item[1])
    return tuple(_endnote(n, sources[sid], sources) for sid, n in ordered if sid in sources)
