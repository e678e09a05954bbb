"""Sources: where facts come from, and which other sources they relay."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from briefgen.model.common import LanguageTag, Slug, StrictModel, Text, WebUrl, YamlBool
from briefgen.model.dates import EdtfDate

SourceType = Literal[
    "article",
    "broadcast",
    "statement",
    "report",
    "social-post",
    "interview",
    "press-release",
    "transcript",
    "document",
    "dataset",
]
Reliability = Literal["A", "B", "C", "D", "E", "F"]
# A capture time in UTC, to the second, as `briefgen archive` writes it. ASCII digits ([0-9]:
# pydantic's \d would take other scripts' digits, an editor's would not).
UTC_TIMESTAMP_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"
UtcTimestamp = Annotated[str, Field(pattern=UTC_TIMESTAMP_PATTERN)]


class Archive(StrictModel):
    """A local copy of the source's text, used to check quotes against it."""

    path: Text = Field(description="Path of the copy, relative to the project folder.")
    sha256: Text | None = Field(None, description="Expected SHA-256 of the file, hex.")
    captured: UtcTimestamp | None = Field(
        None,
        description="When the copy was captured, UTC (e.g. 2024-03-01T09:30:00Z); in a WARC "
        "or WACZ file, also which capture of the URL is the archive.",
    )
    final_url: WebUrl | None = Field(
        None,
        description="The URL the copy was read from, after redirects; in a WARC or WACZ file, "
        "the record to use (default: the source's url).",
    )
    content_type: Text | None = Field(
        None, description="Media type of the copy as captured, e.g. text/html."
    )
    memento: WebUrl | None = Field(
        None,
        description="A public web archive's copy (Memento or Wayback URL), linked in citations.",
    )


StandingStatus = Literal["retracted", "corrected", "disputed"]


class Standing(StrictModel):
    """A retraction, correction or dispute of the source since it was published."""

    status: StandingStatus = Field(
        description="retracted (withdrawn by its publisher), corrected (changed after "
        "publication) or disputed (its accuracy is publicly contested)."
    )
    date: EdtfDate = Field(description="When it was retracted, corrected or disputed.")
    note: Text | None = Field(
        None, description="What was retracted or corrected, or what is disputed, for readers."
    )


class Source(StrictModel):
    """One entry of content/sources.yaml."""

    id: Slug = Field(description="Unique lower-case id, used in citations as [@id].")
    type: SourceType = Field(description="What kind of source this is.")
    title: Text = Field(description="Title or headline; for a broadcast, the programme.")
    publisher: Text = Field(description="Outlet, station or body that published it.")
    authors: list[Text] = Field(default_factory=list, description="Named authors, if any.")
    published: EdtfDate = Field(description="Publication or broadcast date.")
    url: WebUrl | None = Field(None, description="Where it can be read (http or https).")
    citation_only: YamlBool = Field(
        False, description="True when there is no URL to give, e.g. a radio broadcast."
    )
    accessed: EdtfDate | None = Field(None, description="When the URL was last read.")
    language: LanguageTag = Field("en", description="BCP 47 tag of the source's language.")
    cites: list[Slug] = Field(
        default_factory=list, description="Ids of sources this one reports or relays."
    )
    reliability: Reliability | None = Field(
        None, description="Admiralty source reliability grade, A (reliable) to F (cannot judge)."
    )
    archive: Archive | None = Field(None, description="Local copy of the text, for quotes.")
    note: Text | None = Field(None, description="Anything a reader should know about it.")
    standing: Standing | None = Field(
        None,
        description="Retracted, corrected or disputed since publication: every fact resting "
        "on the source is flagged, and outputs show the notice.",
    )


class SourcesFile(StrictModel):
    """content/sources.yaml: the shared registry of sources."""

    sources: list[Source] = Field(description="Every source the briefings may cite.")
