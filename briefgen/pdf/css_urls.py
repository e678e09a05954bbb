"""Every URL a stylesheet could make WeasyPrint fetch, found and checked before WeasyPrint runs.

WeasyPrint reports a refused URL without saying where it was written (at best the absolute
``file:///`` URL of the stylesheet). So each stylesheet is first scanned here with tinycss2
(the tokenizer WeasyPrint itself uses, so escapes such as ``\\75rl(`` read the same), and each
URL is checked against the fetcher's rule: a refusal names the file, line and column, and
WeasyPrint never even tries the URL. Stylesheets brought in by ``@import`` from inside the
templates folders are scanned in turn, under their own names.

What counts as a URL, generously (a false alarm costs a clear error, a miss costs nothing but
the location, since the fetcher refuses it anyway):

- ``url(...)`` in any form, ``src(...)``, and strings inside ``image-set(...)``;
- the string or URL after ``@import`` (at any depth: ``@media`` blocks too);
- ``attr(... url)``, which turns an attribute of the page into a URL to fetch, is refused
  outright: the page's attributes come from content (the sources' links). Inside
  ``target-counter()``, ``target-counters()`` and ``target-text()`` it is allowed: there the
  URL names an anchor of the page itself, looked up and never fetched (the reader layout's
  contents list prints the page of each section that way).

``@namespace`` URLs are names, never fetched, and skipped; so are ``url(#fragment)`` links
inside the document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import tinycss2  # type: ignore[import-untyped]  # (WeasyPrint's tokenizer; untyped)
from weasyprint.urls import iri_to_uri, url_is_absolute

from briefgen.errors import PdfError
from briefgen.pdf.fetcher import BlockedURLError, SafeURLFetcher

# Deeper @import chains than this are refused (a template pack needs one or two levels).
MAX_IMPORT_DEPTH = 8
_IMAGE_SET = frozenset({"image-set", "-webkit-image-set"})
_URL_FUNCTIONS = frozenset({"url", "src"})
_TARGET_FUNCTIONS = frozenset({"target-counter", "target-counters", "target-text"})


class CssURLError(PdfError):
    """A URL in a stylesheet may not be fetched; the message starts with ``FILE:LINE:COL:``."""


@dataclass(frozen=True)
class Reference:
    """One URL written in a stylesheet (``url`` None: a construct refused as such)."""

    written: str
    url: str | None
    line: int
    column: int
    is_import: bool = False


@dataclass
class _Scan:
    # Walking state: the at-rule whose prelude is being read, and what was found so far.
    found: list[Reference] = field(default_factory=list)
    at_rule: str | None = None


def find_references(css: str) -> list[Reference]:
    """Every URL in ``css`` that WeasyPrint could fetch, in source order, with its position."""
    scan = _Scan()
    _walk(tinycss2.parse_component_value_list(css), scan)
    return scan.found


def _walk(tokens: Iterable[Any], scan: _Scan) -> None:
    for token in tokens:
        kind = token.type
        if kind == "at-keyword":
            scan.at_rule = token.lower_value
        elif kind == "{} block" or (kind == "literal" and token.value == ";"):
            scan.at_rule = None
        if scan.at_rule == "namespace":
            continue  # a namespace's URL is its name, never fetched
        if kind == "string" and scan.at_rule == "import":
            scan.found.append(_reference(token, token.value, is_import=True))
        elif kind == "url":
            scan.found.append(_reference(token, token.value, is_import=scan.at_rule == "import"))
        elif kind == "function":
            _function(token, scan)
        if scan.at_rule == "import" and scan.found and kind in ("string", "url", "function"):
            scan.at_rule = "import-done"  # only the prelude's first URL is the one imported
        if kind in ("{} block", "() block", "[] block"):
            _walk(token.content, _Scan(scan.found))


def _function(token: Any, scan: _Scan) -> None:
    name = token.lower_name
    arguments = [t for t in token.arguments if t.type not in ("whitespace", "comment")]
    if name in _URL_FUNCTIONS:
        is_import = scan.at_rule == "import"
        for url in _function_urls(token.arguments, arguments):
            scan.found.append(_reference(token, url, is_import=is_import))
        return
    if name in _TARGET_FUNCTIONS:
        # Its attr(href url) is an anchor in the page, not a fetch; anything else is checked.
        rest = [t for t in token.arguments if getattr(t, "lower_name", None) != "attr"]
        _walk(rest, _Scan(scan.found))
        return
    if name == "attr" and _names_url_type(arguments[1:]):
        scan.found.append(Reference(_written(token), None, token.source_line, token.source_column))
        return
    if name in _IMAGE_SET:
        scan.found.extend(_reference(t, t.value) for t in arguments if t.type == "string")
    _walk(token.arguments, _Scan(scan.found))


def _function_urls(every: list[Any], meaningful: list[Any]) -> list[str]:
    # WeasyPrint takes the first argument's value as the URL when there are one or two
    # arguments, whatever its type (even a space); every string argument is checked as well.
    urls = [t.value for t in meaningful if t.type == "string"]
    first = getattr(every[0], "value", None) if every else ""
    if len(every) in (0, 1, 2) and isinstance(first, str) and first not in urls:
        urls.insert(0, first)
    return urls


def _names_url_type(tokens: Iterable[Any]) -> bool:
    # attr(href url), attr(href type(<url>)): any ident "url" after the attribute's name.
    for token in tokens:
        if token.type == "ident" and token.lower_value == "url":
            return True
        if token.type == "function" and _names_url_type(token.arguments):
            return True
    return False


def _reference(token: Any, url: str, *, is_import: bool = False) -> Reference:
    return Reference(_written(token), url, token.source_line, token.source_column, is_import)


def _written(token: Any) -> str:
    text = str(tinycss2.serialize([token]))
    return text if len(text) <= 120 else text[:120] + "…"


def absolute_url(url: str, base_url: str) -> str | None:
    """The URL WeasyPrint would fetch for ``url`` written in a stylesheet at ``base_url``.

    None for a link inside the document (``#id``), which is never fetched.
    """
    if url.startswith("#"):
        return None
    if url_is_absolute(url):
        return str(iri_to_uri(url))
    return str(iri_to_uri(urljoin(base_url, url)))


@dataclass(frozen=True)
class StylesheetChecker:
    """Checks stylesheets against ``fetcher``'s rule; ``describe`` names a file in messages."""

    fetcher: SafeURLFetcher
    describe: Callable[[Path], str]

    def check(self, css: str, name: str, base_url: str) -> None:
        """Raise :class:`CssURLError` at the first URL in ``css`` that may not be fetched."""
        self._check(css, name, base_url, ())

    def _check(self, css: str, name: str, base_url: str, chain: tuple[Path, ...]) -> None:
        for ref in find_references(css):
            where = f"{name}:{ref.line}:{ref.column}: {ref.written}"
            if ref.url is None:
                raise CssURLError(
                    f"{where}: attr() with the url type would fetch URLs taken from the "
                    "content; the PDF renderer reads only files in the templates folders"
                )
            url = absolute_url(ref.url, base_url)
            if url is None:
                continue
            try:
                path = self.fetcher.check(url)
            except BlockedURLError as exc:
                raise CssURLError(f"{where}: {exc.reason}") from None
            if ref.is_import and path is not None:
                self._imported(path, url, where, chain)

    def _imported(self, path: Path, url: str, where: str, chain: tuple[Path, ...]) -> None:
        if path in chain:
            raise CssURLError(f"{where}: imports a stylesheet that imports it (a cycle)")
        if len(chain) >= MAX_IMPORT_DEPTH:
            raise CssURLError(f"{where}: @import nested more than {MAX_IMPORT_DEPTH} deep")
        try:
            data = self.fetcher.fetch(url).read()
        except BlockedURLError as exc:
            raise CssURLError(f"{where}: {exc.reason}") from None
        # WeasyPrint decodes by BOM and @charset; UTF-8 is what templates are written in, and
        # a stray byte only shifts a column, it cannot hide a URL from the tokenizer.
        text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
        self._check(text, self.describe(path), path.as_uri(), (*chain, path))
