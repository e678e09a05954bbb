"""The view of one briefing: every value a template prints, resolved and formatted.

:func:`build_view` turns a validated :class:`~briefgen.model.Project` and a briefing id into a
:class:`BriefingView` of plain frozen dataclasses. Templates only print; they never look up
actors, compute titles, number endnotes or format dates. The same view feeds the HTML, PDF and
Markdown editions (and the static site), so all three agree on every number and title.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from markupsafe import Markup

from briefgen import __version__
from briefgen.model import Actor, Citation, Project
from briefgen.model.briefings import Decision, Event, PointOfContact, Statement
from briefgen.model.common import INLINE_CITATION, Tlp
from briefgen.model.dates import EdtfDate, date_with_preposition, format_date
from briefgen.model.editions import portion_marking, uses_portion_markings
from briefgen.model.languages import script_direction, text_direction
from briefgen.provenance.chains import origins, relayed_by, withdrawn
from briefgen.render import narrative
from briefgen.render.changes import ChangesView, HistoryRow, changes_box, history_rows
from briefgen.render.narrative import CitationNumbers
from briefgen.render.sources import EndnoteView, build_endnotes, citation_notices, via_label
from briefgen.render.words import (
    STATUS_LABELS,
    confidence_sentence,
    language_name,
    likelihood_sentence,
    purpose_label,
)


@dataclass(frozen=True)
class Rich:
    """A Markdown field rendered both ways. ``{{ rich }}`` in an HTML template prints the HTML."""

    html: Markup
    markdown: str

    def __html__(self) -> str:
        return str(self.html)

    def __str__(self) -> str:
        return self.markdown


@dataclass(frozen=True)
class CiteRef:
    """One citation of a fact: the endnote number, and where in the source, if given."""

    number: int
    source_id: str
    locator: str | None = None
    excerpt: str | None = None
    via: str | None = None  # publisher of the relayed source, e.g. "Voice of Palestine"
    # Retraction, correction or dispute notices of the sources it rests on (standing_notice).
    notices: tuple[str, ...] = ()

    @property
    def has_details(self) -> bool:
        """True when there is more to show than the number."""
        return bool(self.locator or self.excerpt or self.via or self.notices)


@dataclass(frozen=True)
class OtherNameView:
    """A name in another script, with what the page needs to lay it out."""

    name: str
    lang: str
    dir: str  # "rtl" or "ltr"


def other_name_views(actor: Actor) -> tuple[OtherNameView, ...]:
    """The actor's names in other scripts, each with its language and writing direction."""
    return tuple(OtherNameView(o.name, o.lang, script_direction(o.lang)) for o in actor.other_names)


@dataclass(frozen=True)
class DateView:
    """A date as a page prints it: in words, and as an HTML ``datetime`` value if it has one."""

    text: str  # 'c. 26 January 2023', '26–28 January 2023', 'March 2024'
    datetime: str | None  # '2023-01-26', '2024-03'; None when the date has no such value


def html_datetime(value: EdtfDate) -> str | None:
    """The value of an HTML ``datetime`` attribute for ``value``, or None.

    Only a plain year, month or day is a valid ``datetime``: an interval, or a date marked
    approximate or uncertain, has none (printing one would claim a precision it lacks).
    """
    if value.end is not None or value.start.qualified:
        return None
    return value.iso()


def date_view(value: EdtfDate) -> DateView:
    """``value`` in words, at its own precision, with its HTML ``datetime`` value."""
    return DateView(format_date(value), html_datetime(value))


@dataclass(frozen=True)
class ActorView:
    """An actor as named in one place of the briefing, with the titles held on that date."""

    id: str
    name: str
    kind: str
    titles: tuple[str, ...] = ()
    other_names: tuple[OtherNameView, ...] = ()

    @property
    def label(self) -> str:
        """'Name, Title' (or just the name when no title was certainly held then)."""
        return ", ".join((self.name, *self.titles))


