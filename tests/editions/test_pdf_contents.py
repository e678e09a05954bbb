"""The reader PDF's printed contents: kept when the note, laid out with them, runs over four pages.

In-process, through :func:`briefgen.editions.render_briefing`, with ``briefgen.pdf._document``
(what lays out one page) wrapped to count and record the pages laid out, never replaced. The PDF
written is read back with poppler's pdftotext: the page number printed for each section is the
page where that heading really stands.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

import briefgen.pdf
from briefgen.editions import render_briefing
from briefgen.model import Project
from briefgen.render.layouts import ANALYST, READER, with_layout
from briefgen.render.reader import (
    CONTENTS_OVER_PAGES,
    build_reader_view,
    keeps_contents,
    may_print_contents,
)
from briefgen.render.view import build_view
from briefgen.validate import validate_project
from tests.render.helpers import REFERENCE_ID, copy_fixture, reference_available, reference_copy

FULL_ID = "water-quotas-2024-03"  # the full fixture's note for decision: under four pages
# A line of the printed contents: the heading, dot leaders, the page number.
ENTRY = re.compile(r"^(\S.*?)\s*\.{3,}\s*(\d+)$", re.MULTILINE)
MARKER = 'class="contents contents-print"'  # the printed contents list in the page laid out

needs_reference = pytest.mark.skipif(not reference_available(), reason="no reference content")


@dataclass(frozen=True)
class Made:
    """A PDF written by briefgen, and every page laid out on the way to it, in order."""

    pdf: Path
    laid_out: tuple[str, ...]

    def page_text(self, number: int) -> str:
        """The text of one page, as pdftotext extracts it."""
        return pdftotext(self.pdf, number)

    @property
    def pages(self) -> int:
        """How many pages the PDF has."""
        return len(PdfReader(self.pdf).pages)


def pdftotext(pdf: Path, page: int) -> str:
    """The text of page ``page`` of ``pdf`` (poppler)."""
    command = ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout


@pytest.fixture(scope="module")
def counted_layouts() -> Iterator[list[str]]:
    """The pages ``briefgen.pdf._document`` lays out in this module (wrapped, not replaced)."""
    seen: list[str] = []
    original = briefgen.pdf._document

    def counting(project: Project, html: str, sheets: list[Any]) -> Any:
        seen.append(html)
        return original(project, html, sheets)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(briefgen.pdf, "_document", counting)
        yield seen


def _make(project: Project, briefing_id: str, out: Path, seen: list[str]) -> Made:
    """Render one briefing's PDF in-process, write it to ``out``; the pages laid out for it."""
    before = len(seen)
    data = render_briefing(project, briefing_id, ("pdf",))["briefing.pdf"]
    out.write_bytes(data)
    return Made(out, tuple(seen[before:]))


def _validated(root: Path, layout: str) -> Project:
    project = validate_project(root).project
    assert project is not None
    return with_layout(project, layout)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def reference_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the reference project (its own setting: the reader layout)."""
    return reference_copy(tmp_path_factory.mktemp("contents"), layout=None)


@pytest.fixture(scope="module")
def reference_reader(reference_root: Path, counted_layouts: list[str]) -> Made:
    """The reference briefing's reader PDF: a long note."""
    project = _validated(reference_root, READER)
    return _make(project, REFERENCE_ID, reference_root / "reader.pdf", counted_layouts)


@pytest.fixture(scope="module")
def reference_analyst(reference_root: Path, counted_layouts: list[str]) -> Made:
    """The reference briefing's analyst PDF: as long, never with a contents list."""
    project = _validated(reference_root, ANALYST)
    return _make(project, REFERENCE_ID, reference_root / "analyst.pdf", counted_layouts)


@pytest.fixture(scope="module")
def short_reader(tmp_path_factory: pytest.TempPathFactory, counted_layouts: list[str]) -> Made:
    """The full fixture's note in the reader layout: four pages or fewer, even with contents."""
    root = copy_fixture("full", tmp_path_factory.mktemp("short"))
    return _make(_validated(root, READER), FULL_ID, root / "short.pdf", counted_layouts)


def test_the_rule_counts_pages_laid_out_with_the_contents() -> None:
    assert CONTENTS_OVER_PAGES == 4
    assert not keeps_contents(4) and keeps_contents(5)
    assert may_print_contents(READER) and not may_print_contents(ANALYST)


@needs_reference
def test_a_long_reader_note_is_laid_out_once_with_its_contents(reference_reader: Made) -> None:
    assert reference_reader.pages > CONTENTS_OVER_PAGES
    assert len(reference_reader.laid_out) == 1
    assert MARKER in reference_reader.laid_out[0]


@needs_reference
def test_printed_page_numbers_are_where_the_headings_are(
    reference_reader: Made, reference_root: Path
) -> None:
    first = reference_reader.page_text(1)
    assert "CONTENTS" in first
    entries = {heading: int(page) for heading, page in ENTRY.findall(first)}
    project = _validated(reference_root, READER)
    sections = build_reader_view(build_view(project, REFERENCE_ID)).sections
    # Every section is listed, and only those (two columns: pdftotext reads them row by row).
    assert set(entries) == {s.heading for s in sections}, first
    texts = {n: reference_reader.page_text(n) for n in range(1, reference_reader.pages + 1)}
    for heading, printed in entries.items():
        # The heading stands on a line of its own there; a contents entry has leaders after it.
        standing = [n for n, text in texts.items() if re.search(rf"^{heading}$", text, re.M)]
        assert standing == [printed], (heading, printed, standing)
    assert entries["Sources"] == reference_reader.pages  # the endnotes end the note
    assert sorted(entries.values()) == [entries[s.heading] for s in sections]


@needs_reference
def test_the_analyst_layout_has_no_contents_and_one_layout(reference_analyst: Made) -> None:
    assert reference_analyst.pages > CONTENTS_OVER_PAGES
    assert len(reference_analyst.laid_out) == 1
    assert MARKER not in reference_analyst.laid_out[0]
    pages = range(1, reference_analyst.pages + 1)
    text = "".join(reference_analyst.page_text(n) for n in pages)
    assert "contents" not in text.casefold()
    assert not ENTRY.search(text)


def test_a_short_reader_note_drops_its_contents(short_reader: Made) -> None:
    assert short_reader.pages <= CONTENTS_OVER_PAGES
    # Laid out with the contents first (four pages or fewer), then once more without them.
    assert len(short_reader.laid_out) == 2
    assert MARKER in short_reader.laid_out[0] and MARKER not in short_reader.laid_out[1]
    text = "".join(short_reader.page_text(n) for n in range(1, short_reader.pages + 1))
    assert "contents" not in text.casefold()
    assert not ENTRY.search(text)
