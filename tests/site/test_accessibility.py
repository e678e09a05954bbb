"""axe-core over every page in real headless Chromium: no violation at 1280 and 375 px wide.

The pages, each at both widths:

- the published site fixture, every page, and the standalone HTML briefings it builds;
- a variant of that fixture which publishes TLP:GREEN, TLP:AMBER and TLP:RED briefings and holds
  a table wider than a phone (so every TLP label colour and the scrolling ``div.table-scroll``
  wrapper, focusable with tabindex=0, are checked on the site as well as standalone);
- the reference project (``content/`` at the top of the repository): its standalone briefing
  and its site;
- the render fixtures ``full`` (TLP:AMBER+STRICT) and ``hostile`` (TLP:RED), standalone.

axe-core runs with its default rules (WCAG 2.x A and AA, and best practices); none is turned
off. Its script comes from the ``axe-playwright-python`` package of the ``test`` extra, which
ships ``axe.min.js``: only that file is read and put into the page through the DevTools client
(Playwright itself is never started, and needs no browser download). The pages are served over
HTTP on loopback. A failure names the page, then each rule with its impact and each element
with its CSS selector and what to fix.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.conftest import run_cli
from tests.render.helpers import REFERENCE_ID, build, reference_available, reference_copy
from tests.render.helpers import copy_fixture as copy_render_fixture
from tests.site.cdp import Browser, chromium_available
from tests.site.conftest import copy_fixture, html_pages

pytestmark = pytest.mark.skipif(not chromium_available(), reason="Chromium is not installed")

WIDTHS = (1280, 375)
AXE_PACKAGE = "axe_playwright_python"  # the pip package axe-playwright-python

# Contrast rules whose "needs review" results count as failures: an element whose contrast axe
# cannot measure (its background box does not cover its text, say) is not known to be readable.
# Table cells inside div.table-scroll are left out: the cells the wrapper clips until it is
# scrolled cannot be measured, and the visible cells, in the same colours, are.
CONTRAST_RULES = ("color-contrast", "link-in-text-block")

RUN_AXE = """(async () => {
  const r = await axe.run(document, {resultTypes: ['violations', 'incomplete']});
  const element = (n) => {
    const css = n.target.flat(Infinity).join(' ');
    let inScroller = false;
    try { inScroller = !!document.querySelector(css)?.closest('.table-scroll'); } catch (e) {}
    return {target: css, summary: n.failureSummary || '', inScroller};
  };
  const shape = (v) => ({id: v.id, impact: v.impact || '', help: v.help, url: v.helpUrl,
                         nodes: v.nodes.map(element)});
  return {
    version: r.testEngine.version,
    violations: r.violations.map(shape),
    unmeasured: r.incomplete.filter((v) => CONTRAST_RULES.includes(v.id)).map(shape),
    passed: r.passes.map((v) => v.id),
  };
})()""".replace("CONTRAST_RULES", json.dumps(CONTRAST_RULES))


@dataclass(frozen=True)
class Pages:
    """Some HTML pages below ``root``, served at ``base`` and named by their path below it."""

    root: Path
    paths: tuple[Path, ...]
    base: str

    def name(self, page: Path) -> str:
        return page.relative_to(self.root).as_posix()

    def url(self, page: Path) -> str:
        return self.base + quote(self.name(page))


class QuietHandler(SimpleHTTPRequestHandler):
    """A static file server that keeps quiet about each request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


