"""Page builders: every file of the static site except the PDF and Markdown editions.

The only input is a :class:`~briefgen.site.ceiling.CeilingResult`, so a withheld briefing (or
an actor or source only it mentions) is not available to any page. Output is a mapping of
site-relative path to bytes, in a fixed order, and depends on nothing but the input.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from briefgen.model import Project, Tlp
from briefgen.render import build_view, make_environment, render_body, stylesheet
from briefgen.render.environment import render_template
from briefgen.render.sources import build_endnotes
from briefgen.render.view import BriefingView, other_name_views
from briefgen.site import collect, views
from briefgen.site.ceiling import CeilingResult
from briefgen.site.feed import build_feed
from briefgen.site.versions import PastVersion

NAV = (
    ("index.html", "Briefings"),
    ("timeline.html", "Timeline"),
    ("actors.html", "Actors"),
    ("sources.html", "Sources"),
)
SITE_CSS = "site/site.css"


@dataclass(frozen=True)
class SiteInfo:
    """What every page prints about the site itself."""

    title: str
    organisation: str
    lang: str
    ceiling_text: str
    nav: tuple[tuple[str, str], ...] = NAV


def briefing_page_path(briefing_id: str) -> str:
    """Site-relative path of a briefing's page; its PDF and Markdown sit beside it."""
    return f"briefings/{briefing_id}.html"


def _ceiling_text(ceiling: Tlp) -> str:
    allowed = [t.value for t in Tlp if t.rank <= ceiling.rank]
    return allowed[0] if len(allowed) == 1 else f"{', '.join(allowed[:-1])} or {allowed[-1]}"


class _Pages:
    """Renders pages of one site with shared context (environment, project, site info)."""

    def __init__(
        self,
        released: CeilingResult,
        env: jinja2.Environment,
        views: dict[str, BriefingView] | None = None,
    ) -> None:
        self.project: Project = released.project
        self.env = env
        settings = self.project.settings
        self.site = SiteInfo(
            settings.title,
            settings.organisation,
            settings.language,
            _ceiling_text(settings.publish_ceiling),
        )
        markings = [b.marking for b in self.project.briefings.values()]
        self.highest = collect.highest_marking(markings)
        self.views: dict[str, BriefingView] = views if views is not None else {}

    def render(self, path: str, template: str, marking: Tlp, title: str, **extra: Any) -> bytes:
        depth = path.count("/")
        context = {
            "site": self.site,
            "root": "../" * depth,
            "current": path,
            "marking": marking,
            "page_title": title,
            "project": self.project,
            # Words only: every tag (badges, dates, facts) is in the site's templates and macros.
            "kind_label": views.kind_label,
            **extra,
        }
        return render_template(self.env, template, **context).encode("utf-8")

    def index(self) -> bytes:
        ids = collect.newest_first(self.project)
        entries = [views.index_entry(self.project, b) for b in ids]
        return self.render(
            "index.html", "site/index.html", self.highest, "Briefings", entries=entries
        )

    def view(self, briefing_id: str) -> BriefingView:
        """The render view of one briefing, built once for its page and all its facts."""
        if briefing_id not in self.views:
            self.views[briefing_id] = build_view(self.project, briefing_id)
        return self.views[briefing_id]

    def item_views(self, items: list[collect.Item]) -> list[views.ItemView]:
        """Facts as printed, each from the render view of its briefing."""
        return [views.item_view(i, self.view(i.briefing.id)) for i in items]

    def briefing(self, briefing_id: str, path: str | None = None, **extra: Any) -> bytes:
        """A briefing's page; ``path`` and ``extra`` for an earlier version's (issue 15)."""
        view = self.view(briefing_id)
        marking = self.project.briefings[briefing_id].marking
        body = Markup(render_body(self.project, briefing_id, env=self.env, view=view))
        path = path or briefing_page_path(briefing_id)
        return self.render(
            path, "site/briefing.html", marking, view.title, view=view, body=body, **extra
        )

    def actors(self) -> bytes:
        ordered = sorted(self.project.actors.values(), key=collect.actor_sort_key)
        kinds = list(views.ACTOR_KIND_LABELS)
        ordered.sort(key=lambda a: kinds.index(a.kind) if a.kind in kinds else len(kinds))
        groups = [(k, list(g)) for k, g in itertools.groupby(ordered, key=lambda a: a.kind)]
        return self.render("actors.html", "site/actors.html", self.highest, "Actors", groups=groups)

    def actor(self, actor_id: str, items: list[collect.Item]) -> bytes:
        actor = self.project.actors[actor_id]
        marking = (
            collect.highest_marking([i.briefing.marking for i in items]) if items else self.highest
        )
        return self.render(
            f"actors/{actor_id}.html",
            "site/actor.html",
            marking,
            actor.name,
            actor=actor,
            other_names=other_name_views(actor),
            roles=views.role_views(actor, self.project),
            items=self.item_views(items),
        )

    def timeline(self) -> bytes:
        items = collect.all_items(self.project)
        years = [
            (year, self.item_views(list(group)))
            for year, group in itertools.groupby(items, key=lambda i: i.date.start.year)
        ]
        return self.render(
            "timeline.html", "site/timeline.html", self.highest, "Timeline", years=years
        )

    def sources(self) -> bytes:
        cited_in = collect.sources_by_briefing(self.project)
        sources = self.project.sources
        numbers = {source_id: n for n, source_id in enumerate(sorted(sources), 1)}
        entries = [
            views.SourceEntry(
                note.source_id,
                note,
                tuple(sources[c] for c in sources[note.source_id].cites if c in sources),
                tuple(collect.ref(self.project, b) for b in cited_in[note.source_id]),
            )
            for note in build_endnotes(numbers, sources)
        ]
        entries.sort(key=lambda e: (e.note.label.casefold(), e.id))
        return self.render(
            "sources.html", "site/sources.html", self.highest, "Sources", sources=entries
        )

    def not_found(self) -> bytes:
        url = self.project.settings.site_url
        return self.render(
            "404.html",
            "site/404.html",
            Tlp.CLEAR,
            "Page not found",
            home=f"{url}index.html" if url else "index.html",
            # Plain text: 404.html prints it inside its style element and, knowing that, keeps
            # a closing tag in it from ending the element early.
            inline_css=site_css(self.env),
        )


