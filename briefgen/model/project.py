"""briefgen.yaml: settings of one briefing project."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from briefgen.model.common import LanguageTag, Marking, StrictModel, Text, Tlp, WebUrl, YamlBool

# The two layouts of a briefing (issue 14): "reader", what a decision-maker reads (key
# judgements, contents, endnotes, a source summary; no working notes), and "analyst", the
# working copy with every dating note, locator and source note.
Layout = Literal["reader", "analyst"]
LAYOUTS: tuple[Layout, ...] = ("reader", "analyst")


class ProjectSettings(StrictModel):
    """The project file, briefgen.yaml."""

    title: Text = Field(description="Name of the briefing series, shown on the site.")
    organisation: Text = Field(description="Who issues the briefings.")
    default_marking: Marking = Field(
        Tlp.AMBER, description="Marking `briefgen new` gives a new briefing."
    )
    page_size: Literal["A4", "Letter"] = Field("A4", description="PDF page size.")
    language: LanguageTag = Field("en", description="BCP 47 tag of the briefings' language.")
    publish_ceiling: Marking = Field(
        Tlp.CLEAR, description="Highest marking the published site may hold."
    )
    publish_unverified_quotes: YamlBool = Field(
        False,
        description="Let 'publish' release direct quotes never checked against an archived "
        "copy of their source (each still marked UNVERIFIED). Off: publish refuses them.",
    )
    require_approval: YamlBool = Field(
        False,
        description="Let 'publish' release only briefings approved, as they are, by someone "
        "not among their authors ('briefgen approve ID --by NAME').",
    )
    site_url: WebUrl | None = Field(
        None, description="Public address of the site; used for absolute ids in the feed."
    )
    layout: Layout = Field(
        "reader",
        description="Layout 'briefgen build' writes: 'reader' (key judgements, contents, "
        "endnotes, source summary; no working notes) or 'analyst' (every dating note, locator "
        "and source note). 'build --layout' overrides it; the site always shows 'reader'.",
    )
