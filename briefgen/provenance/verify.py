"""Quote verification: direct quotes and excerpts checked against archived source text."""

from __future__ import annotations

from pathlib import Path

from briefgen.diagnostics import Report
from briefgen.model import QuoteStatus
from briefgen.validate.context import BriefingContext, Registry


def check_quotes(
    root: Path, registry: Registry, contexts: list[BriefingContext], report: Report
) -> dict[tuple[str, str], QuoteStatus]:
    """Check every direct quote and excerpt against its sources' archives (being written)."""
    return {}
