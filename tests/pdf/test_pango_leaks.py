"""briefgen.pdf.pango_leaks: what WeasyPrint leaks in Pango is freed, the PDF unchanged.

The leak itself is measured by the scale benchmark (memory growth per 100 PDFs); here, that
the stand-in is in place for the WeasyPrint installed, keeps one features attribute per
features string however many PDFs are made, and changes no byte of a PDF.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import weasyprint
from weasyprint.pdf import fonts as weasy_pdf_fonts
from weasyprint.text import ffi as weasy_text_ffi
from weasyprint.text import line_break as weasy_line_break

import briefgen.pdf  # noqa: F401  (installs the stand-in)
from briefgen.pdf import font_configuration, pango_leaks

# List markers (tabular numbers, from WeasyPrint's own ::marker rule), kerning turned off,
# letter spacing and overflow-wrap: every way Layout.setup and set_text give text attributes.
PAGE = """<!doctype html><html lang="en"><body>
<h1 style="font-kerning: none">Heading</h1>
<ol><li>First point</li><li>Second point</li><li>Third point</li></ol>
<ul><li>A bullet</li></ul>
<p style="letter-spacing: .05em; overflow-wrap: anywhere">https://example.org/a/very/long/url</p>
</body></html>"""


def _pdf() -> bytes:
    document = weasyprint.HTML(string=PAGE).render(font_config=font_configuration())
    data: bytes = document.write_pdf(pdf_identifier=False)
    return data


@contextmanager
def _without_stand_in() -> Iterator[None]:
    stand_in: Any = weasy_line_break.pango
    weasy_line_break.pango = weasy_pdf_fonts.pango = stand_in._lib
    try:
        yield
    finally:
        weasy_line_break.pango = weasy_pdf_fonts.pango = stand_in


def test_installed_for_the_checked_weasyprint_only() -> None:
    # Another WeasyPrint gets no stand-in (it may free these itself: freeing twice would
    # crash); check its Font and Layout.setup again, then add its version to let it have one.
    if weasyprint.__version__.split(".")[0] not in pango_leaks.CHECKED_VERSIONS:
        assert not pango_leaks.install()
        assert not isinstance(weasy_line_break.pango, pango_leaks._Pango)
        pytest.skip(f"WeasyPrint {weasyprint.__version__} is not checked: no stand-in")
    assert isinstance(weasy_line_break.pango, pango_leaks._Pango)
    assert weasy_pdf_fonts.pango is weasy_line_break.pango
    assert pango_leaks.install()  # a second install keeps the one stand-in
    assert weasy_line_break.pango._lib is weasy_text_ffi.pango


HAS_STAND_IN = pytest.mark.skipif(
    not isinstance(weasy_line_break.pango, pango_leaks._Pango),
    reason="no stand-in for this WeasyPrint (see the test above)",
)


@HAS_STAND_IN
def test_one_features_attribute_per_features_string() -> None:
    stand_in: Any = weasy_line_break.pango
    _pdf()
    kept = dict(stand_in._features)
    assert kept  # the markers' tabular numbers, the heading's kerning
    for _ in range(3):
        _pdf()
    assert stand_in._features == kept
    first = stand_in.pango_attr_font_features_new(b"tnum 1")
    assert stand_in.pango_attr_font_features_new(b"tnum 1") == first


@HAS_STAND_IN
def test_same_pdf_bytes_as_weasyprint_alone() -> None:
    with _without_stand_in():
        alone = _pdf()
    assert _pdf() == alone
