"""Issued versions of briefings, read from the project's own git repository; fact-level diffs.

Level 2 of the pipeline (beside ``provenance``): it imports ``load`` and ``model`` only. See
docs/versions.md.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.diagnostics import Report
from briefgen.history.approvals import Approval, content_digest, is_author, read_approvals
from briefgen.history.repository import OpenedRepository, open_repository
from briefgen.history.versions import issued_versions_of
from briefgen.model import Briefing, IssuedVersion, Project

__all__ = ["IssuedVersion", "ProjectHistory", "approvers", "read_history", "with_history"]


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
    except Exception as exc:
        return ProjectHistory(note=f"cannot read the git history: {type(exc).__name__}: {exc}")
    finally:
        opened.repo.close()


def approvers(approvals: list[Approval], briefing: Briefing) -> tuple[str, ...]:
    """Who approved exactly this content of the briefing (its authors' own approvals aside)."""
    digest = content_digest(briefing)
    names = [a.by for a in approvals if a.digest == digest and not is_author(a.by, briefing)]
    return tuple(dict.fromkeys(names))


def with_history(project: Project) -> tuple[Project, str | None]:
    """The project with each briefing's issued versions and approvals; the note if no history.

    Problems of content/approvals.yaml are not reported here (``publish`` reports them when
    approvals are required): a file with problems counts as no approvals.
    """
    ids = sorted(project.briefings)
    history = read_history(project.root, ids)
    approvals = read_approvals(project.root, Report())
    versions: dict[str, tuple[IssuedVersion, ...]] = {}
    for bid in ids:
        given = approvals.get(bid, [])
        versions[bid] = tuple(
            dataclasses.replace(v, approved_by=approvers(given, v.briefing))
            for v in history.of(bid)
        )
    approved_by = {
        bid: approvers(approvals.get(bid, []), b) for bid, b in project.briefings.items()
    }
    updated = dataclasses.replace(project, versions=versions, approved_by=approved_by)
    return updated, history.note
