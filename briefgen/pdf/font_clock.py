"""The time stamped into subset fonts: the briefing's, never the clock's.

Without the system library libharfbuzz-subset, WeasyPrint subsets each embedded font with
fontTools, and ``TTFont.save`` recalculates the ``head`` table's modification time:
``fontTools.misc.timeTools.timestampNow``, which is the wall clock unless
``SOURCE_DATE_EPOCH`` is set. WeasyPrint 70 offers no option to keep the font's own time
(``TTFont(recalcTimestamp=False)`` is not reachable from its ``subset`` code), so while a
PDF is written ``SOURCE_DATE_EPOCH`` holds a time taken from the briefing itself, unless the
user already set one (that one is used as it is, and is part of the build key). With
HarfBuzz nothing reads it: HarfBuzz keeps the font's own time. Either way the same input
gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from briefgen.model import Briefing

VARIABLE = "SOURCE_DATE_EPOCH"
# os.environ is the whole process's: PDFs written in two threads at once (the preview server)
# take turns, so that neither restores the other's value.
_lock = threading.Lock()


def briefing_epoch(briefing: Briefing) -> int:
    """Seconds from 1970 to the first day the briefing's issue date covers (0 for earlier)."""
    first, _ = briefing.issued.sort_key()
    return max(0, (first - dt.date(1970, 1, 1)).days * 86_400)


def user_epoch_set() -> bool:
    """True when ``SOURCE_DATE_EPOCH`` is a number fontTools will use as it is."""
    return os.environ.get(VARIABLE, "").strip().isdigit()


@contextmanager
def fixed_font_clock(briefing: Briefing) -> Iterator[None]:
    """While the block runs, subset fonts are stamped with the briefing's issue date."""
    if user_epoch_set():
        yield
        return
    with _lock:
        previous = os.environ.get(VARIABLE)
        os.environ[VARIABLE] = str(briefing_epoch(briefing))
        try:
            yield
        finally:
            if previous is None:
                del os.environ[VARIABLE]
            else:
                os.environ[VARIABLE] = previous
