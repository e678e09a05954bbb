"""A small PDF archive cannot keep ``validate`` busy for hours (pypdf reads content streams slowly).

The PDFs are written byte by byte here: pages that share one big content stream, and a page
that draws one big form XObject thousands of times. Each is refused at once with a located
error; an ordinary PDF of many pages still reads.
"""

from __future__ import annotations

import shutil
import time
import zlib
from pathlib import Path

import pytest

from briefgen.provenance import archives
from briefgen.provenance.archives import ArchiveError, pdf_text
from tests.conftest import run_cli

BASE = Path(__file__).resolve().parent / "base"
SOURCES = "content/sources.yaml"
AUTHORITY_HTML = "path: content/archive/authority-2024-03-01.html"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(content, 9)
    head = b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(packed), extra)
    return head + packed + b"\nendstream"


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF with these objects (1 is the catalog, 2 the page tree) and a correct xref."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _pages_pdf(contents: list[bytes], pages: int, form: bytes | None = None) -> bytes:
    """``pages`` pages; page i draws ``contents[i % len(contents)]`` (shared objects).

    Objects: 1 catalog, 2 page tree, 3 font, 4 the optional form, then the content streams,
    then the pages.
    """
    first_content, first_page = 5, 5 + len(contents)
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    xobject = b"/XObject << /F0 4 0 R >>" if form is not None else b""
    form_dict = (
        b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
    )
    form_body = _stream(form, form_dict) if form is not None else b"null"
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> %s >> /Contents %d 0 R >>"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        FONT,
        form_body,
        *(_stream(content) for content in contents),
        *(page % (xobject, first_content + i % len(contents)) for i in range(pages)),
    ]
    return _pdf(objects)


def _text_ops(count: int) -> bytes:
    return b"BT /F1 12 Tf 10 10 Td " + b"(a) Tj " * count + b"ET"


def _shared_stream_bomb() -> bytes:
    # The reviewer's shape: 30 pages, one stream of 100,000 text operations (a 6 KB file).
    return _pages_pdf([_text_ops(100_000)], pages=30)


def _form_bomb() -> bytes:
    # One page drawing a form of 20,000 text operations 5,000 times.
    return _pages_pdf([b"/F0 Do " * 5000], pages=1, form=_text_ops(20_000))


@pytest.mark.parametrize("make", [_shared_stream_bomb, _form_bomb], ids=["shared", "form"])
def test_complex_pdf_is_refused_at_once(make: object) -> None:
    assert callable(make)
    data = make()
    assert len(data) < 20_000
    start = time.monotonic()
    with pytest.raises(ArchiveError, match="the PDF is too complex to read") as caught:
        pdf_text(data, "content/archive/bomb.pdf")
    assert time.monotonic() - start < 5
    assert "content/archive/bomb.pdf" in str(caught.value)


def test_ordinary_pdf_of_many_pages_reads() -> None:
    lines = b"".join(b"(Line %d of an ordinary page) Tj 0 -14 Td " % n for n in range(40))
    pages = [b"BT /F1 12 Tf 72 720 Td (Page %d) Tj 0 -14 Td " % i + lines + b"ET" for i in range(3)]
    data = _pages_pdf(pages, pages=200)
    text = pdf_text(data, "content/archive/long.pdf")
    assert "Line 39 of an ordinary page" in text
    assert text.count("Line 0 of an ordinary page") == 200


def test_the_budget_counts_every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page counts its stream, shared or not: 10 pages of one 1 MB stream are 10 MB."""
    data = _pages_pdf([_text_ops(20_000)], pages=10)  # 140 KB of content per page
    monkeypatch.setattr(archives, "MAX_PDF_CONTENT_BYTES", 1_000_000)
    with pytest.raises(ArchiveError, match="up to page 8 draw more than"):
        pdf_text(data, "content/archive/x.pdf")


def test_validate_reports_the_archive_and_stops_quickly(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    (project / "content/archive/bomb.pdf").write_bytes(_shared_stream_bomb())
    sources = project / SOURCES
    text = sources.read_text(encoding="utf-8")
    assert AUTHORITY_HTML in text
    sources.write_text(text.replace(AUTHORITY_HTML, "path: content/archive/bomb.pdf"), "utf-8")
    start = time.monotonic()
    result = run_cli("validate", str(project))
    assert time.monotonic() - start < 30
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{SOURCES}:" in result.stdout
    assert "archive content/archive/bomb.pdf: the PDF is too complex to read" in result.stdout
