"""PDF stage: a briefing's HTML laid out by WeasyPrint, safely and reproducibly.

- Only the briefgen templates folders (built-in and the project's ``templates/``) can be read,
  through :class:`~briefgen.pdf.fetcher.SafeURLFetcher`; never the network. Stylesheets come
  from the templates (``briefing.css``, ``pdf.css``), never from content.
- WeasyPrint's logged errors (a missing asset, a blocked URL) fail the build.
- One ``FontConfiguration`` and the parsed stylesheets are shared by every PDF of a process
  (faster, and memory stays flat).
- Tagged (PDF/UA-1), for screen readers: structure, reading order, language, title shown;
  the language of each part with a ``lang`` attribute, and right-to-left text in logical
  order (:mod:`briefgen.pdf.tagging`).
- Metadata comes from the briefing, never the clock; the same input gives the same bytes.
  ``SOURCE_DATE_EPOCH``, when set, becomes the modification date (reproducible builds).

Importing this module imports WeasyPrint (slow); import it only when a PDF is wanted.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import posixpath
import stat
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2

from briefgen.errors import PdfError
from briefgen.load.project_files import TEMPLATES_DIR
from briefgen.model import Project, Tlp
from briefgen.render import make_environment, render_html
from briefgen.render.environment import builtin_templates_dir
from briefgen.render.layouts import layout_templates

with warnings.catch_warnings():
    # WeasyPrint warns on import when libharfbuzz-subset is missing; briefgen says it once,
    # in its own words (see harfbuzz_subset_missing).
    warnings.simplefilter("ignore", DeprecationWarning)
    import weasyprint
    from weasyprint.text import ffi as _weasy_ffi
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

from briefgen.pdf import pango_leaks, tagging
from briefgen.pdf.css_urls import StylesheetChecker
from briefgen.pdf.fetcher import BlockedURLError, SafeURLFetcher, document_budget
from briefgen.pdf.font_clock import fixed_font_clock

# /Lang on the structure elements of parts in another language, and right-to-left text in
# logical order in the structure tree: what WeasyPrint's own tagging leaves out.
tagging.install()
# What WeasyPrint leaks in Pango on every PDF (a font's name, a list marker's features), freed:
# memory stays flat over a long serial build (:mod:`briefgen.pdf.pango_leaks`).
pango_leaks.install()

# Tagged PDF (PDF/UA-1): a structure tree, reading order and the document language for screen
# readers and reflow; headers and footers are marked as artifacts. Deterministic like the rest.
PDF_VARIANT = "pdf/ua-1"
BRIEFING_CSS = "briefing.css"
PDF_CSS = "pdf.css"
# Where a refused URL of the page is looked for (see _locate), within reason.
_TEMPLATE_SUFFIXES = frozenset({".html", ".htm", ".xml", ".svg", ".css", ".j2"})
_MAX_TEMPLATE_FILES = 500
_MAX_TEMPLATE_BYTES = 1024 * 1024
HARFBUZZ_NOTE = (
    "note: the system library libharfbuzz-subset0 is missing, so PDFs take about 3x longer "
    "(WeasyPrint falls back to fontTools); install it, e.g. apt-get install libharfbuzz-subset0"
)


def harfbuzz_subset_missing() -> bool:
    """True when WeasyPrint could not load libharfbuzz-subset (slow font subsetting)."""
    return getattr(_weasy_ffi, "harfbuzz_subset", None) is None


@cache
def font_configuration() -> FontConfiguration:
    """The process-wide font configuration, shared by every document and stylesheet."""
    return FontConfiguration()


@cache
def _parsed_css(text: str, base_url: str, fetcher: SafeURLFetcher) -> Any:
    # Keyed by the CSS text itself: a changed override is parsed again, an unchanged one never.
    # The fetcher is part of the key (one per project): @import, @font-face and
    # @color-profile are fetched while the stylesheet is parsed, and only through it.
    return weasyprint.CSS(
        string=text, base_url=base_url, url_fetcher=fetcher, font_config=font_configuration()
    )


@cache
def _fetcher(allowed_dirs: tuple[Path, ...]) -> SafeURLFetcher:
    # One per set of folders, so that the parsed stylesheets above stay cached across PDFs.
    return SafeURLFetcher(allowed_dirs)


def project_fetcher(project: Project) -> SafeURLFetcher:
    """The one URL fetcher for everything WeasyPrint reads while making this project's PDFs."""
    return _fetcher(tuple(_allowed_dirs(project)))


