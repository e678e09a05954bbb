"""The Atom feed (RFC 4287) of the published briefings.

Ids never change for a briefing: they are built from ``site_url`` when the project sets one,
otherwise a name-based UUID of the series and briefing id. Dates come from the content (the
issue date), never from the clock, so the same content gives the same bytes.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import date

import jinja2

from briefgen.model import Project
from briefgen.render.environment import render_template
from briefgen.site.versions import PastVersion
from briefgen.site.views import index_entry

ATOM = "http://www.w3.org/2005/Atom"
# Namespace of briefgen's name-based feed ids (a fixed, random UUID: never change it).
FEED_SUMMARY = "site/feed-summary.html"
_ID_NAMESPACE = uuid.UUID("6f1f8a52-3c0e-4d57-9a57-1c3b7f0e2d11")


def _timestamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _feed_id(project: Project, path: str) -> str:
    base = project.settings.site_url
    if base is not None:
        return f"{base}{path}"
    name = f"{project.settings.organisation}\n{project.settings.title}\n{path}"
    return f"urn:uuid:{uuid.uuid5(_ID_NAMESPACE, name)}"


def _href(project: Project, path: str) -> str:
    # Absolute when the public address is known (feed readers prefer it), else relative to the
    # feed, which sits at the site's top folder.
    base = project.settings.site_url
    return f"{base}{path}" if base is not None else path


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _entry(
    feed: ET.Element,
    project: Project,
    env: jinja2.Environment,
    briefing_id: str,
    past: PastVersion | None = None,
) -> None:
    """One entry: the current version of a briefing, or (``past``) an earlier issued one."""
    item = index_entry(project, briefing_id)
    page = past.page if past else f"briefings/{briefing_id}.html"
    entry = _sub(feed, "entry")
    _sub(entry, "id", _feed_id(project, page))
    _sub(entry, "title", f"{item.title} (version {past.version})" if past else item.title)
    issued = _timestamp(item.issued.sort_key()[0])
    _sub(entry, "published", issued)
    _sub(entry, "updated", issued)
    for name in item.authors:
        _sub(_sub(entry, "author"), "name", name)
    _sub(entry, "link", rel="alternate", type="text/html", href=_href(project, page))
    pdf = _href(project, past.pdf if past else f"briefings/{briefing_id}.pdf")
    _sub(entry, "link", rel="enclosure", type="application/pdf", href=pdf)
    _sub(entry, "category", term=item.marking.value, label=item.marking.value)
    # HTML inside the feed: made by an autoescaping template, like every page of the site.
    summary = render_template(env, FEED_SUMMARY, entry=item)
    _sub(entry, "summary", summary, type="html")


def build_feed(
    project: Project,
    briefing_ids: list[str],
    env: jinja2.Environment,
    past: Sequence[PastVersion] = (),
) -> bytes:
    """The Atom feed of ``briefing_ids`` (newest first) of an already filtered project, then
    an entry for each earlier issued version in ``past`` (issue 15)."""
    settings = project.settings
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": settings.language})
    _sub(feed, "id", _feed_id(project, "feed.xml"))
    _sub(feed, "title", settings.title)
    _sub(feed, "subtitle", f"Briefings published by {settings.organisation}")
    days = [project.briefings[b].issued.sort_key()[0] for b in briefing_ids]
    # An empty feed still needs an 'updated'; a fixed date keeps the output reproducible.
    _sub(feed, "updated", _timestamp(max(days, default=date(1970, 1, 1))))
    _sub(_sub(feed, "author"), "name", settings.organisation)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=_href(project, "feed.xml"))
    _sub(feed, "link", rel="alternate", type="text/html", href=_href(project, "index.html"))
    _sub(feed, "generator", "briefgen")
    for briefing_id in briefing_ids:
        _entry(feed, project, env, briefing_id)
    for version in past:
        _entry(feed, version.project, env, version.briefing_id, version)
    ET.indent(feed)
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data + b"\n"