def site_css(env: jinja2.Environment) -> str:
    """The site stylesheet as written (a project's templates/site/site.css replaces it)."""
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, SITE_CSS)
    return source


def build_pages(
    released: CeilingResult,
    env: jinja2.Environment | None = None,
    views: dict[str, BriefingView] | None = None,
    past: dict[str, list[PastVersion]] | None = None,
) -> dict[str, bytes]:
    """Every page, the stylesheet and the feed of the site, by site-relative path.

    ``views``, when given, is filled with the view of each briefing the pages print, so that
    the editions rendered next reuse them instead of building each again.
    """
    env = env or make_environment(released.project.root)
    return dict(_generate(_Pages(released, env, views), past or {}))


def _past_pages(
    pages: _Pages, briefing_id: str, past: list[PastVersion]
) -> Iterator[tuple[str, bytes]]:
    """The page of each earlier issued version, linking back to the current one."""
    for version in past:
        alone = _Pages(CeilingResult(version.project, ()), pages.env)
        yield (
            version.page,
            alone.briefing(
                briefing_id,
                version.page,
                pdf_href=f"{version.version}.pdf",
                current_href=f"../../{briefing_id}.html",
                past_version=version.version,
            ),
        )


def _generate(pages: _Pages, past: dict[str, list[PastVersion]]) -> Iterator[tuple[str, bytes]]:
    project = pages.project
    yield "assets/site.css", site_css(pages.env).encode("utf-8")
    layout = project.settings.layout  # reader: set by build_site
    yield "assets/briefing.css", stylesheet(pages.env, layout).encode("utf-8")
    yield "index.html", pages.index()
    for briefing_id in sorted(project.briefings):
        earlier = [
            (v.version, f"{briefing_id}/v/{v.version}.html") for v in past.get(briefing_id, [])
        ]
        yield briefing_page_path(briefing_id), pages.briefing(briefing_id, earlier=earlier)
        yield from _past_pages(pages, briefing_id, past.get(briefing_id, []))
    yield "actors.html", pages.actors()
    for actor_id, items in sorted(collect.items_by_actor(project).items()):
        yield f"actors/{actor_id}.html", pages.actor(actor_id, items)
    yield "timeline.html", pages.timeline()
    yield "sources.html", pages.sources()
    versions = [v for b in sorted(past) for v in past[b]]
    yield "feed.xml", build_feed(project, collect.newest_first(project), pages.env, versions)
    yield "404.html", pages.not_found()
