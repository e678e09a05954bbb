"""Memory that WeasyPrint (70) leaks in Pango and GLib on every PDF, given back.

A process that renders PDF after PDF (a serial build, the preview server) grew by about a MiB
per 100 PDFs. Python's objects do not grow (``gc`` and ``sys.getallocatedblocks`` stay flat);
the C heap does: heaptrack, comparing a process that rendered 25 PDFs with one that rendered
85, finds allocations made by WeasyPrint's calls into Pango that are never freed, each PDF:

- ``weasyprint.pdf.fonts.Font`` names each embedded font with
  ``pango_font_description_to_string``, whose string (GLib's, to be freed with ``g_free``)
  is read and dropped: 128 bytes per font per PDF.
- ``weasyprint.text.line_break.Layout.setup``, for text with OpenType features (every list
  marker: ``::marker { font-variant-numeric: tabular-nums }`` in WeasyPrint's own user agent
  stylesheet), makes a features attribute on every call although it keeps and uses the first
  one it made (``dict.setdefault`` evaluates its default), and a new attribute list that the
  layout references but nobody releases: both leak, every marker of every PDF.

The largest share heaptrack finds is further on, in Pango's line breaking of those layouts
(arrays made by ``pango_attr_iterator_next`` under ``pango_attr_break``, never freed); it
goes with the lists above: once each list holds its own copy of the attribute and is
released, heaptrack finds nothing left behind by a PDF (85 PDFs leave what 25 leave).

WeasyPrint calls Pango through the module-level name ``pango`` of each of its modules, so
:func:`install` gives those two modules a stand-in that forwards every call to the real
library unchanged, except the few above, which it makes release what they take. The layout,
the fonts and so the PDF bytes are the same.

Only for the WeasyPrint whose code this was checked against (:data:`CHECKED_VERSIONS`): a
later one may free these itself, and freeing twice would crash. Another version gets nothing
(and the test of this module fails until it is checked again).
"""

from __future__ import annotations

import threading
from typing import Any

import cffi  # type: ignore[import-untyped]
import weasyprint
from weasyprint.pdf import fonts as weasy_pdf_fonts
from weasyprint.text import line_break as weasy_line_break
from weasyprint.text.ffi import ffi as weasy_ffi

# Names of GLib and Pango, as WeasyPrint looks them up (weasyprint.text.ffi), for every platform.
_GLIB_NAMES = (
    "libglib-2.0-0",
    "glib-2.0-0",
    "glib-2.0",
    "libglib-2.0.so.0",
    "libglib-2.0.dylib",
    "libglib-2.0-0.dll",
)
_PANGO_NAMES = (
    "libpango-1.0-0",
    "pango-1.0-0",
    "pango-1.0",
    "libpango-1.0.so.0",
    "libpango-1.0.dylib",
    "libpango-1.0-0.dll",
)

# The WeasyPrint major versions whose Font and Layout.setup leak as described above.
CHECKED_VERSIONS = frozenset({"70"})

_ffi = cffi.FFI()
# Untyped pointers: what WeasyPrint's own FFI hands over (its cdata) is passed as it is.
_ffi.cdef(
    """
    void g_free (void *mem);
    void *pango_attribute_copy (const void *attr);
    void pango_attr_list_insert (void *list, void *attr);
    """
)


def _dlopen(names: tuple[str, ...]) -> Any:
    for name in names:
        try:
            return _ffi.dlopen(name)
        except OSError:
            continue
    return None


class _Pango:
    """WeasyPrint's ``pango`` library: every function forwarded, a few made not to leak."""

    def __init__(self, lib: Any, glib: Any, own_pango: Any) -> None:
        self._lib = lib
        self._glib = glib
        self._own_pango = own_pango
        # One features attribute per features string (a handful: kerning, tabular numbers…),
        # kept for the life of the process: what WeasyPrint meant to keep.
        self._features: dict[bytes, Any] = {}
        self._features_lock = threading.Lock()
        # The attribute list Layout.setup made, until it is given to its layout.
        self._pending = threading.local()

    def __getattr__(self, name: str) -> Any:
        # Any other function: the library's own, kept here so that the next call finds it at
        # once (this is called only for a name not found yet).
        value = getattr(self._lib, name)
        setattr(self, name, value)
        return value

    def pango_font_description_to_string(self, description: Any) -> Any:
        # The caller reads the string (ffi.string) and drops it: freed when dropped.
        text = self._lib.pango_font_description_to_string(description)
        return weasy_ffi.gc(text, self._glib.g_free)

    def pango_attr_font_features_new(self, features: bytes) -> Any:
        # Called on every Layout.setup although only the first one's result is used.
        with self._features_lock:
            attr = self._features.get(features)
            if attr is None:
                attr = self._features[features] = self._lib.pango_attr_font_features_new(features)
            return attr

    def pango_attr_list_insert(self, attr_list: Any, attr: Any) -> None:
        # Called by Layout.setup only, on a list it made and never releases: the list gets a
        # copy of the kept attribute (a list frees what it holds), and is released once the
        # layout holds it (pango_layout_set_attributes below).
        self._own_pango.pango_attr_list_insert(
            attr_list, self._own_pango.pango_attribute_copy(attr)
        )
        self._pending.attr_list = attr_list

    def pango_layout_set_attributes(self, layout: Any, attr_list: Any) -> None:
        self._lib.pango_layout_set_attributes(layout, attr_list)
        pending = getattr(self._pending, "attr_list", None)
        if pending is not None and pending == attr_list:
            self._pending.attr_list = None
            self._lib.pango_attr_list_unref(attr_list)  # the layout keeps its own reference


def install() -> bool:
    """Give WeasyPrint's fonts and line breaking the stand-in; False when it cannot be made."""
    if weasyprint.__version__.split(".")[0] not in CHECKED_VERSIONS:
        return False
    lib = weasy_line_break.pango
    if isinstance(lib, _Pango) or weasy_pdf_fonts.pango is not lib:
        return isinstance(lib, _Pango)
    glib, own_pango = _dlopen(_GLIB_NAMES), _dlopen(_PANGO_NAMES)
    if glib is None or own_pango is None:
        return False
    stand_in = _Pango(lib, glib, own_pango)
    weasy_line_break.pango = stand_in
    weasy_pdf_fonts.pango = stand_in
    return True