def _template_source(env: jinja2.Environment, name: str) -> tuple[str, str]:
    # The text and the name the loader gives it: "templates/pdf.css" for a project's file,
    # the absolute path of a built-in one.
    assert env.loader is not None
    source, filename, _ = env.loader.get_source(env, name)
    return source, filename or name


def stylesheets(project: Project, env: jinja2.Environment, marking: Tlp) -> list[Any]:
    """Parsed stylesheets of the layout, the page size and the marking's label (never content).

    The analyst layout's are briefing.css and pdf.css; the reader's add reader/briefing.css
    after briefing.css and reader/pdf.css after pdf.css (:mod:`briefgen.render.layouts`).

    Every URL in them (and in what they import) is checked first: one the fetcher would
    refuse is a :class:`PdfError` naming the file, line and column.
    """
    base = _base_url(project)
    fetcher = project_fetcher(project)
    checker = StylesheetChecker(fetcher, lambda path: _shown_path(project, path))
    templates = layout_templates(project)
    sources = [
        *(_template_source(env, name) for name in templates.stylesheets),
        *(_template_source(env, name) for name in templates.pdf_stylesheets),
        (f"@page {{ size: {project.settings.page_size}; }}", "briefgen page size"),
        (_marking_rule(marking), "briefgen marking label"),
    ]
    parsed = []
    for text, filename in sources:
        checker.check(text, _shown_name(project, filename), base)  # a CssURLError is a PdfError
        parsed.append(_parsed_css(text, base, fetcher))
    return parsed


def _shown_name(project: Project, filename: str) -> str:
    path = Path(filename)
    return _shown_path(project, path) if path.is_absolute() else filename


def _shown_path(project: Project, path: Path) -> str:
    """A file named for messages: ``builtin/pdf.css``, ``templates/parts/x.css``."""
    # The built-in folder first: it may lie inside a project (briefgen's own repository).
    for folder, prefix in ((builtin_templates_dir(), "builtin/"), (project.root.resolve(), "")):
        if path.is_relative_to(folder):
            return prefix + path.relative_to(folder).as_posix()
    return path.name


def _marking_rule(marking: Tlp) -> str:
    # Generated last, from the model's FIRST colours, so that a project's own pdf.css can
    # restyle the label box but never drop the label or print it in the wrong colour.
    label = f'content: "{marking.value}"; color: {marking.colour};'
    return f"@page {{ @top-right {{ {label} }} @bottom-right {{ {label} }} }}"


def _base_url(project: Project) -> str:
    return (project.root / TEMPLATES_DIR).resolve().as_uri() + "/"


def _allowed_dirs(project: Project) -> list[Path]:
    # The project's templates/ only if its real path is inside the project: a templates/ that
    # is a link to "/" would otherwise open the whole disk.
    allowed = [builtin_templates_dir()]
    templates = (project.root / TEMPLATES_DIR).resolve()
    if templates.is_relative_to(project.root.resolve()):
        allowed.append(templates)
    return allowed


class _ErrorCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_errors() -> Iterator[_ErrorCollector]:
    """Collect what WeasyPrint logs as errors (it logs, then carries on without the asset)."""
    collector = _ErrorCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)


