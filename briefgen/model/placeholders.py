"""The placeholder texts ``briefgen new`` writes, defined once for the skeleton and the check.

``briefgen new`` lays out every section of a briefing with a line saying what goes there;
validation reports each such line still in a briefing, so that an untouched skeleton cannot
pass (and be built into a note that says nothing).
"""

from __future__ import annotations

import re

TITLE = "Untitled briefing"
AUTHOR = "Analyst"
SUMMARY = "Bottom line up front: one or two sentences a reader must take away."
BACKGROUND = "What a reader needs to know to follow the rest."
OUTLOOK = "What to expect next."
RECOMMENDATION = "What to decide, and why."

# The briefing key each placeholder is written under (for a list, each of its items).
PLACEHOLDERS: dict[str, str] = {
    "title": TITLE,
    "authors": AUTHOR,
    "summary": SUMMARY,
    "background": BACKGROUND,
    "outlook": OUTLOOK,
    "recommendations": RECOMMENDATION,
}

_SPACE = re.compile(r"\s+")
_TEXTS = frozenset(_SPACE.sub(" ", text).strip().casefold() for text in PLACEHOLDERS.values())


def is_placeholder(value: str) -> bool:
    """True when ``value`` is one of the placeholder texts (white space and case aside)."""
    return _SPACE.sub(" ", value).strip().casefold() in _TEXTS
