"""What WeasyPrint's tagged PDF leaves out: the language of parts, and RTL text in logical order.

WeasyPrint (70) writes the document's language (the catalog's ``/Lang``, from ``<html lang>``)
but no ``/Lang`` on structure elements, so an Arabic quote or a Hebrew name inside an English
note is read out as English. And it draws right-to-left text in visual order (glyphs left to
right as they stand on the line), which is what a reader of the structure tree gets as the
text: 'مجلس حوض النهر' comes out as 'رهنلا ضوح سلجم'.

WeasyPrint has no option for either, so :func:`install` wraps the one function that builds the
structure tree (``weasyprint.pdf.tags._build_box_tree``, called for every box, recursively
through the module's own name). The wrapper calls it unchanged and then adds to what it made:

- ``/Lang`` on the structure element of every element with a ``lang`` attribute (not on the
  ``html`` and ``body`` elements, which make none: the catalog's ``/Lang`` is theirs). A box
  WeasyPrint makes on its own inside such an element (an anonymous block) repeats nothing:
  it inherits, as structure elements do.
- ``/ActualText`` on the structure element that holds a line of text with a right-to-left
  letter: the text as written, in logical order, which assistive technology reads instead of
  the glyphs.

Only tagged PDFs (PDF/UA) are concerned: WeasyPrint builds no structure tree otherwise. If a
later WeasyPrint renames the function, nothing is wrapped and the PDF tests fail (they read
``/Lang`` and ``/ActualText`` back from the structure tree).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pydyf  # type: ignore[import-untyped]
from weasyprint.css import AnonymousStyle
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import tags as weasy_tags

from briefgen.model.languages import has_rtl

_ORIGINAL = getattr(weasy_tags, "_build_box_tree", None)
# Elements that WeasyPrint gives no structure element of their own (see _build_box_tree).
_PASSED_THROUGH = frozenset({"html", "body"})


def install() -> bool:
    """Wrap WeasyPrint's structure tree builder once; False when there is none to wrap."""
    if _ORIGINAL is None:
        return False
    weasy_tags._build_box_tree = _build_box_tree
    return True


def _build_box_tree(
    box: Any, parent: Any, pdf: Any, page_number: int, nums: Any, annotations: Any, tags: Any
) -> Iterator[Any]:
    """WeasyPrint's ``_build_box_tree``, then the language and the logical text of RTL lines."""
    assert _ORIGINAL is not None
    lines = _rtl_lines(box, tags)  # read before WeasyPrint takes them out of ``tags``
    lang = _declared_language(box)
    for element in _ORIGINAL(box, parent, pdf, page_number, nums, annotations, tags):
        if lang is not None:
            element["Lang"] = pydyf.String(lang)
        yield element
    for mcid, text in lines.items():
        holder = _object(pdf, nums.get(mcid))
        # A line is the only content of the Span WeasyPrint makes for it; inside a link the
        # link element holds every line (and the annotation), so it keeps its glyphs' text.
        if holder is not None and list(holder.get("K", ())) == [mcid]:
            holder["ActualText"] = pydyf.String(text)


def _declared_language(box: Any) -> str | None:
    """The ``lang`` attribute of the element this box is the principal box of, if any."""
    element = box.element
    if element is None or isinstance(box, (boxes.PageBox, boxes.MarginBox)):
        return None
    if isinstance(box.style, AnonymousStyle) or box.element_tag in _PASSED_THROUGH:
        return None
    if "::" in box.element_tag:  # a pseudo-element (q::before, li::marker): its element's
        return None
    lang = element.get("lang")
    return None if lang is None else lang.strip()


def _rtl_lines(box: Any, tags: Any) -> dict[int, str]:
    """Marked-content id -> text, for this box's own lines of text with an RTL letter."""
    if not isinstance(box, boxes.ParentBox) or tags is None:
        return {}
    found: dict[int, str] = {}
    for child in box.children:
        for item in child.children if isinstance(child, boxes.LineBox) else [child]:
            if isinstance(item, boxes.TextBox) and item in tags and has_rtl(item.text):
                found[tags[item]["mcid"]] = item.text
    return found


def _object(pdf: Any, reference: bytes | None) -> Any:
    """The object a reference (``b'12 0 R'``) names in the PDF being written, or None."""
    if not reference:
        return None
    number = int(reference.split()[0])
    return pdf.objects[number] if number < len(pdf.objects) else None
