"""What the site templates print: small frozen views built from a ceiling-filtered project.

Only data leaves this module (dataclasses, strings, dates): every tag the site prints is in its
templates, most of them in the macros of ``site/macros.html``, which a project can override. The
one exception is a Markdown field rendered by :mod:`briefgen.render.narrative` (sanitised HTML,
the render layer's job). What a briefing already knows about its facts (the titles an actor held
on a date, names in other scripts, whether a quote is verified, status labels, dates in words)
comes from its render view (:func:`briefgen.render.build_view`), never computed again here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from briefgen.model import Actor, Project, Role, Source, Tlp
from briefgen.model.briefings import Statement
from briefgen.model.dates import EdtfDate, format_date
from briefgen.model.roles import title_names_organization
from briefgen.render import narrative
from briefgen.render.sources import EndnoteView
from briefgen.render.view import (
    ActorView,
    BriefingView,
    DateView,
    DecisionView,
    EventView,
    StatementView,
    date_view,
    html_datetime,
)
from briefgen.render.words import purpose_label
from briefgen.site.collect import BriefingRef, Item

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
    summary: Markup  # sanitised HTML from the render layer's Markdown renderer
    issued_on: DateView


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
        date_view(b.issued),
    )


# What a fact is in its briefing's render view: the site prints these as they are.
FactView = EventView | DecisionView | StatementView


@dataclass(frozen=True)
class ItemView:
    """A dated fact as printed on an actor page or the timeline (by the ``fact`` macro)."""

    kind: str
    kind_label: str
    anchor: str
    date: DateView
    briefing: BriefingRef
    fact: FactView
    # The fact's Markdown text without endnote markers (they belong to its briefing), for
    # events and decisions; statements print their words as written.
    text: Markup | None
    # The event's actors, the decider or the speaker, with the titles held on the fact's date.
    people: tuple[ActorView, ...]

    def title_held(self, actor_id: str) -> str:
        """The titles ``actor_id`` held on the fact's date, joined ('' when none is known)."""
        return "; ".join(next((p.titles for p in self.people if p.id == actor_id), ()))


def _fact_view(item: Item, view: BriefingView) -> FactView:
    # The anchor names the fact's kind and id, as the briefing page does.
    found: dict[str, FactView] = {
        **{f"event-{e.id}": e for e in view.events},
        **{f"decision-{d.id}": d for d in view.decisions},
        **{f"statement-{s.id}": s for s in view.statements},
    }
    return found[item.anchor]


def _people(fact: FactView) -> tuple[ActorView, ...]:
    if isinstance(fact, EventView):
        return fact.actors
    if isinstance(fact, DecisionView):
        return (fact.actor,)
    return (fact.speaker,) if fact.speaker else ()


def _text(item: Item) -> Markup | None:
    fact = item.fact
    if isinstance(fact, Statement) or not fact.text:
        return None
    return plain_html(fact.text)


def item_view(item: Item, view: BriefingView) -> ItemView:
    """The printed form of one collected fact; ``view`` is the render view of its briefing."""
    fact = _fact_view(item, view)
    return ItemView(
        item.kind,
        KIND_LABELS[item.kind],
        item.anchor,
        DateView(fact.date, html_datetime(item.date)),
        item.briefing,
        fact,
        _text(item),
        _people(fact),
    )


@dataclass(frozen=True)
class RoleView:
    """A role of an actor, with its organisation (if published) and its period."""

    title: str
    organization: Actor | None
    span: str
    # True when the title already says the organisation ('Minister of Water and Irrigation',
    # 'Ministry of Water and Irrigation'): the page links the title instead of repeating it.
    says_organization: bool = False


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

    views: list[RoleView] = []
    for r in sorted(actor.roles, key=key):
        organization = project.actors.get(r.organization or "")
        says = organization is not None and title_names_organization(r.title, organization.name)
        views.append(RoleView(r.title, organization, role_span(r.from_, r.to), says))
    return views


@dataclass(frozen=True)
class SourceEntry:
    """A source on the sources page: its endnote text, whom it relays, where it is cited."""

    id: str
    note: EndnoteView
    relays: tuple[Source, ...]
    briefings: tuple[BriefingRef, ...]