def modification_date() -> str | None:
    """``SOURCE_DATE_EPOCH`` as a W3C date-time, or None when unset or not a number."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit():
        return None
    moment = dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def render_pdf(
    project: Project,
    briefing_id: str,
    html: str | None = None,
    *,
    env: jinja2.Environment | None = None,
    again: Callable[[int], str | None] | None = None,
) -> bytes:
    """The PDF of one briefing, as bytes.

    ``html`` is the page to lay out; by default the briefing's HTML without inline CSS (the
    shared, pre-parsed stylesheets are applied instead). ``again``, given the number of pages
    laid out, may return another page to lay out instead; None keeps the first layout. The
    reader layout uses it to drop its printed contents list from a short note (see
    :func:`briefgen.render.reader.keeps_contents`); a long note is laid out once. Raises
    :class:`PdfError`.
    """
    env = env or make_environment(project.root)
    if html is None:
        html = render_html(project, briefing_id, env=env, embed_css=False)
    with _weasyprint_errors() as errors:
        try:
            data = _layout(project, briefing_id, html, env, again)
        except PdfError:
            raise
        except BlockedURLError as exc:
            # Not in a stylesheet (those are checked first): in the page a template made.
            raise PdfError(_locate(project, exc)) from None
        except FatalURLFetchingError as exc:
            # A BaseException: WeasyPrint wraps any other failure of the fetcher in it.
            raise PdfError(_relative(project, f"cannot fetch a resource: {exc}")) from None
        except Exception as exc:  # WeasyPrint raises many kinds; all mean "no PDF".
            message = f"WeasyPrint failed: {type(exc).__name__}: {exc}"
            raise PdfError(_relative(project, message)) from exc
    if errors.messages:
        # Logged errors (an image that is not an image, an SVG that fails) also mean no PDF.
        raise PdfError(_relative(project, "; ".join(dict.fromkeys(errors.messages))))
    return data


def _layout(
    project: Project,
    briefing_id: str,
    html: str,
    env: jinja2.Environment,
    again: Callable[[int], str | None] | None = None,
) -> bytes:
    # Every object that can fetch gets the one confined fetcher: the HTML (its <img>, <link>,
    # <style>, style="", attachments and the CSS url() images, fetched at layout) and each
    # stylesheet (its @import, @font-face and @color-profile, fetched while parsing).
    # One budget for all the fetches of this PDF (fetcher.MAX_DOCUMENT_BYTES): the fetcher is
    # shared by every PDF of the project, its count is not.
    with document_budget():
        sheets = stylesheets(project, env, project.briefings[briefing_id].marking)
        document = _document(project, html, sheets)
        second = again(len(document.pages)) if again is not None else None
        if second is not None:
            document = _document(project, second, sheets)
        modified = modification_date()
        if modified:
            document.metadata.modified = modified
        # Fonts are subset while the PDF is written; fontTools would stamp them with the clock.
        with fixed_font_clock(project.briefings[briefing_id]):
            data: bytes = document.write_pdf(pdf_identifier=False, pdf_variant=PDF_VARIANT)
    return data


def _document(project: Project, html: str, sheets: list[Any]) -> Any:
    """The page laid out (WeasyPrint's Document), fetching only through the confined fetcher."""
    return weasyprint.HTML(
        string=html, base_url=_base_url(project), url_fetcher=project_fetcher(project)
    ).render(font_config=font_configuration(), stylesheets=sheets)


def _relative(project: Project, message: str) -> str:
    # WeasyPrint names files by absolute file: URL; the user knows them relative to the project.
    return message.replace(project.root.resolve().as_uri() + "/", "")


def _locate(project: Project, exc: BlockedURLError) -> str:
    """Where a URL refused while laying out the page is written in the project's templates.

    The page is made by templates, so the position in the page says little; the URL is looked
    for, as written, in the project's template files instead. Failing that, the message still
    names the URL and why it was refused.
    """
    wanted = [exc.url, unquote(exc.url), *_relative_forms(exc.url, _base_url(project))]
    for shown, text in _project_template_texts(project):
        for needle in dict.fromkeys(w for w in wanted if w):
            index = text.find(needle)
            if index >= 0:
                line = text.count("\n", 0, index) + 1
                column = index - (text.rfind("\n", 0, index) + 1) + 1
                return f"{shown}:{line}:{column}: {exc.reason}: {needle!r}"
    return _relative(project, f"in the briefing's page: {exc}")


def _relative_forms(url: str, base: str) -> list[str]:
    # A template writes "img/logo.png" or "../../secret.png"; WeasyPrint asks for it resolved.
    if not url.lower().startswith("file:"):
        return []
    path, folder = unquote(urlsplit(url).path), unquote(urlsplit(base).path)
    relative = posixpath.relpath(path, folder)
    return [relative, f"./{relative}"]


def _project_template_texts(project: Project) -> Iterator[tuple[str, str]]:
    """The project's own template files (regular files inside templates/, not too big)."""
    folder = project.root.resolve() / TEMPLATES_DIR
    if not folder.is_dir() or not folder.resolve().is_relative_to(project.root.resolve()):
        return
    for path in sorted(folder.rglob("*"))[:_MAX_TEMPLATE_FILES]:
        # lstat: a link is not followed (it could point at a device or outside the project).
        info = path.lstat()
        wanted = path.suffix.lower() in _TEMPLATE_SUFFIXES and stat.S_ISREG(info.st_mode)
        if wanted and info.st_size <= _MAX_TEMPLATE_BYTES:
            text = path.read_text(encoding="utf-8", errors="replace")
            yield f"{TEMPLATES_DIR}/{path.relative_to(folder).as_posix()}", text


__all__ = [
    "HARFBUZZ_NOTE",
    "PdfError",
    "font_configuration",
    "harfbuzz_subset_missing",
    "modification_date",
    "project_fetcher",
    "render_pdf",
    "stylesheets",
]
