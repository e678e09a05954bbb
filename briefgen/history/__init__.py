"""Issued versions of briefings, read from the project's own git repository; fact-level diffs.

Level 2 of the pipeline (beside ``provenance``): it imports ``load`` and ``model`` only. See
docs/versions.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from briefgen.history.repository import OpenedRepository, open_repository
from briefgen.history.versions import IssuedVersion, issued_versions_of

__all__ = ["IssuedVersion", "ProjectHistory", "read_history"]


@dataclass(frozen=True)
class ProjectHistory:
    """The issued versions of each briefing asked for; ``note`` says why there are none."""

    versions: dict[str, list[IssuedVersion]] = field(default_factory=dict)
    note: str | None = None

    def of(self, briefing_id: str) -> list[IssuedVersion]:
        """The issued versions of one briefing, oldest first (empty without history)."""
        return self.versions.get(briefing_id, [])


def read_history(root: Path, briefing_ids: list[str]) -> ProjectHistory:
    """Issued versions of the given briefings; empty, with a note, when git cannot be read."""
    opened: OpenedRepository = open_repository(root)
    if opened.repo is None:
        return ProjectHistory(note=opened.reason)
    try:
        return ProjectHistory(issued_versions_of(opened.repo, briefing_ids))
    finally:
        opened.repo.close()
