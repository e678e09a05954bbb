"""An issued version of a briefing, as the project's git history holds it.

Data only: :mod:`briefgen.history` reads it from git; renderers print the version history and
the changes box from it, and the build key counts it.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.model.briefings import Briefing


@dataclass(frozen=True)
class IssuedVersion:
    """One issued version: the briefing as committed, the commit, who approved that content."""

    version: str
    commit: str
    committed: int  # the commit's time, seconds since the epoch
    briefing: Briefing
    approved_by: tuple[str, ...] = ()
