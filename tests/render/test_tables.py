"""Markdown pipe tables: real tables in HTML and PDF, kept as written in the Markdown edition.

A table goes into the ``background`` of the full fixture; the build is the real CLI.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from briefgen.render import narrative
from briefgen.render.narrative import CitationNumbers
from tests.render.helpers import build, copy_fixture, pdf_text

BRIEFING = "water-quotas-2024-03"
ANCHOR = "  - The last review was in [2022](https://example.org/council/review-2022).\n"
TABLE = """\
| Town | Spring quota | Change |
|:-----|-------------:|:------:|
| Easttown | 1,200 m³ | −5% |
| Westbury | 1,800 m³ [@council-notice-2024-02] | none |
| Hostile <script>alert(1)</script> | [click me](javascript:alert(2)) | ok |
"""


class _Cells(HTMLParser):
    """Every table cell of a page: (tag, attributes, text), and every tag and href seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[tuple[str, dict[str, str | None], str]] = []
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self._open: tuple[str, dict[str, str | None]] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")
        if tag in ("th", "td"):
            self._open, self._text = (tag, dict(attrs)), []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._open:
            self.cells.append((*self._open, "".join(self._text).strip()))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("full", tmp_path_factory.mktemp("tables"))
    path = project / "content" / "briefings" / f"{BRIEFING}.yaml"
    text = path.read_text(encoding="utf-8")
    assert ANCHOR in text
    indented = "".join(f"  {line}\n" for line in TABLE.splitlines())
    path.write_text(text.replace(ANCHOR, f"{ANCHOR}\n{indented}"), encoding="utf-8")
    return build(project) / BRIEFING


def _narrative_cells(html: str) -> _Cells:
    body = html[html.index('<div aria-label="Table" class="table-scroll"') :]
    parser = _Cells()
    parser.feed(body[: body.index("</table>")])
    return parser


def test_html_has_a_table_with_column_headers(built: Path) -> None:
    html = (built / "briefing.html").read_text(encoding="utf-8")
    cells = _narrative_cells(html)
    headers = [(attrs.get("scope"), text) for tag, attrs, text in cells.cells if tag == "th"]
    assert headers == [("col", "Town"), ("col", "Spring quota"), ("col", "Change")]
    data = [text for tag, _attrs, text in cells.cells if tag == "td"]
    assert data[:6] == ["Easttown", "1,200 m³", "−5%", "Westbury", "1,800 m³1", "none"]
    # Alignment is a class, never an align attribute or inline style.
    classes = [attrs.get("class") for _tag, attrs, _text in cells.cells[:3]]
    assert classes == ["align-left", "align-right", "align-center"]
    assert not any("align" in attrs or "style" in attrs for _t, attrs, _x in cells.cells)
    # The inline citation in a cell is an endnote marker.
    assert '1,800 m³<sup class="cite"><a href="#note-' in html


def test_hostile_cell_content_is_inert_in_html(built: Path) -> None:
    html = (built / "briefing.html").read_text(encoding="utf-8")
    cells = _narrative_cells(html)
    data = [text for tag, _attrs, text in cells.cells if tag == "td"]
    assert data[6:] == ["Hostile <script>alert(1)</script>", "click me", "ok"]
    assert "script" not in cells.tags
    assert not any("javascript" in href.lower() for href in cells.hrefs)
    assert "javascript:" not in html.lower()


def test_markdown_edition_keeps_the_table(built: Path) -> None:
    text = (built / "briefing.md").read_text(encoding="utf-8")
    assert "| Town | Spring quota | Change |\n|:-----|-------------:|:------:|\n" in text
    assert "| Easttown | 1,200 m³ | −5% |" in text
    assert "| Westbury | 1,800 m³ [1] | none |" in text
    # Hostile content: the tag is escaped, the unsafe link is its text.
    assert "| Hostile &lt;script>alert(1)&lt;/script> | click me | ok |" in text
    assert "javascript:" not in text.lower()


def test_pdf_shows_the_cells_and_tags_header_cells(built: Path) -> None:
    pdf = built / "briefing.pdf"
    text = pdf_text(pdf)
    for cell in ("Town", "Spring quota", "Change", "Easttown", "1,200", "Westbury", "none"):
        assert cell in text
    # Header cells are TH elements in the structure tree, and each data cell names its
    # column's header. WeasyPrint 70 writes no /Scope on a TH (it reads scope="row" only to
    # tell row headers from column headers); /Headers on the TD carries the same link.
    root = PdfReader(pdf).root_object["/StructTreeRoot"].get_object()
    assert isinstance(root, DictionaryObject)
    th_ids: set[str] = set()
    td_headers: list[list[str]] = []

    def walk(node: DictionaryObject) -> None:
        kind = node.get("/S")
        if kind == "/TH":
            th_ids.add(str(node["/ID"]))
        elif kind == "/TD":
            attributes = node["/A"].get_object()
            assert isinstance(attributes, DictionaryObject)
            td_headers.append([str(h) for h in attributes.get("/Headers", [])])
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            child = kid.get_object() if kid is not None else None
            if isinstance(child, DictionaryObject):
                walk(child)

    walk(root)
    assert len(th_ids) >= 3  # the table's three, besides the timeline's
    assert td_headers
    assert all(h and all(x in th_ids for x in h) for h in td_headers)


@pytest.mark.parametrize(
    "table",
    [
        "| a | b |\n|---|---|\n| x | y |",
        "| a | b |\n| :-- | --: |\n| *x* | [site](https://example.org) |",
        "| a | b |\n|---|---|\n| x \\| y | `code` |",
    ],
)
def test_plain_tables_are_inert(table: str) -> None:
    assert narrative.markdown_is_inert(table)
    assert narrative.to_markdown(table, CitationNumbers()) == table


@pytest.mark.parametrize(
    "table",
    [
        "| a | b |\n|---|---|\n| [x](javascript:alert(1)) | y |",
        "| a | b |\n|---|---|\n| ![i](http://127.0.0.1:9/px.png) | y |",
        "| a | b |\n|---|---|\n| <b>x</b> | y |",
        "| a |\n|---|\n| [x](java\\|script:alert(1)) |",
    ],
)
def test_live_content_in_cells_is_refused(table: str) -> None:
    assert not narrative.markdown_is_inert(table)
    written = narrative.to_markdown(table, CitationNumbers())
    assert narrative.markdown_is_inert(written)
    assert "](" not in written
    assert "<b>" not in written
