"""The reader layout's view: what a decision-maker's note prints beyond the briefing view.

:func:`build_reader_view` arranges a :class:`~briefgen.render.view.BriefingView` for the reader
layout: the bottom line that leads, the assessments as numbered key judgements, the source
summary statement (ICD 206: how many sources, how many independent origins, how many quotes
verified) and the sections its contents lists. Every number comes from the briefing view
(endnotes, independent origins as :mod:`briefgen.provenance.chains` traced them, each quote's
status as validation recorded it in ``Project.quote_status``); nothing is counted again from
the content. What the reader layout leaves out (dating notes, locators, source notes, media)
its templates simply do not print.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.render.layouts import READER
from briefgen.render.view import AssessmentView, BriefingView, CiteRef, Rich
from briefgen.render.words import likelihood_range

# The reader's PDF keeps its printed contents list, with page numbers, when the note laid out
# WITH that list runs over this many pages (see keeps_contents).
CONTENTS_OVER_PAGES = 4


@dataclass(frozen=True)
class KeyJudgement:
    """An assessment as a numbered key judgement: likelihood and confidence kept apart."""

    number: int
    text: Rich
    likelihood: str  # the ICD 203 term as written: 'likely'
    likelihood_band: str  # '55–80%'
    confidence: str  # 'low', 'moderate', 'high'
    basis: Rich | None
    citations: tuple[CiteRef, ...]


@dataclass(frozen=True)
class SourceStatement:
    """The source summary statement: sources, independent origins, quotes verified."""

    sources: int
    origins: tuple[str, ...]  # publishers of the independent origins, in endnote order
    origins_sentence: str  # the briefing view's own sentence about them
    quotes: int
    verified: int

    @property
    def independent(self) -> int:
        """How many independent origins the sources go back to."""
        return len(self.origins)

    @property
    def quotes_sentence(self) -> str:
        """What was done to check the direct quotes, in one sentence."""
        checked = "checked word for word against an archived copy of their source's text"
        if not self.quotes:
            return "The note quotes no one directly."
        if self.verified == self.quotes:
            if self.quotes == 1:
                return "Its one direct quote was " + checked.replace("their", "its") + "."
            return f"All {self.quotes} of its direct quotes were {checked}."
        if self.verified == 0:
            what = (
                "Its one direct quote could not"
                if self.quotes == 1
                else f"None of its {self.quotes} direct quotes could"
            )
            sentence = f"{what} yet be {checked}; their wording is marked unverified."
            return sentence.replace("their", "its") if self.quotes == 1 else sentence
        left = self.quotes - self.verified
        return (
            f"{self.verified} of its {self.quotes} direct quotes were {checked}; the other "
            f"{left} could not yet be and {'is' if left == 1 else 'are'} marked unverified."
        )


@dataclass(frozen=True)
class Section:
    """A section of the reader's note, as its contents lists it."""

    id: str
    heading: str


@dataclass(frozen=True)
class ReaderView:
    """What the reader templates print besides ``view``."""

    lead: Rich  # the bottom line: the briefing's bottom_line, else its summary
    summary: Rich | None  # the summary as the narrative's opening, when a bottom line leads
    key_judgements: tuple[KeyJudgement, ...]
    source_statement: SourceStatement
    sections: tuple[Section, ...]

    @property
    def headings(self) -> dict[str, str]:
        """Each section's heading by id, so the contents and the headings agree."""
        return {s.id: s.heading for s in self.sections}


def _key_judgement(number: int, a: AssessmentView) -> KeyJudgement:
    band = likelihood_range(a.likelihood)
    return KeyJudgement(number, a.text, a.likelihood, band, a.confidence, a.basis, a.citations)


def _source_statement(view: BriefingView) -> SourceStatement:
    quotes = [s for s in view.statements if s.is_quote]
    summary = view.source_summary
    return SourceStatement(
        sources=summary.cited,
        origins=summary.origins,
        origins_sentence=summary.sentence,
        quotes=len(quotes),
        verified=sum(1 for s in quotes if s.verified),
    )


def _sections(view: BriefingView, summary: Rich | None) -> tuple[Section, ...]:
    """The narrative's sections in reading order, those with nothing to print left out.

    What stands before the contents (bottom line, a note for decision's recommendations, the
    key judgements) is not listed: a reader sees it first.
    """
    wanted = (
        ("summary", "Summary", summary is not None),
        ("key-points", "Key points", bool(view.key_points)),
        ("background", "Background", view.background is not None),
        ("timeline", "Timeline", bool(view.events)),
        ("decisions", "Decisions", bool(view.decisions)),
        ("statements", "What was said", bool(view.statements)),
        ("basis", "Basis of the judgements", any(a.basis for a in view.assessments)),
        ("outlook", "Outlook", view.outlook is not None),
        ("information-gaps", "Information gaps", bool(view.information_gaps)),
        ("contact", "Contact and distribution", _has_contact(view)),
        ("sources", "Sources", True),
    )
    return tuple(Section(i, heading) for i, heading, shown in wanted if shown)


def _has_contact(view: BriefingView) -> bool:
    return view.point_of_contact is not None or bool(view.distribution)


def build_reader_view(view: BriefingView) -> ReaderView:
    """The reader layout's arrangement of a briefing view."""
    lead = view.bottom_line or view.summary
    summary = view.summary if view.bottom_line is not None else None
    judgements = tuple(_key_judgement(n, a) for n, a in enumerate(view.assessments, 1))
    return ReaderView(
        lead=lead,
        summary=summary,
        key_judgements=judgements,
        source_statement=_source_statement(view),
        sections=_sections(view, summary),
    )


def may_print_contents(layout: str) -> bool:
    """True for a layout whose PDF prints a contents list when the note is long (the reader's).

    Its PDF is laid out with the list first; :func:`keeps_contents` then decides.
    """
    return layout == READER


def keeps_contents(pages: int) -> bool:
    """True when a reader note laid out WITH its printed contents in ``pages`` pages keeps them.

    It keeps them when that is over :data:`CONTENTS_OVER_PAGES` pages. Counted with the list,
    not without it: a long note (the common case) is then laid out once, and only a short one
    is laid out again, without the list. A note that only the list itself pushes over the
    limit keeps it.
    """
    return pages > CONTENTS_OVER_PAGES