@dataclass(frozen=True)
class KeyPointView:
    """A key point."""

    text: Rich
    citations: tuple[CiteRef, ...]
    marking: str = ""  # the portion's TLP label, own or the briefing's (issue 14)


@dataclass(frozen=True)
class EventView:
    """A row of the timeline."""

    id: str
    date: str
    date_iso: str
    date_basis: str | None
    title: str
    text: Rich | None
    location: str | None
    actors: tuple[ActorView, ...]
    citations: tuple[CiteRef, ...]
    marking: str = ""  # the portion's TLP label, own or the briefing's


@dataclass(frozen=True)
class DecisionView:
    """A decision, where it stands, and since when that is known."""

    id: str
    actor: ActorView
    date: str
    date_phrase: str  # the date with its preposition: 'on 4 February 2024', 'in February 2024'
    text: Rich
    status: str
    status_label: str
    status_as_of: str
    reacts_to: str | None  # title of the event it responds to
    citations: tuple[CiteRef, ...]
    marking: str = ""  # the portion's TLP label, own or the briefing's


@dataclass(frozen=True)
class StatementView:
    """A quote (verbatim, in quotation marks) or a paraphrase (never in quotation marks)."""

    id: str
    is_quote: bool
    text: str
    speaker: ActorView | None
    attribution: str | None
    date: str
    medium: str
    translated_from: str | None  # language name, e.g. "Arabic"
    verified: bool  # only meaningful for quotes
    reacts_to: str | None
    citations: tuple[CiteRef, ...]
    # The words' own lang and dir attributes, or None where they are the briefing's: lang is
    # the statement's quote_language; dir follows it, else the text's first strong letter.
    lang: str | None = None
    dir: str | None = None
    marking: str = ""  # the portion's TLP label, own or the briefing's


@dataclass(frozen=True)
class AssessmentView:
    """A judgement, its likelihood and its confidence, each said in its own sentence."""

    text: Rich
    likelihood: str
    likelihood_sentence: str
    confidence: str
    confidence_sentence: str
    basis: Rich | None
    citations: tuple[CiteRef, ...]
    marking: str = ""  # the portion's TLP label, own or the briefing's


@dataclass(frozen=True)
class SourceSummary:
    """How many sources the briefing cites, and on how many independent origins it rests."""

    cited: int
    origins: tuple[str, ...]  # publishers of the independent origins, in endnote order

    @property
    def independent(self) -> int:
        """How many independent origins the cited sources go back to."""
        return len(self.origins)

    @property
    def sentence(self) -> str:
        """One sentence for the reader."""
        if not self.cited:
            return "This note cites no sources."
        noun = "source" if self.cited == 1 else "sources"
        if not self.origins:  # never an empty list in prose
            return f"This note cites {self.cited} {noun}."
        origin = "origin" if self.independent == 1 else "origins"
        names = ", ".join(self.origins)
        return (
            f"This note cites {self.cited} {noun}; traced through who reports whom, they go "
            f"back to {self.independent} independent {origin} ({names})."
        )


@dataclass(frozen=True)
class BriefingView:
    """Everything the briefing templates print, in layout order."""

    id: str
    title: str
    marking: str
    marking_class: str  # "clear", "green", "amber", "amber-strict", "red"
    marking_colour: str
    purpose: str
    purpose_label: str
    cutoff: str
    issued: str
    issued_iso: str
    issued_w3c: str  # first day it may mean, as YYYY[-MM[-DD]], for metadata and <time>
    version: str
    authors: tuple[str, ...]
    organisation: str
    series: str
    lang: str
    page_size: str
    summary: Rich
    key_points: tuple[KeyPointView, ...]
    background: Rich | None
    events: tuple[EventView, ...]
    decisions: tuple[DecisionView, ...]
    statements: tuple[StatementView, ...]
    assessments: tuple[AssessmentView, ...]
    outlook: Rich | None
    information_gaps: tuple[Rich, ...]
    recommendations: tuple[Rich, ...]
    endnotes: tuple[EndnoteView, ...]
    source_summary: SourceSummary
    generator: str = f"briefgen {__version__}"
    # Issue 14: document control, printed by both layouts (the reader's title block and end).
    reference: str | None = None
    bottom_line: Rich | None = None
    point_of_contact: PointOfContact | None = None
    distribution: tuple[str, ...] = ()
    # Issue 15: filled from the git history (briefgen.history.with_history); none without it.
    changes: ChangesView | None = None
    history: tuple[HistoryRow, ...] = ()
    # Portion markings and editions (issue 14): the marking of each item of information_gaps
    # and recommendations, and the label of the edition this view shows (None: the full note).
    information_gap_markings: tuple[str, ...] = ()
    recommendation_markings: tuple[str, ...] = ()
    edition: str | None = None
    portion_marks: bool = False  # the note uses portion markings: the analyst layout shows them

    @property
    def has_unverified_quotes(self) -> bool:
        """True when a quote could not be checked against its source (the legend is shown)."""
        return any(s.is_quote and not s.verified for s in self.statements)

    @property
    def for_decision(self) -> bool:
        """True for briefings that end with recommendations."""
        return self.purpose == "decision"


