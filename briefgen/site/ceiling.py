"""The publish ceiling: cut a project down to what the public site may hold.

The site stage only ever sees the Project returned by :func:`apply_ceiling`. Briefings marked
above the ceiling are removed, and so are the actors and sources that only those briefings
mention, so nothing of a withheld briefing can reach a page, a feed entry or a file name: it is
simply not in the input.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from briefgen.model import Briefing, Project, Tlp
from briefgen.model.editions import with_edition
from briefgen.model.references import scoped_to


@dataclass(frozen=True)
class Withheld:
    """A briefing left out of the site, and why."""

    briefing_id: str
    marking: Tlp
    ceiling: Tlp

    @property
    def reason(self) -> str:
        """'marked TLP:AMBER, above the publish ceiling TLP:CLEAR'."""
        return f"marked {self.marking.value}, above the publish ceiling {self.ceiling.value}"


@dataclass(frozen=True)
class PublishedEdition:
    """A briefing above the ceiling published as a releasable edition it lists (issue 14)."""

    briefing_id: str
    marking: Tlp
    edition: Tlp

    @property
    def reason(self) -> str:
        """'marked TLP:AMBER, published as its edition TLP:CLEAR'."""
        return f"marked {self.marking.value}, published as its edition {self.edition.value}"


@dataclass(frozen=True)
class CeilingResult:
    """The releasable part of a project and the briefings withheld from it."""

    project: Project
    withheld: tuple[Withheld, ...]
    as_editions: tuple[PublishedEdition, ...] = ()


def releasable(marking: Tlp, ceiling: Tlp) -> bool:
    """True when a briefing marked ``marking`` may appear on a site capped at ``ceiling``."""
    return marking.rank <= ceiling.rank


def apply_ceiling(project: Project, ceiling: Tlp | None = None) -> CeilingResult:
    """The project restricted to briefings at or below ``ceiling`` (default: the project's).

    A briefing above the ceiling that lists an edition at or below it (``editions:``) is
    published as the highest such edition, cut before anything else sees it
    (:func:`briefgen.model.editions.with_edition`), in the note's place.

    Actors and sources survive only when a released briefing refers to them, as
    :func:`briefgen.model.references.scoped_to` cuts it (directly, through a
    source's ``cites`` chain, or as the organisation of a kept actor's role).
    """
    limit = ceiling or project.settings.publish_ceiling
    kept: dict[str, Briefing] = {}
    withheld: list[Withheld] = []
    as_editions: list[PublishedEdition] = []
    for briefing_id in sorted(project.briefings):
        briefing = project.briefings[briefing_id]
        edition = _releasable_edition(briefing, limit)
        if releasable(briefing.marking, limit):
            kept[briefing_id] = briefing
        elif edition is not None:
            project = with_edition(project, briefing_id, edition)
            kept[briefing_id] = project.briefings[briefing_id]
            as_editions.append(PublishedEdition(briefing_id, briefing.marking, edition))
        else:
            withheld.append(Withheld(briefing_id, briefing.marking, limit))
    # Exactly what the released briefings refer to: the cut the build key rests on too.
    filtered = scoped_to(project, kept)
    # The ceiling applies to each issued version on its own: one above it is not there at all
    # (no page, no feed entry, no change box drawn from it).
    versions = {
        k: tuple(v for v in found if releasable(v.briefing.marking, limit))
        for k, found in filtered.versions.items()
    }
    released = replace(filtered, versions=versions)
    return CeilingResult(released, tuple(withheld), tuple(as_editions))


def _releasable_edition(briefing: Briefing, limit: Tlp) -> Tlp | None:
    """The highest edition ``briefing`` lists at or below ``limit``, if any."""
    fitting = [label for label in briefing.editions if releasable(label, limit)]
    return max(fitting, key=lambda t: t.rank) if fitting else None
