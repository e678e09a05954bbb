"""The publish gate for approvals: with ``require_approval: true``, only approved briefings.

A briefing the site would release must carry an approval (``briefgen approve``) of its content
exactly as it is, by someone who is not one of its authors. Each refusal is an error located
at the briefing's file, naming what is wrong: no approval, approved only by an author, or
changed after the approval (the parts that changed). Briefings withheld by the publish ceiling
are not released, so they do not count. Release editions call :func:`unapproved` the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

from briefgen.diagnostics import Diagnostic, Location, Report, Severity
from briefgen.history.approvals import read_approvals, verdict
from briefgen.model import Project
from briefgen.site.ceiling import releasable

SETTING = "require_approval"


def unapproved(project: Project, briefing_ids: Iterable[str], report: Report) -> None:
    """One error in ``report`` for each of ``briefing_ids`` without a valid approval."""
    approvals = read_approvals(project.root, report)
    for briefing_id in briefing_ids:
        result = verdict(project.briefings[briefing_id], approvals.get(briefing_id, []))
        if result.problem is None:
            continue
        report.items.append(
            Diagnostic(
                Location(f"content/briefings/{briefing_id}.yaml", 1, 1),
                Severity.ERROR,
                f"'{briefing_id}' {result.problem}, and publish requires an approval "
                f"('{SETTING}: true' in briefgen.yaml)",
                f"have a reviewer who is not an author run 'briefgen approve {briefing_id} "
                "--by NAME', and commit content/approvals.yaml",
                code="approval-required",
            )
        )


def unapproved_in_release(project: Project, report: Report) -> None:
    """The approval errors of every briefing the site would release, when approval is on."""
    if not project.settings.require_approval:
        return
    ceiling = project.settings.publish_ceiling
    released = [
        briefing_id
        for briefing_id, briefing in sorted(project.briefings.items())
        if releasable(briefing.marking, ceiling)
    ]
    unapproved(project, released, report)