class _Builder:
    """Walks a briefing in layout order, so endnotes are numbered by first use."""

    def __init__(self, project: Project, briefing_id: str) -> None:
        self.project = project
        self.briefing_id = briefing_id
        self.briefing = project.briefings[briefing_id]
        self.numbers = CitationNumbers()
        self.all_citations: list[Citation] = []

    def rich(self, text: str, *, inline: bool = False) -> Rich:
        self.numbers.cite_inline(text, self.project.sources.__contains__)
        for source_id in INLINE_CITATION.findall(text):
            if source_id in self.project.sources:
                self.all_citations.append(Citation(source=source_id))
        return Rich(
            narrative.to_html(text, self.numbers, inline=inline),
            narrative.to_markdown(text, self.numbers),
        )

    def mark(self, marking: Tlp | None) -> str:
        """A portion's marking as printed: its own, or the briefing's."""
        return portion_marking(marking, self.briefing).value

    def maybe_rich(self, text: str | None) -> Rich | None:
        return None if text is None else self.rich(text)

    def cites(self, citations: list[Citation]) -> tuple[CiteRef, ...]:
        self.all_citations.extend(citations)
        sources = self.project.sources
        return tuple(
            CiteRef(
                self.numbers.cite(c.source),
                c.source,
                c.locator,
                c.excerpt,
                via_label(c.via, sources),
                citation_notices(c, sources),
            )
            for c in citations
        )

    def actor(self, actor_id: str, on: EdtfDate | None, role: str | None = None) -> ActorView:
        from briefgen.model.roles import titles_on

        actor = self.project.actors[actor_id]
        titles = tuple(titles_on(actor, on, self.project.actors, role)) if on else ()
        if role and not titles:
            titles = (role,)  # as the author wrote it; validation has already judged it
        return ActorView(actor.id, actor.name, actor.kind, titles, other_name_views(actor))


Fact = TypeVar("Fact", bound=Event | Decision | Statement)


def chronological(facts: Iterable[Fact]) -> list[Fact]:
    """Dated facts of one briefing in the order the briefing tells them.

    By date; on one date, a fact that reacts to another (``reacts_to``) comes after it, and
    otherwise facts keep the order they are written in. The briefing's timeline and the site's
    timeline both use this one order.
    """
    written = list(facts)
    ordered: list[Fact] = []
    by_date = sorted(enumerate(written), key=lambda pair: (pair[1].date.sort_key(), pair[0]))
    start = 0
    while start < len(by_date):
        day = by_date[start][1].date.sort_key()
        end = start
        while end < len(by_date) and by_date[end][1].date.sort_key() == day:
            end += 1
        ordered += _reactions_after(fact for _, fact in by_date[start:end])
        start = end
    return ordered


