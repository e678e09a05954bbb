"""Editions stage: one briefing rendered to the bytes of each of its files.

:func:`render_briefing` is a pure function of the project, the templates and the briefgen
version, used by both ``build`` (which writes the files into ``output/<id>/``) and the site
(which publishes the PDF and Markdown editions beside each page); nothing is written here. What
both share beyond it lives beside it: :mod:`briefgen.editions.outputs` (the files of
``output/<id>/`` and their key record) and :mod:`briefgen.editions.plan` (keys, the worker pool,
and publish's reuse of up-to-date files).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from briefgen.errors import BuildError
from briefgen.model import Project
from briefgen.model.facts import iter_markdown

if TYPE_CHECKING:
    import jinja2

    from briefgen.render import BriefingView

FORMATS = ("pdf", "html", "md")
FILE_NAMES = {"pdf": "briefing.pdf", "html": "briefing.html", "md": "briefing.md"}


def render_briefing(
    project: Project,
    briefing_id: str,
    formats: Sequence[str],
    *,
    env: jinja2.Environment | None = None,
    view: BriefingView | None = None,
) -> dict[str, bytes]:
    """The bytes of each requested format of one briefing, keyed by file name.

    ``env`` is the project's environment (:func:`briefgen.render.make_environment`), shared
    by every briefing of a build so that each template is compiled once, not once per
    briefing; ``view`` is the briefing's view when the caller already built it (publish's
    pages). Both are made here when not given; the bytes are the same either way.

    Nothing is written here. Raises :class:`BuildError` for a template or PDF problem, or a
    text nested too deeply to render.
    """
    from briefgen.render.narrative import MarkdownTooDeepError

    try:
        return _render_formats(project, briefing_id, formats, env, view)
    except MarkdownTooDeepError as exc:
        where = _markdown_field(project, briefing_id, exc.text)
        raise BuildError(f"{where}: {exc}; flatten its lists or block quotes") from exc
    except RecursionError as exc:
        # Validation limits nesting; should anything else still recurse too deeply, the
        # briefing fails on its own instead of the whole build.
        raise BuildError("content nested too deeply to render") from exc


def _markdown_field(project: Project, briefing_id: str, text: str) -> str:
    """The field of a briefing that holds ``text``, as 'key_points[2].text'."""
    for path, value in iter_markdown(project.briefings[briefing_id]):
        if value == text:
            return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)[1:]
    return "a Markdown field"


def _render_formats(
    project: Project,
    briefing_id: str,
    formats: Sequence[str],
    env: jinja2.Environment | None,
    view: BriefingView | None,
) -> dict[str, bytes]:
    # Imported here: Jinja and python-markdown are needed only once something renders.
    from briefgen.render import (
        TemplateError,
        build_view,
        make_environment,
        render_html,
        render_markdown,
    )

    env = env if env is not None else make_environment(project.root)
    view = view if view is not None else build_view(project, briefing_id)
    outputs: dict[str, bytes] = {}
    try:
        if "md" in formats:
            text = render_markdown(project, briefing_id, env=env, view=view)
            outputs[FILE_NAMES["md"]] = text.encode("utf-8")
        if "html" in formats:
            html = render_html(project, briefing_id, env=env, view=view)
            outputs[FILE_NAMES["html"]] = html.encode("utf-8")
        if "pdf" in formats:
            outputs[FILE_NAMES["pdf"]] = _pdf(project, briefing_id, env, view)
    except TemplateError as exc:
        raise BuildError(f"template error: {exc}") from exc
    return outputs


def _pdf(project: Project, briefing_id: str, env: jinja2.Environment, view: BriefingView) -> bytes:
    # Imported here: WeasyPrint is slow to import, and only PDF builds need it.
    from briefgen.pdf import PdfError, render_pdf
    from briefgen.render import render_html
    from briefgen.render.reader import keeps_contents, may_print_contents

    def page(print_contents: bool) -> str:
        return render_html(
            project, briefing_id, env=env, view=view, embed_css=False, print_contents=print_contents
        )

    def without_contents(pages: int) -> str | None:
        # Laid out WITH its contents list first, so that a long note (the common case) is laid
        # out once; a short one drops the list and is laid out again (short notes are cheap).
        return None if keeps_contents(pages) else page(print_contents=False)

    contents = may_print_contents(project.settings.layout)
    again = without_contents if contents else None
    try:
        return render_pdf(project, briefing_id, page(contents), env=env, again=again)
    except PdfError as exc:
        raise BuildError(f"PDF error: {exc}") from exc
