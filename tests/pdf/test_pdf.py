"""The PDF WeasyPrint wrote, read back: markings, page numbers, endnotes, quotes, metadata."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.render import build_view
from briefgen.validate import validate_project
from tests.conftest import REPO, run_cli
from tests.render.helpers import (
    FIXTURES,
    REFERENCE_ID,
    build,
    copy_fixture,
    page_runs,
    pdf_text,
    reference_available,
)

FULL_ID = "water-quotas-2024-03"


@pytest.fixture(scope="module")
def full_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("full", tmp_path_factory.mktemp("full"))
    return build(project, "--format", "pdf") / FULL_ID / "briefing.pdf"


def _projects() -> list[tuple[Path, str]]:
    found = [(FIXTURES / "full", FULL_ID)]
    if reference_available():
        found.append((REPO, REFERENCE_ID))
    return found


def test_marking_in_header_and_footer_of_every_page(full_pdf: Path) -> None:
    pages = page_runs(full_pdf)
    height, width = (float(v) for v in PdfReader(full_pdf).pages[0].mediabox[2:][::-1])
    assert len(pages) >= 2
    for number, runs in enumerate(pages, start=1):
        labels = [r for r in runs if r.text == "TLP:AMBER+STRICT"]
        top = [r for r in labels if r.y > height * 0.9]
        bottom = [r for r in labels if r.y < height * 0.1]
        assert top and bottom, f"page {number}: marking missing in header or footer"
        for run in top + bottom:
            assert run.size >= 12 - 0.01, f"page {number}: marking in {run.size} pt"
            assert run.x > width / 2, f"page {number}: marking not on the right"


def test_page_n_of_m(full_pdf: Path) -> None:
    pages = page_runs(full_pdf)
    for number, runs in enumerate(pages, start=1):
        assert any(r.text == f"Page {number} of {len(pages)}" for r in runs)


def test_page_size_from_project(full_pdf: Path) -> None:
    box = PdfReader(full_pdf).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # Letter


def test_metadata_from_the_briefing(full_pdf: Path) -> None:
    info = PdfReader(full_pdf).metadata
    assert info is not None
    assert info.title == "River Basin Council keeps seasonal water quotas"
    assert info["/Author"] == "First Analyst, Second Analyst"
    assert "TLP:AMBER+STRICT" in info["/Subject"]
    assert info["/CreationDate"] == "D:20240308"


def test_bookmarks_from_headings(full_pdf: Path) -> None:
    outline = PdfReader(full_pdf).outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles[0] == "River Basin Council keeps seasonal water quotas"
    flat = str(outline)
    for heading in ("Bottom line up front", "Timeline", "Statements", "Recommendations"):
        assert heading in flat


@pytest.mark.parametrize(("root", "briefing_id"), _projects())
def test_quotes_and_endnotes_in_pdf(root: Path, briefing_id: str, tmp_path: Path) -> None:
    project, _ = validate_project(root)
    assert project is not None
    view = build_view(project, briefing_id)
    out = tmp_path / "out"
    result = run_cli(
        "build", str(root), "--format", "pdf", "--only", briefing_id, "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    text = pdf_text(out / briefing_id / "briefing.pdf")
    for statement in view.statements:
        # A right-to-left quote's glyphs stand in visual order on the page, and text extraction
        # guesses at its order; its text is read from the structure tree instead, where it is
        # in logical order (tests/pdf/test_pdf_languages.py).
        if statement.is_quote and statement.dir != "rtl":
            words = re.sub(r"\s+", " ", statement.text)
            assert f"“{words}”" in text
    # Endnotes appear in number order, each with its source's label.
    positions = [text.find(f"{n.number}. {n.label}") for n in view.endnotes]
    assert all(p >= 0 for p in positions), positions
    assert positions == sorted(positions)


def test_endnote_numbers_match_citations(full_pdf: Path) -> None:
    # The links behind the superscript numbers point at the endnote with that number.
    reader = PdfReader(full_pdf)
    texts = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            obj = annot.get_object()
            assert "/URI" not in obj.get("/A", {}) or obj["/A"]["/URI"].startswith("https://")
            texts.append(obj)
    assert texts, "no links in the PDF"
    text = pdf_text(full_pdf)
    # First use: the council notice is cited first in the summary, so it is endnote 1.
    assert "1. River Basin Council. “Notice on seasonal water quotas”" in text
    assert "2. The Valley Gazette, citing Delta Radio." in text
    assert "3. Basin Wire Agency, citing The Valley Gazette and River Basin Council." in text


def test_arabic_and_hebrew_names_are_text(full_pdf: Path) -> None:
    text = pdf_text(full_pdf)
    for name in ("ليلى حداد", "אבי לוין"):
        # Extraction may give RTL runs in either order; the characters must all be there.
        assert name in text or name[::-1] in text or set(name) <= set(text), name


def _structure_types(node: object, found: set[str]) -> set[str]:
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for child in node:
            _structure_types(child, found)
    elif isinstance(node, dict):
        if "/S" in node:
            found.add(str(node["/S"]))
        if "/K" in node and not isinstance(node["/K"], int):
            _structure_types(node["/K"], found)
    return found


def test_pdf_is_tagged_for_accessibility(full_pdf: Path) -> None:
    # PDF/UA-1: marked content, a structure tree with the document's headings, lists and
    # tables, its language, and the title shown instead of the file name.
    root = PdfReader(full_pdf).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()
    tree = root["/StructTreeRoot"].get_object()
    types = _structure_types(tree["/K"], set())
    assert {"/H1", "/H2", "/L", "/LI", "/Table", "/TH", "/BlockQuote", "/Link"} <= types