def _reactions_after(facts: Iterable[Fact]) -> list[Fact]:
    """``facts`` (all of one date) in written order, each reaction moved after its event."""
    group = list(facts)
    events = {fact.id for fact in group if isinstance(fact, Event)}
    waiting: dict[str, list[Fact]] = {}
    placed: list[Fact] = []
    done: set[str] = set()

    def place(fact: Fact) -> None:
        placed.append(fact)
        if isinstance(fact, Event):
            done.add(fact.id)
            for reaction in waiting.pop(fact.id, []):
                place(reaction)

    for fact in group:
        target = None if isinstance(fact, Event) else fact.reacts_to
        if target is not None and target in events and target not in done:
            waiting.setdefault(target, []).append(fact)
        else:
            place(fact)
    return placed


def _key_points(b: _Builder) -> tuple[KeyPointView, ...]:
    return tuple(
        KeyPointView(b.rich(k.text, inline=True), b.cites(k.sources), b.mark(k.marking))
        for k in b.briefing.key_points
    )


def _events(b: _Builder) -> tuple[EventView, ...]:
    ordered = chronological(b.briefing.events)
    return tuple(
        EventView(
            id=e.id,
            date=format_date(e.date),
            date_iso=e.date.iso(),
            date_basis=e.date_basis,
            title=e.title,
            text=None if e.text is None else b.rich(e.text),
            location=e.location,
            actors=tuple(b.actor(a, e.date) for a in e.actors if a in b.project.actors),
            citations=b.cites(e.sources),
            marking=b.mark(e.marking),
        )
        for e in ordered
    )


def _event_title(b: _Builder, event_id: str | None) -> str | None:
    titles = {e.id: e.title for e in b.briefing.events}
    return titles.get(event_id) if event_id else None


def _decisions(b: _Builder) -> tuple[DecisionView, ...]:
    return tuple(
        DecisionView(
            id=d.id,
            actor=b.actor(d.actor, d.date),
            date=format_date(d.date),
            date_phrase=date_with_preposition(d.date),
            text=b.rich(d.text),
            status=d.status,
            status_label=STATUS_LABELS[d.status],
            status_as_of=format_date(d.status_as_of),
            reacts_to=_event_title(b, d.reacts_to),
            citations=b.cites(d.sources),
            marking=b.mark(d.marking),
        )
        for d in b.briefing.decisions
    )


def words_language(statement: Statement, document_lang: str) -> tuple[str | None, str | None]:
    """The ``lang`` and ``dir`` attributes of a statement's words; None where not needed.

    With a ``quote_language``, its tag and its direction. Without one the words are taken to be
    in the briefing's language, and only their direction is said: the direction of their first
    strong letter, where it differs from the briefing's (an Arabic quote in an English note).
    """
    if statement.quote_language:
        return statement.quote_language, script_direction(statement.quote_language)
    direction = text_direction(statement.text)
    return None, direction if direction and direction != script_direction(document_lang) else None


def _statements(b: _Builder) -> tuple[StatementView, ...]:
    return tuple(_statement(b, s) for s in b.briefing.statements)


def _statement(b: _Builder, s: Statement) -> StatementView:
    lang, direction = words_language(s, b.project.settings.language)
    return StatementView(
        id=s.id,
        is_quote=s.kind == "quote",
        text=s.text.strip(),
        speaker=b.actor(s.speaker, s.date, s.role) if s.speaker else None,
        attribution=s.attribution,
        date=format_date(s.date),
        medium=s.medium,
        translated_from=language_name(s.original_language) if s.original_language else None,
        verified=b.project.quote_status.get((b.briefing_id, s.id)) == "verified",
        reacts_to=_event_title(b, s.reacts_to),
        citations=b.cites(s.sources),
        lang=lang,
        dir=direction,
        marking=b.mark(s.marking),
    )


def _assessments(b: _Builder) -> tuple[AssessmentView, ...]:
    return tuple(
        AssessmentView(
            text=b.rich(a.text),
            likelihood=a.likelihood,
            likelihood_sentence=likelihood_sentence(a.likelihood),
            confidence=a.confidence,
            confidence_sentence=confidence_sentence(a.confidence),
            basis=b.maybe_rich(a.basis),
            citations=b.cites(a.sources),
            marking=b.mark(a.marking),
        )
        for a in b.briefing.assessments
    )


