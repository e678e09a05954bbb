"""The facts of a briefing: moved to :mod:`briefgen.model.facts`, re-exported for old imports."""

from __future__ import annotations

from briefgen.model.facts import FACT_LISTS, Fact, iter_facts, iter_markdown

__all__ = ["FACT_LISTS", "Fact", "iter_facts", "iter_markdown"]
