"""The two layouts of a briefing and the templates each is made of.

A briefing is written in the layout its project's settings name (``layout`` in
``briefgen.yaml``, ``reader`` when unset; ``briefgen build --layout`` overrides it, and the
site always uses ``reader``). The *analyst* layout is the working copy: the templates briefgen
has always had (``briefing.html``, ``briefing/body.html``, ``briefing.md``). The *reader*
layout is what a decision-maker reads, from templates of its own in ``reader/``. Both print
the same :class:`~briefgen.render.view.BriefingView`, so every endnote number is the same.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from briefgen.model import Project
from briefgen.model.project import LAYOUTS, Layout

READER: Layout = "reader"
ANALYST: Layout = "analyst"


@dataclass(frozen=True)
class LayoutTemplates:
    """The template files one layout is rendered from (names in the template search path)."""

    page: str  # the standalone HTML page (and the PDF's source)
    body: str  # the briefing as a fragment, for pages that embed it (the site)
    markdown: str
    stylesheets: tuple[str, ...]  # screen, phone and print; embedded in the page in this order
    pdf_stylesheets: tuple[str, ...]  # applied after ``stylesheets`` to the PDF only


TEMPLATES: dict[str, LayoutTemplates] = {
    ANALYST: LayoutTemplates(
        "briefing.html", "briefing/body.html", "briefing.md", ("briefing.css",), ("pdf.css",)
    ),
    READER: LayoutTemplates(
        "reader/briefing.html",
        "reader/body.html",
        "reader/briefing.md",
        ("briefing.css", "reader/briefing.css"),
        ("pdf.css", "reader/pdf.css"),
    ),
}
assert set(TEMPLATES) == set(LAYOUTS)


def layout_templates(project: Project) -> LayoutTemplates:
    """The templates of the layout ``project``'s settings name."""
    return TEMPLATES[project.settings.layout]


def with_layout(project: Project, layout: Layout | None) -> Project:
    """``project`` set to write ``layout`` (unchanged when None: its own setting stands).

    The layout is a setting, so it is part of every briefing's build key: switching layouts
    renders again, and an output folder always holds the layout its key names.
    """
    if layout is None or layout == project.settings.layout:
        return project
    return replace(project, settings=project.settings.model_copy(update={"layout": layout}))
