"""PDF stage: a briefing's HTML laid out by WeasyPrint, safely and reproducibly.

- Only the briefgen templates folders (built-in and the project's ``templates/``) can be read,
  through :class:`~briefgen.pdf.fetcher.SafeURLFetcher`; never the network. Stylesheets come
  from the templates (``briefing.css``, ``pdf.css``), never from content.
- WeasyPrint's logged errors (a missing asset, a blocked URL) fail the build.
- One ``FontConfiguration`` and the parsed stylesheets are shared by every PDF of a process
  (faster, and memory stays flat).
- Tagged (PDF/UA-1), for screen readers: structure, reading order, language, title shown.
- Metadata comes from the briefing, never the clock; the same input gives the same bytes.
  ``SOURCE_DATE_EPOCH``, when set, becomes the modification date (reproducible builds).

Importing this module imports WeasyPrint (slow); import it only when a PDF is wanted.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from briefgen.model import Project, Tlp
from briefgen.render import make_environment, render_html
from briefgen.render.environment import TEMPLATES_DIR, builtin_templates_dir

with warnings.catch_warnings():
    # WeasyPrint warns on import when libharfbuzz-subset is missing; briefgen says it once,
    # in its own words (see harfbuzz_subset_missing).
    warnings.simplefilter("ignore", DeprecationWarning)
    import weasyprint
    from weasyprint.text import ffi as _weasy_ffi
    from weasyprint.text.fonts import FontConfiguration

from briefgen.pdf.fetcher import BlockedURLError, SafeURLFetcher

# Tagged PDF (PDF/UA-1): a structure tree, reading order and the document language for screen
# readers and reflow; headers and footers are marked as artifacts. Deterministic like the rest.
PDF_VARIANT = "pdf/ua-1"
BRIEFING_CSS = "briefing.css"
PDF_CSS = "pdf.css"
HARFBUZZ_NOTE = (
    "note: the system library libharfbuzz-subset0 is missing, so PDFs take about 3x longer "
    "(WeasyPrint falls back to fontTools); install it, e.g. apt-get install libharfbuzz-subset0"
)


class PdfError(Exception):
    """The PDF could not be made; the message says why (a blocked URL, a WeasyPrint error)."""


def harfbuzz_subset_missing() -> bool:
    """True when WeasyPrint could not load libharfbuzz-subset (slow font subsetting)."""
    return getattr(_weasy_ffi, "harfbuzz_subset", None) is None


@cache
def font_configuration() -> FontConfiguration:
    """The process-wide font configuration, shared by every document and stylesheet."""
    return FontConfiguration()


@cache
def _parsed_css(text: str, base_url: str) -> Any:
    # Keyed by the CSS text itself: a changed override is parsed again, an unchanged one never.
    return weasyprint.CSS(string=text, base_url=base_url, font_config=font_configuration())


def _template_source(env: jinja2.Environment, name: str) -> str:
    assert env.loader is not None
    return env.loader.get_source(env, name)[0]


def stylesheets(project: Project, env: jinja2.Environment, marking: Tlp) -> list[Any]:
    """Parsed briefing.css, pdf.css, the page size and the marking's label (never content)."""
    base = _base_url(project)
    return [
        _parsed_css(_template_source(env, BRIEFING_CSS), base),
        _parsed_css(_template_source(env, PDF_CSS), base),
        _parsed_css(f"@page {{ size: {project.settings.page_size}; }}", base),
        _parsed_css(_marking_rule(marking), base),
    ]


def _marking_rule(marking: Tlp) -> str:
    # Generated last, from the model's FIRST colours, so that a project's own pdf.css can
    # restyle the label box but never drop the label or print it in the wrong colour.
    label = f'content: "{marking.value}"; color: {marking.colour};'
    return f"@page {{ @top-right {{ {label} }} @bottom-right {{ {label} }} }}"


def _base_url(project: Project) -> str:
    return (project.root / TEMPLATES_DIR).resolve().as_uri() + "/"


def _allowed_dirs(project: Project) -> list[Path]:
    return [builtin_templates_dir(), project.root / TEMPLATES_DIR]


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
) -> bytes:
    """The PDF of one briefing, as bytes.

    ``html`` is the page to lay out; by default the briefing's HTML without inline CSS (the
    shared, pre-parsed stylesheets are applied instead). Raises :class:`PdfError`.
    """
    env = env or make_environment(project.root)
    if html is None:
        html = render_html(project, briefing_id, env=env, embed_css=False)
    fetcher = SafeURLFetcher(_allowed_dirs(project))
    with _weasyprint_errors() as errors:
        try:
            document = weasyprint.HTML(
                string=html, base_url=_base_url(project), url_fetcher=fetcher
            ).render(
                font_config=font_configuration(),
                stylesheets=stylesheets(project, env, project.briefings[briefing_id].marking),
            )
            modified = modification_date()
            if modified:
                document.metadata.modified = modified
            data: bytes = document.write_pdf(pdf_identifier=False, pdf_variant=PDF_VARIANT)
        except BlockedURLError as exc:
            raise PdfError(str(exc)) from None
        except Exception as exc:  # WeasyPrint raises many kinds; all mean "no PDF".
            raise PdfError(f"WeasyPrint failed: {type(exc).__name__}: {exc}") from exc
    if errors.messages:
        raise PdfError("; ".join(dict.fromkeys(errors.messages)))
    return data


__all__ = [
    "HARFBUZZ_NOTE",
    "PdfError",
    "font_configuration",
    "harfbuzz_subset_missing",
    "modification_date",
    "render_pdf",
    "stylesheets",
]