def _source_summary(b: _Builder, cited: int) -> SourceSummary:
    """Origins: sources a fact comes from (cited, or relayed via) that relay none of the others."""
    sources = b.project.sources
    # A citation withdrawn by a retraction on its chain leads to no origin (chains.withdrawn).
    standing = [c for c in b.all_citations if not withdrawn(c, sources)]
    involved = {o for o in origins(standing) if o in sources}
    involved |= {c.source for c in standing if c.source in sources}
    roots = [s for s in involved if not (relayed_by(s, sources) & involved)]
    order = b.numbers.numbers
    roots.sort(key=lambda s: (order.get(s, len(order) + 1), s))
    return SourceSummary(cited, tuple(sources[s].publisher for s in roots))


def _w3c(value: EdtfDate) -> str:
    point = value.start
    parts = [f"{point.year:04d}"]
    parts += [f"{point.month:02d}"] if point.month else []
    parts += [f"{point.day:02d}"] if point.day else []
    return "-".join(parts)


def build_view(project: Project, briefing_id: str) -> BriefingView:
    """Resolve one briefing of a validated project into the view its templates print.

    Raises ``KeyError`` when there is no briefing ``briefing_id``. The result depends only on
    the project's content (never on the clock or the environment).
    """
    b = _Builder(project, briefing_id)
    briefing, settings = b.briefing, project.settings
    # Built in layout order: the first source cited gets endnote 1. Both layouts print the
    # bottom line first, so one numbering serves both: each fact keeps its numbers.
    bottom_line = b.maybe_rich(briefing.bottom_line)
    summary = b.rich(briefing.summary)
    key_points = _key_points(b)
    background = b.maybe_rich(briefing.background)
    events, decisions = _events(b), _decisions(b)
    statements, assessments = _statements(b), _assessments(b)
    outlook = b.maybe_rich(briefing.outlook)
    gaps = tuple(b.rich(g.text, inline=True) for g in briefing.information_gaps)
    recommendations = tuple(b.rich(r.text, inline=True) for r in briefing.recommendations)
    endnotes = build_endnotes(b.numbers.numbers, project.sources)
    return BriefingView(
        id=project.editions[briefing_id][0] if briefing_id in project.editions else briefing_id,
        title=briefing.title,
        marking=briefing.marking.value,
        marking_class=briefing.marking.css_class,
        marking_colour=briefing.marking.colour,
        purpose=briefing.purpose,
        purpose_label=purpose_label(briefing.purpose),
        cutoff=format_date(briefing.cutoff),
        issued=format_date(briefing.issued),
        issued_iso=briefing.issued.iso(),
        issued_w3c=_w3c(briefing.issued),
        version=briefing.version,
        authors=tuple(briefing.authors),
        organisation=settings.organisation,
        series=settings.title,
        lang=settings.language,
        page_size=settings.page_size,
        summary=summary,
        key_points=key_points,
        background=background,
        events=events,
        decisions=decisions,
        statements=statements,
        assessments=assessments,
        outlook=outlook,
        information_gaps=gaps,
        recommendations=recommendations,
        endnotes=endnotes,
        source_summary=_source_summary(b, len(endnotes)),
        reference=briefing.reference,
        bottom_line=bottom_line,
        point_of_contact=briefing.point_of_contact,
        distribution=tuple(briefing.distribution),
        changes=changes_box(project, briefing_id),
        history=history_rows(project, briefing_id),
        information_gap_markings=tuple(b.mark(g.marking) for g in briefing.information_gaps),
        recommendation_markings=tuple(b.mark(r.marking) for r in briefing.recommendations),
        edition=_edition_label(project, briefing_id),
        portion_marks=uses_portion_markings(briefing) or briefing_id in project.editions,
    )


def _edition_label(project: Project, briefing_id: str) -> str | None:
    """The label of the edition ``briefing_id`` is, or None for a full note."""
    found = project.editions.get(briefing_id)
    return found[1].value if found else None
