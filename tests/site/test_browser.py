"""The site in real headless Chromium: from disk, at a domain root and under a sub-path.

Every page is opened; the test fails on a console error, a failed request, a local link that
does not resolve, a stylesheet that did not apply, or a page wider than a phone's screen.
"""

from __future__ import annotations

import functools
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.site.cdp import Browser, chromium_available
from tests.site.conftest import html_pages

pytestmark = pytest.mark.skipif(not chromium_available(), reason="Chromium is not installed")

# The links of a page, as the browser resolved them (absolute URLs, without the fragment).
LINKS_JS = "Array.from(document.querySelectorAll('a[href], link[href]')).map(a => a.href)"
HEADER_BACKGROUND_JS = "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
OVERFLOW_JS = "document.documentElement.scrollWidth - window.innerWidth"
BAND = "rgb(20, 38, 63)"  # the header colour in site.css: proof that the stylesheet loaded


class QuietHandler(SimpleHTTPRequestHandler):
    """A static file server that keeps quiet about each request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with Browser() as opened:
        yield opened


@pytest.fixture(scope="module")
def hosted(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An HTTP server on loopback with the site at / and again under /sub/path/."""
    www = tmp_path_factory.mktemp("www")
    shutil.copytree(site, www, dirs_exist_ok=True)
    shutil.copytree(site, www / "sub" / "path")
    handler = functools.partial(QuietHandler, directory=str(www))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _check_page(browser: Browser, url: str, width: int) -> list[str]:
    report = browser.open(url, width=width)
    assert not report.console_errors, (url, report.console_errors)
    assert not report.failed_requests, (url, report.failed_requests)
    assert browser.evaluate(HEADER_BACKGROUND_JS) == BAND, url
    assert browser.evaluate(OVERFLOW_JS) <= 0, f"{url} is wider than {width}px"
    links: list[str] = browser.evaluate(LINKS_JS)
    return [link.split("#")[0] for link in links if link != "data:,"]


def _local_file_exists(link: str) -> bool:
    return Path(unquote(urlsplit(link).path)).is_file()


def _url_answers(link: str) -> bool:
    with urllib.request.urlopen(link, timeout=10) as response:
        return bool(response.status == 200)


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_from_disk(browser: Browser, site: Path, width: int) -> None:
    pages = html_pages(site)
    for page in pages:
        for link in _check_page(browser, page.as_uri(), width):
            if link.startswith("file:"):
                assert _local_file_exists(link), f"{page.name}: {link}"
            else:
                # Only a source's address and the 404 page's home link leave the site.
                assert link.startswith("https://example.org/"), f"{page.name}: {link}"


@pytest.mark.parametrize("prefix", ["", "sub/path/"])
def test_every_page_over_http(browser: Browser, site: Path, hosted: str, prefix: str) -> None:
    base = hosted + prefix
    for page in html_pages(site):
        if page.name == "404.html" and prefix:
            continue  # its home link is the configured site_url, not this test server
        url = base + page.relative_to(site).as_posix()
        for link in _check_page(browser, url, 1280):
            if link.startswith(hosted):
                assert link.startswith(base), f"{url}: {link} leaves the site's folder"
                assert _url_answers(link), f"{url}: {link}"


def test_the_404_page_at_a_nested_address(browser: Browser, site: Path) -> None:
    # GitHub Pages serves 404.html for a missing address at any depth; it must still look right.
    page = site / "404.html"
    report = browser.open(page.as_uri(), width=390)
    assert not report.console_errors and not report.failed_requests
    assert browser.evaluate(HEADER_BACKGROUND_JS) == BAND
