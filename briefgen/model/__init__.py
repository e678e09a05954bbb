"""Model stage: typed, validated content, and the resolved project handed to renderers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from briefgen.model.actors import Actor, ActorsFile, Role
from briefgen.model.briefings import Briefing
from briefgen.model.common import Citation, Tlp
from briefgen.model.dates import EdtfDate
from briefgen.model.project import ProjectSettings
from briefgen.model.references import References, briefing_references
from briefgen.model.sources import Source, SourcesFile
from briefgen.model.versions import IssuedVersion


@dataclass(frozen=True)
class Project:
    """A whole validated project: settings, registries and briefings by id."""

    root: Path
    settings: ProjectSettings
    actors: dict[str, Actor] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    briefings: dict[str, Briefing] = field(default_factory=dict)
    # (briefing id, statement id) of each direct quote -> whether it was found in the archived
    # text of the source it cites. A quote missing here is unverified, and renderers say so.
    quote_status: dict[tuple[str, str], QuoteStatus] = field(default_factory=dict)
    # Issued versions of each briefing from git, oldest first (briefgen.history; empty when
    # the command reads no history), and who approved each briefing as it is now.
    versions: dict[str, tuple[IssuedVersion, ...]] = field(default_factory=dict)
    approved_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Briefings of this project that are releasable editions (issue 14): key -> the id of the
    # note they are cut from and the edition's label (see briefgen.model.editions).
    editions: dict[str, tuple[str, Tlp]] = field(default_factory=dict)


QuoteStatus = Literal["verified", "unverified"]


__all__ = [
    "Actor",
    "ActorsFile",
    "Briefing",
    "Citation",
    "EdtfDate",
    "IssuedVersion",
    "Project",
    "ProjectSettings",
    "QuoteStatus",
    "References",
    "Role",
    "Source",
    "SourcesFile",
    "Tlp",
    "briefing_references",
]
