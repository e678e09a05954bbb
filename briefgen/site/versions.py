"""Issued versions on the site: a stable page and PDF for each, at a stable address.

Version V of briefing ID is at ``briefings/ID/v/V.html`` (its PDF beside it, ``V.pdf``),
linked from the current page and given a feed entry of its own. Only versions at or below the
publish ceiling are there: :func:`briefgen.site.ceiling.apply_ceiling` has already dropped the
others, each judged by its own marking, so a version above the ceiling has no page, no PDF, no
file name, no feed entry and no link. A version is printed with today's registry of actors and
sources (what the history keeps is the briefing file); one whose version text cannot be a file
name, or that refers to an actor or source no longer there, is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from briefgen.model import IssuedVersion, Project
from briefgen.model.references import scoped_to

# A version that can be a file name as it is (never '..', never a '/').
SAFE_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(frozen=True)
class PastVersion:
    """One earlier issued version as the site prints it: its own project cut, its paths."""

    briefing_id: str
    version: str
    project: Project  # the project cut to this version of the briefing alone

    @property
    def page(self) -> str:
        """Site-relative path of the version's page."""
        return version_path(self.briefing_id, self.version, "html")

    @property
    def pdf(self) -> str:
        """Site-relative path of the version's PDF."""
        return version_path(self.briefing_id, self.version, "pdf")


def version_path(briefing_id: str, version: str, suffix: str) -> str:
    """'briefings/ID/v/1.0.html'."""
    return f"briefings/{briefing_id}/v/{version}.{suffix}"


def _known(project: Project, version: IssuedVersion) -> bool:
    """True when every actor and source the version names is in today's registry."""
    from briefgen.model.references import named_in

    named = named_in(version.briefing)
    return named.actors <= project.actors.keys() and named.sources <= project.sources.keys()


def past_versions(full: Project, released: Project, briefing_id: str) -> list[PastVersion]:
    """The earlier issued versions of a released briefing that the site shows, oldest first.

    ``full`` is the project before the ceiling (the registry the versions are printed with);
    ``released`` the project after it (its ``versions`` hold only releasable ones).
    """
    current = released.briefings[briefing_id].version
    versions = released.versions.get(briefing_id, ())
    out: list[PastVersion] = []
    for index, version in enumerate(versions):
        if version.version == current or not SAFE_VERSION.fullmatch(version.version):
            continue
        if not _known(full, version):
            continue
        # A quote keeps today's verdict only where its words are today's words.
        today = {s.id: s.text for s in released.briefings[briefing_id].statements}
        kept = {s.id for s in version.briefing.statements if today.get(s.id) == s.text}
        alone = replace(
            full,
            briefings={briefing_id: version.briefing},
            quote_status={
                k: v
                for k, v in full.quote_status.items()
                if k == (briefing_id, k[1]) and k[1] in kept
            },
            versions={briefing_id: versions[: index + 1]},
            approved_by={briefing_id: version.approved_by},
        )
        out.append(PastVersion(briefing_id, version.version, scoped_to(alone, (briefing_id,))))
    return out