class Www:
    """A static HTTP server on loopback: :meth:`serve` puts a folder of pages under it.

    Over HTTP a page and its stylesheet share an origin, so axe reads the style rules (from
    file:// they are another origin's, which axe then tries, and fails, to fetch).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        # A standalone page names no icon, so Chromium asks the host for one.
        (root / "favicon.ico").write_bytes(b"")
        handler = functools.partial(QuietHandler, directory=str(root))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def serve(self, name: str, root: Path, paths: list[Path]) -> Pages:
        (self.root / name).symlink_to(root, target_is_directory=True)
        return Pages(root, tuple(paths), f"{self.base}{name}/")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def www(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Www]:
    server = Www(tmp_path_factory.mktemp("a11y-www"))
    yield server
    server.close()


@dataclass(frozen=True)
class Problem:
    """One rule that one page breaks, with every element that breaks it."""

    page: str
    rule: str
    impact: str
    help: str
    url: str
    elements: tuple[tuple[str, str], ...]  # (CSS selector, what to fix)


class Axe:
    """axe-core in one headless Chromium: :meth:`run` opens a page and returns axe's results."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.browser.send("Page.addScriptToEvaluateOnNewDocument", source=self._source())

    @staticmethod
    def _source() -> str:
        try:
            return (files(AXE_PACKAGE) / "axe.min.js").read_text(encoding="utf-8")
        except ModuleNotFoundError:
            pytest.fail("axe-core is missing: install the test extra (pip install -e '.[test]')")

    def run(self, url: str, width: int) -> dict[str, Any]:
        report = self.browser.open(url, width=width)
        assert not report.console_errors, (url, report.console_errors)
        assert not report.failed_requests, (url, report.failed_requests)
        result: dict[str, Any] = self.browser.evaluate(RUN_AXE, await_promise=True)
        return result


@pytest.fixture(scope="module")
def axe() -> Iterator[Axe]:
    with Browser(timeout=60) as browser:
        yield Axe(browser)


def _standalone(output: Path) -> list[Path]:
    """The standalone HTML briefings that build (or publish) wrote under ``output``."""
    return sorted(output.glob("*/briefing.html"))


def _publish_draft(project: Path) -> Path:
    """Build the standalone HTML and publish the site without PDFs; return the output folder."""
    output = build(project, "--format", "html")
    result = run_cli("publish", str(project), "--no-pdf")
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.fixture(scope="module")
def site_fixture(www: Www, site: Path) -> Pages:
    output = site.parent
    return www.serve("site-fixture", output, _standalone(output) + html_pages(site))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# Wider than the standalone page's column (46rem) and than a phone: the wrapper scrolls.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WIDE_TABLE = [
    "| Quay (TEU) | " + " | ".join(MONTHS) + " |",
    "|:--|" + "--:|" * len(MONTHS),
    "| North quay | " + " | ".join(f"{31 + i % 3},{200 + 7 * i}" for i in range(12)) + " |",
    "| South quay | " + " | ".join(f"{60 + i % 4},{410 + 3 * i}" for i in range(12)) + " |",
]
TABLE_BRIEFING = "north-quay-2024"


# The variant's markings: with the fixture's own TLP:CLEAR pages, the site shows every label
# colour (TLP:AMBER+STRICT has TLP:AMBER's); TLP:RED's is the lowest in contrast on black.
VARIANT_MARKINGS = {
    "night-shift-2021": ("TLP:CLEAR", "TLP:GREEN"),
    TABLE_BRIEFING: ("TLP:CLEAR", "TLP:AMBER"),
    "canary-sealed-zq0": ("TLP:AMBER", "TLP:RED"),
}


@pytest.fixture(scope="module")
def site_variant(www: Www, tmp_path_factory: pytest.TempPathFactory) -> Pages:
    project = copy_fixture(tmp_path_factory.mktemp("a11y-variant"))
    briefings = project / "content" / "briefings"
    _edit(project / "briefgen.yaml", "publish_ceiling: TLP:CLEAR", "publish_ceiling: TLP:RED")
    for briefing, (was, now) in VARIANT_MARKINGS.items():
        _edit(briefings / f"{briefing}.yaml", f"\nmarking: {was}\n", f"\nmarking: {now}\n")
    table = "".join(f"  {row}\n" for row in WIDE_TABLE)
    _edit(
        briefings / f"{TABLE_BRIEFING}.yaml",
        "background: >-\n  The north quay handles about a third of the port's container traffic.\n",
        "background: |-\n  The north quay handles about a third of the port's container traffic."
        f"\n\n{table}",
    )
    output = _publish_draft(project)
    return www.serve("site-variant", output, _standalone(output) + html_pages(output / "site"))


@pytest.fixture(scope="module")
def reference(www: Www, tmp_path_factory: pytest.TempPathFactory) -> Pages:
    if not reference_available():
        pytest.skip("reference content not written yet")
    output = _publish_draft(reference_copy(tmp_path_factory.mktemp("a11y-reference")))
    assert (output / REFERENCE_ID / "briefing.html").is_file()
    return www.serve("reference", output, _standalone(output) + html_pages(output / "site"))


