"""What the site templates print: small frozen views built from a ceiling-filtered project."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from briefgen.model import Actor, Project, Role, Source, Tlp
from briefgen.model.briefings import Decision, Event, Statement
from briefgen.model.dates import EdtfDate, format_date
from briefgen.render import narrative
from briefgen.render.sources import EndnoteView
from briefgen.render.words import STATUS_LABELS, purpose_label, script_direction
from briefgen.site.collect import BriefingRef, Item, actors_of

KIND_LABELS = {"event": "Event", "decision": "Decision", "statement": "Statement"}
ACTOR_KIND_LABELS = {
    "person": ("Person", "People"),
    "organization": ("Organisation", "Organisations"),
    "state": ("State", "States"),
    "media": ("Media outlet", "Media"),
    "group": ("Group", "Groups"),
}
# An inline citation with the space before it: "text [@id]." becomes "text.".
_INLINE_CITATION = re.compile(r"\s*\[@[^\]\s]*\]")


def tlp_badge(marking: Tlp) -> Markup:
    """The TLP label as an inline badge (FIRST colours on black, via the site CSS)."""
    return Markup('<span class="site-tlp site-tlp--{}">{}</span>').format(
        marking.css_class, marking.value
    )


def tlp_label(marking: Tlp) -> Markup:
    """The page's marking as a block, for the header and footer of every page."""
    return Markup('<p class="marking">{}</p>').format(tlp_badge(marking))


def _datetime_value(value: EdtfDate) -> str | None:
    # Only a plain year, month or day is a valid HTML datetime; ranges and c./? dates are not.
    if value.end is not None or value.start.qualified:
        return None
    return value.iso()


def date_html(value: EdtfDate) -> Markup:
    """The date in words, inside <time datetime> when it is a plain point in time."""
    machine = _datetime_value(value)
    if machine is None:
        return escape(format_date(value))
    return Markup('<time datetime="{}">{}</time>').format(machine, format_date(value))


def kind_label(kind: str, count: int = 2) -> str:
    """'People' (count 2) or 'Person' (count 1) for an actor kind."""
    one, many = ACTOR_KIND_LABELS.get(kind, (kind.title(), kind.title()))
    return one if count == 1 else many


def plain_html(text: str, *, inline: bool = False) -> Markup:
    """A Markdown field as safe HTML without its endnote markers (they belong to its briefing)."""
    return narrative.to_html(
        _INLINE_CITATION.sub("", text), narrative.CitationNumbers(), inline=inline
    )


@dataclass(frozen=True)
class IndexEntry:
    """One briefing in the index and the feed."""

    id: str
    title: str
    marking: Tlp
    issued: EdtfDate
    version: str
    purpose: str
    authors: tuple[str, ...]
    summary: Markup


def index_entry(project: Project, briefing_id: str) -> IndexEntry:
    """The index row of one briefing."""
    b = project.briefings[briefing_id]
    return IndexEntry(
        briefing_id,
        b.title,
        b.marking,
        b.issued,
        b.version,
        purpose_label(b.purpose),
        tuple(b.authors),
        plain_html(b.summary),
    )


@dataclass(frozen=True)
class Person:
    """An actor named by a fact, with the titles held on the fact's date."""

    id: str
    name: str
    titles: tuple[str, ...]


@dataclass(frozen=True)
class ItemView:
    """A dated fact as printed on an actor page or the timeline."""

    kind: str
    kind_label: str
    anchor: str
    date_html: Markup
    briefing: BriefingRef
    text: Markup
    people: tuple[Person, ...]
    titles: dict[str, list[str]]
    said: Said | None = None

    def title_held(self, actor_id: str) -> str:
        """The titles ``actor_id`` held on the fact's date, joined ('' when none is known)."""
        return "; ".join(self.titles.get(actor_id, []))


@dataclass(frozen=True)
class Said:
    """What a statement says, by whom and where; quotes keep their quotation marks."""

    speaker: Person | None
    attribution: str | None
    medium: str
    words: str
    is_quote: bool
    # A direct quote not matched against an archived copy of its source is marked as such,
    # on every page that shows it, as in the briefing itself.
    unverified: bool = False


