"""The publish gate for direct quotes: a public page carries only quotes checked at their source.

A draft may hold quotes that were never compared with an archived copy of their source (they
are marked UNVERIFIED), but the public site is where a misquote does harm. So by default
``publish`` refuses a release that holds one, naming each; a project that accepts the risk says
so once, with ``publish_unverified_quotes: true`` in briefgen.yaml, and the pages still mark
each such quote. Briefings withheld by the publish ceiling are not released, so they do not
count.
"""

from __future__ import annotations

from collections.abc import Iterable

from briefgen.diagnostics import Diagnostic, Severity
from briefgen.model import Project
from briefgen.provenance.verify import QuoteOutcome
from briefgen.site.ceiling import releasable

SETTING = "publish_unverified_quotes"


def unverified_in_release(project: Project, outcomes: Iterable[QuoteOutcome]) -> list[Diagnostic]:
    """One error at each unverified direct quote of a briefing the site would release.

    Empty when the project opts in to publishing unverified quotes.
    """
    if project.settings.publish_unverified_quotes:
        return []
    ceiling = project.settings.publish_ceiling
    released = {
        briefing_id
        for briefing_id, briefing in project.briefings.items()
        if releasable(briefing.marking, ceiling)
    }
    return [
        Diagnostic(
            outcome.location,
            Severity.ERROR,
            f"quote '{outcome.statement_id}' is unverified, and publish releases only quotes "
            "checked against an archived source",
            f"archive the source: docs/provenance.md; or set '{SETTING}: true' in briefgen.yaml "
            "to publish it marked UNVERIFIED",
            code="unverified-quote-published",
        )
        for outcome in outcomes
        if outcome.status == "unverified" and outcome.briefing_id in released
    ]