@pytest.fixture(scope="module")
def render_fixtures(www: Www, tmp_path_factory: pytest.TempPathFactory) -> Pages:
    root = tmp_path_factory.mktemp("a11y-render")
    pages: list[Path] = []
    for layout in ("analyst", "reader"):
        for name in ("full", "hostile"):
            project = copy_render_fixture(name, root / layout)
            pages += _standalone(build(project, "--format", "html", "--layout", layout))
    return www.serve("render-fixtures", root, pages)


def _problems(pages: Pages, page: Path, result: dict[str, Any]) -> list[Problem]:
    found = [(v, v["nodes"]) for v in result["violations"]]
    for v in result["unmeasured"]:
        nodes = [n for n in v["nodes"] if not n["inScroller"]]
        if nodes:
            v = {**v, "help": f"{v['help']}: not measurable, which counts as failing here"}
            found.append((v, nodes))
    return [
        Problem(
            pages.name(page),
            v["id"],
            v["impact"],
            v["help"],
            v["url"],
            tuple((n["target"], n["summary"]) for n in nodes),
        )
        for v, nodes in found
    ]


def _describe(problems: list[Problem], version: str, width: int) -> str:
    pages = len({p.page for p in problems})
    lines = [f"axe-core {version} at {width} px: {len(problems)} failure(s) on {pages} page(s)"]
    page = ""
    for p in problems:
        if p.page != page:
            page = p.page
            lines.append(f"{page}:")
        lines.append(f"  {p.rule} [{p.impact}] {p.help} ({p.url})")
        for target, summary in p.elements:
            lines.append(f"    {target}")
            lines += [f"      {line.strip()}" for line in summary.splitlines() if line.strip()]
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("corpus", ["site_fixture", "site_variant", "reference", "render_fixtures"])
def test_no_axe_violation(
    axe: Axe, request: pytest.FixtureRequest, corpus: str, width: int
) -> None:
    pages: Pages = request.getfixturevalue(corpus)
    assert pages.paths, f"{corpus}: no page to check"
    problems: list[Problem] = []
    version = ""
    for page in pages.paths:
        result = axe.run(pages.url(page), width)
        version = result["version"]
        problems += _problems(pages, page, result)
    assert not problems, _describe(problems, version, width)


def test_the_table_wrapper_scrolls_and_passes_on_a_phone(axe: Axe, site_variant: Pages) -> None:
    # Not a vacuous pass: on a phone the table is wider than its wrapper, so axe's
    # scrollable-region-focusable rule applies to the wrapper, and it passes (tabindex=0).
    tables = [p for p in site_variant.paths if TABLE_BRIEFING in p.as_posix()]
    assert len(tables) == 2, tables  # the standalone page and the site's
    for page in tables:
        result = axe.run(site_variant.url(page), 375)
        scrolls = axe.browser.evaluate(
            "Array.from(document.querySelectorAll('.table-scroll'))"
            ".map(e => e.scrollWidth > e.clientWidth)"
        )
        assert scrolls == [True], (site_variant.name(page), scrolls)
        assert "scrollable-region-focusable" in result["passed"], site_variant.name(page)


def test_the_pages_show_every_marking(
    site_fixture: Pages, site_variant: Pages, reference: Pages, render_fixtures: Pages
) -> None:
    # Each TLP label colour (on black) is among the pages axe checks, standalone and on the site.
    standalone: set[str] = set()
    site: set[str] = set()
    for pages in (site_fixture, site_variant, reference, render_fixtures):
        for page in pages.paths:
            html = page.read_text(encoding="utf-8")
            standalone |= set(re.findall(r'<span class="tlp-label">(TLP:[A-Z+]+)<', html))
            site |= set(re.findall(r'class="site-tlp site-tlp--[a-z-]+">(TLP:[A-Z+]+)<', html))
    every = {"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"}
    assert standalone == every
    assert site == every - {"TLP:AMBER+STRICT"}  # in TLP:AMBER's colours
