"""Languages in the PDF's structure tree, read back from the file WeasyPrint wrote.

WeasyPrint tags the document's language only; briefgen.pdf.tagging adds ``/Lang`` to the
structure element of every part with a ``lang`` attribute (a quote's ``quote_language``, a
name in another script) and ``/ActualText`` in logical order to each line of right-to-left
text, whose glyphs the page draws in visual order. Here the structure tree is walked from
``/StructTreeRoot`` with pypdf, each element with the language it inherits.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.render.helpers import (
    REFERENCE_ID,
    build,
    copy_fixture,
    reference_available,
    reference_copy,
)

FULL_ID = "water-quotas-2024-03"
ARABIC_QUOTE = "تبقى الحصص كما هي حتى يرتفع منسوب النهر."
NAMES = {"ليلى حداد": "ar", "مجلس حوض النهر": "ar", "אבי לוין": "he", "מזרחה": "he"}


@dataclass(frozen=True)
class Element:
    """A structure element: its type, its own /Lang, the language it is in, its text."""

    type: str
    lang: str | None
    language: str
    actual_text: str | None
    text: str  # /ActualText, or else its children's (content without it counts as "")
    children: tuple[Element, ...]

    def walk(self) -> Iterator[Element]:
        """This element and every element below it."""
        yield self
        for child in self.children:
            yield from child.walk()


def _element(node: Any, inherited: str) -> Element | None:
    node = node.get_object()
    if not hasattr(node, "get") or "/S" not in node:
        return None  # a marked-content id or an annotation
    lang = str(node["/Lang"]) if "/Lang" in node else None
    language = inherited if lang is None else lang
    kids = node.get("/K", [])
    kids = kids if isinstance(kids, list) else [kids]
    found = (_element(kid, language) for kid in kids if hasattr(kid, "get_object"))
    children = tuple(child for child in found if child is not None)
    actual = str(node["/ActualText"]) if "/ActualText" in node else None
    text = actual if actual is not None else "".join(c.text for c in children)
    return Element(str(node["/S"]), lang, language, actual, text, children)


def structure_tree(pdf: Path) -> Element:
    """The tree under /StructTreeRoot, from the document's language (the catalog's /Lang)."""
    root = PdfReader(pdf).trailer["/Root"]
    document = _element(root["/StructTreeRoot"]["/K"][0], str(root["/Lang"]))
    assert document is not None and document.type == "/Document"
    return document


def _rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


@pytest.fixture(scope="module")
def full_tree(tmp_path_factory: pytest.TempPathFactory) -> Element:
    project = copy_fixture("full", tmp_path_factory.mktemp("full"))
    return structure_tree(build(project, "--format", "pdf") / FULL_ID / "briefing.pdf")


def test_quote_language_is_lang_of_its_structure_element(full_tree: Element) -> None:
    quotes = [e for e in full_tree.walk() if e.type == "/BlockQuote"]
    assert len(quotes) == 3
    arabic = [q for q in quotes if _rtl(q.text)]
    assert [(q.lang, q.text) for q in arabic] == [("ar", f"“{ARABIC_QUOTE}”")]
    # The quotes in the briefing's language say none of their own: they are in English.
    assert {(q.lang, q.language) for q in quotes if q not in arabic} == {(None, "en")}


def test_names_in_other_scripts_have_lang(full_tree: Element) -> None:
    found = {e.actual_text: e.language for e in full_tree.walk() if e.actual_text in NAMES}
    assert found == NAMES
    # The name's own element carries it (the <bdi>), and the words around it stay English.
    marked = [e for e in full_tree.walk() if e.lang in ("ar", "he") and e.type != "/BlockQuote"]
    assert {e.text for e in marked} == set(NAMES)
    captions = [e for e in full_tree.walk() if e.type == "/Caption"]
    assert captions and all(e.language == "en" for e in captions)


def test_right_to_left_text_is_in_logical_order(full_tree: Element) -> None:
    # Every line with a right-to-left letter says its text as written: the names and the
    # quote, never their reversal (which is the order the glyphs stand in on the page).
    lines = [e.actual_text for e in full_tree.walk() if e.actual_text is not None]
    assert lines and all(_rtl(line) for line in lines)
    assert set(lines) == {*NAMES, f"“{ARABIC_QUOTE}”"}
    for name in NAMES:
        assert not [line for line in lines if name[::-1] in line]


@pytest.mark.skipif(not reference_available(), reason="no reference content")
def test_reference_briefing_names_in_logical_order(tmp_path: Path) -> None:
    # The name the issue found reversed ('ةينيطسلفلا ةينطولا ةطلسلا') reads as written.
    out = build(reference_copy(tmp_path), "--format", "pdf", "--only", REFERENCE_ID)
    tree = structure_tree(out / REFERENCE_ID / "briefing.pdf")
    name = "السلطة الوطنية الفلسطينية"
    found = [e for e in tree.walk() if e.actual_text == name]
    assert found and all(e.language == "ar" for e in found)
    assert not [e for e in tree.walk() if e.actual_text and name[::-1] in e.actual_text]
