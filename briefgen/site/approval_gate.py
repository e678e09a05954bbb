"""The publish gate for approvals: with ``require_approval: true``, only approved briefings.

A briefing the site would release must carry an approval (``briefgen approve``) of its content
exactly as it is, by someone who is not one of its authors. Each refusal is an error located
at the briefing's file, naming what is wrong: no approval, approved only by an author, or
changed after the approval (the parts that changed). Briefings withheld by the publish ceiling
are not released, so they do not count; a briefing released as its edition does. ``build``
calls :func:`briefgen.history.approvals.unapproved` the same way for the editions it writes.
"""

from __future__ import annotations

from briefgen.diagnostics import Report
from briefgen.history.approvals import unapproved
from briefgen.model import Project
from briefgen.site.ceiling import releasable

__all__ = ["unapproved", "unapproved_in_release"]


def unapproved_in_release(project: Project, report: Report) -> None:
    """The approval errors of every briefing the site would release, when approval is on."""
    if not project.settings.require_approval:
        return
    ceiling = project.settings.publish_ceiling
    # A briefing above the ceiling is released as its edition when it lists one that fits;
    # the approval is of the note itself, which the edition is cut from.
    released = [
        briefing_id
        for briefing_id, briefing in sorted(project.briefings.items())
        if any(releasable(label, ceiling) for label in (briefing.marking, *briefing.editions))
    ]
    unapproved(project, released, report)