def _said(
    fact: Statement, project: Project, titles: dict[str, list[str]], briefing_id: str
) -> Said:
    speaker = None
    if fact.speaker and fact.speaker in project.actors:
        name = project.actors[fact.speaker].name
        speaker = Person(fact.speaker, name, tuple(titles.get(fact.speaker, [])))
    words = f"“{fact.text.strip()}”" if fact.kind == "quote" else fact.text.strip()
    attribution = None if speaker else (fact.attribution or "an unnamed speaker")
    is_quote = fact.kind == "quote"
    verified = project.quote_status.get((briefing_id, fact.id)) == "verified"
    return Said(speaker, attribution, fact.medium, words, is_quote, is_quote and not verified)


def _fact_html(fact: Event | Decision | Statement, project: Project) -> Markup:
    if isinstance(fact, Event):
        where = (
            Markup(' <span class="muted">({})</span>').format(fact.location)
            if fact.location
            else ""
        )
        head = Markup('<p class="fact__title">{}{}</p>').format(fact.title, where)
        return head + (plain_html(fact.text) if fact.text else Markup(""))
    if isinstance(fact, Decision):
        status = Markup('<p class="muted">Status: {}, as of {}.</p>').format(
            STATUS_LABELS[fact.status], format_date(fact.status_as_of)
        )
        return plain_html(fact.text) + status
    return Markup("")  # statements are laid out by the template, from ItemView.said


def item_view(item: Item, project: Project) -> ItemView:
    """The printed form of one collected fact."""
    people = tuple(
        Person(a, project.actors[a].name, tuple(item.titles.get(a, [])))
        for a in actors_of(item)
        if a in project.actors
    )
    return ItemView(
        item.kind,
        KIND_LABELS[item.kind],
        item.anchor,
        date_html(item.date),
        item.briefing,
        _fact_html(item.fact, project),
        people,
        item.titles,
        _said(item.fact, project, item.titles, item.briefing.id)
        if isinstance(item.fact, Statement)
        else None,
    )


@dataclass(frozen=True)
class RoleView:
    """A role of an actor, with its organisation (if published) and its period."""

    title: str
    organization: Actor | None
    span: str


@dataclass(frozen=True)
class OtherName:
    """A name in another script, with its language and direction."""

    name: str
    lang: str
    dir: str


def _when(value: EdtfDate) -> str:
    # An interval start or end means "some time in this range", not "during all of it".
    if value.end is None:
        return format_date(value)
    first, last = format_date(EdtfDate(value.start)), format_date(EdtfDate(value.end))
    return f"some time between {first} and {last}"


def role_span(start: EdtfDate | None, end: EdtfDate | None) -> str:
    """'from January 2015 until December 2021', 'from 2019; still held', 'start not known'."""
    begin = f"from {_when(start)}" if start else "start not known"
    return f"{begin} until {_when(end)}" if end else f"{begin}; still held"


def role_views(actor: Actor, project: Project) -> list[RoleView]:
    """The actor's roles, earliest first, for the actor page."""

    def key(role: Role) -> tuple[date, date]:
        return role.from_.sort_key() if role.from_ else (date.min, date.min)

    ordered = sorted(actor.roles, key=key)
    return [
        RoleView(r.title, project.actors.get(r.organization or ""), role_span(r.from_, r.to))
        for r in ordered
    ]


def other_names(actor: Actor) -> list[OtherName]:
    """The actor's names in other scripts, each with its writing direction."""
    return [OtherName(o.name, o.lang, script_direction(o.lang)) for o in actor.other_names]


@dataclass(frozen=True)
class SourceEntry:
    """A source on the sources page: its endnote text, whom it relays, where it is cited."""

    id: str
    note: EndnoteView
    relays: tuple[Source, ...]
    briefings: tuple[BriefingRef, ...]
