"""Render stage: a briefing of a validated project as HTML and Markdown.

Public API (stable; the static site builds on it):

- :func:`make_environment` — the Jinja2 environment of a project (its ``templates/`` first).
- :func:`build_view` — the :class:`BriefingView` of one briefing: plain dataclasses with actors
  and their titles resolved, dates formatted, endnotes numbered, quote status looked up.
- :func:`render_body` — the reusable briefing body (``briefing/body.html``) as an HTML fragment,
  for pages that embed a briefing (the site). It needs :func:`stylesheet` on the page.
- :func:`render_html` — a standalone HTML page (CSS inline, or linked with ``css_href``).
- :func:`render_markdown` — the Markdown edition.
- :func:`stylesheet` — the briefing CSS (``briefing.css``, overridable by the project).

Each renders the layout the project's settings name (:mod:`briefgen.render.layouts`: the
*reader* templates in ``reader/``, or the *analyst* ones). Templates receive ``view`` (the
:class:`BriefingView`) and ``project``, cut down to the one briefing and what it refers to
(:func:`briefgen.model.references.scoped_to`); the reader's also receive ``reader``
(:class:`~briefgen.render.reader.ReaderView`). The PDF edition is in :mod:`briefgen.pdf`.
Every function is a pure function of its arguments.
"""

from __future__ import annotations

import re

import jinja2

from briefgen.model import Project
from briefgen.model.references import scoped_to
from briefgen.render.environment import TemplateError, make_environment, render_template
from briefgen.render.layouts import ANALYST, READER, layout_templates
from briefgen.render.layouts import TEMPLATES as TEMPLATES_BY_LAYOUT
from briefgen.render.narrative import join_adjacent_citations
from briefgen.render.reader import build_reader_view
from briefgen.render.sources import EndnoteView
from briefgen.render.view import (
    ActorView,
    AssessmentView,
    BriefingView,
    CiteRef,
    DecisionView,
    EventView,
    KeyPointView,
    Rich,
    SourceSummary,
    StatementView,
    build_view,
)

PAGE_TEMPLATE = "briefing.html"
BODY_TEMPLATE = "briefing/body.html"
MARKDOWN_TEMPLATE = "briefing.md"
STYLESHEET = "briefing.css"


def _env(project: Project, env: jinja2.Environment | None) -> jinja2.Environment:
    return env if env is not None else make_environment(project.root)


def _render_briefing_template(
    project: Project,
    briefing_id: str,
    template: str,
    env: jinja2.Environment,
    view: BriefingView | None,
    **extra: object,
) -> str:
    # A template rendering one briefing sees that briefing and what it refers to, nothing
    # else: its output then depends only on what the build key digests.
    view = view or build_view(project, briefing_id)
    if project.settings.layout == READER:
        extra["reader"] = build_reader_view(view)
    return render_template(
        env, template, view=view, project=scoped_to(project, (briefing_id,)), **extra
    )


def stylesheet(env: jinja2.Environment, layout: str = ANALYST) -> str:
    """The briefing CSS (screen, phone and print) of a layout, as written.

    The analyst layout's is ``briefing.css``; the reader's is ``briefing.css`` followed by
    ``reader/briefing.css`` (one text, so a page embeds or links one stylesheet).
    """
    assert env.loader is not None
    names = TEMPLATES_BY_LAYOUT[layout].stylesheets
    texts = []
    for name in names:
        try:
            texts.append(env.loader.get_source(env, name)[0])
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"template not found: {name}") from exc
    return "\n".join(texts)


def render_body(
    project: Project,
    briefing_id: str,
    *,
    env: jinja2.Environment | None = None,
    view: BriefingView | None = None,
) -> str:
    """The briefing body as an HTML fragment (an ``<article>``), for embedding in a page."""
    body = layout_templates(project).body
    html = _render_briefing_template(project, briefing_id, body, _env(project, env), view)
    return join_adjacent_citations(html)


def render_html(
    project: Project,
    briefing_id: str,
    *,
    env: jinja2.Environment | None = None,
    css_href: str | None = None,
    embed_css: bool = True,
    view: BriefingView | None = None,
    print_contents: bool = False,
) -> str:
    """A standalone HTML5 page of the briefing.

    The CSS is inlined, so the file works on its own, from disk or as an attachment; give
    ``css_href`` (a relative URL) to link a stylesheet instead, or ``embed_css=False`` for
    none (the PDF renderer applies its own parsed copy). No script, no remote resource.
    ``print_contents`` asks the reader layout for a printed contents list with page numbers
    (the PDF's, kept when the note laid out with it runs over four pages: see
    :func:`briefgen.render.reader.keeps_contents`).
    """
    env = _env(project, env)
    layout = project.settings.layout
    css = stylesheet(env, layout) if embed_css and not css_href else None
    page = layout_templates(project).page
    html = _render_briefing_template(
        project,
        briefing_id,
        page,
        env,
        view,
        css=css,
        css_href=css_href,
        contents=True,
        print_contents=print_contents,
    )
    return join_adjacent_citations(html)


def render_markdown(
    project: Project,
    briefing_id: str,
    *,
    env: jinja2.Environment | None = None,
    view: BriefingView | None = None,
) -> str:
    """The Markdown edition of the briefing (same endnote numbers as HTML and PDF)."""
    markdown = layout_templates(project).markdown
    text = _render_briefing_template(project, briefing_id, markdown, _env(project, env), view)
    # Templates stay readable with generous blank lines; the edition gets at most one.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


__all__ = [
    "BODY_TEMPLATE",
    "MARKDOWN_TEMPLATE",
    "PAGE_TEMPLATE",
    "STYLESHEET",
    "ActorView",
    "AssessmentView",
    "BriefingView",
    "CiteRef",
    "DecisionView",
    "EndnoteView",
    "EventView",
    "KeyPointView",
    "Rich",
    "SourceSummary",
    "StatementView",
    "TemplateError",
    "build_view",
    "make_environment",
    "render_body",
    "render_html",
    "render_markdown",
    "stylesheet",
]
