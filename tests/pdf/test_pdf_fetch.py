"""A project's CSS and templates cannot make the PDF renderer read outside files or the network.

Every case is a real build through the real CLI with real WeasyPrint. Network attacks point at
a TCP listener on 127.0.0.1 started by the test: it must receive no connection. File attacks
point at a canary file outside the project: its random text must appear in no output. Each
refused URL fails the build (exit 1) with a message located in the CSS file, relative to the
project (``templates/pdf.css:LINE:COL``), and the previous PDF stays as it was.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import REPO
from tests.render.helpers import copy_fixture, pdf_text

FULL_ID = "water-quotas-2024-03"
# Where the URL starts in a CSS case; the test computes the expected LINE:COL from it.
MARK = "@@"
# Long enough for a FIFO or a device to hang a naive reader, short enough to fail a test.
BUILD_TIMEOUT = 180


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port: int = self.sock.getsockname()[1]
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.connections.append(conn.recv(4096) or b"(connected)")
                except OSError:
                    self.connections.append(b"(connected)")

    def close(self) -> None:
        """Stop accepting and wait for the thread (a pending accept ends within its timeout)."""
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full fixture, built once to PDF: every test starts from a copy with its outputs."""
    project = copy_fixture("full", tmp_path_factory.mktemp("built"))
    result = _build(project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project at tmp_path/project (tmp_path itself is outside it)."""
    target = tmp_path / "project"
    shutil.copytree(built, target, symlinks=True)
    (target / "templates").mkdir(exist_ok=True)
    return target


@pytest.fixture
def canary(tmp_path: Path) -> tuple[Path, str]:
    """A stylesheet outside the project whose text, if read, prints a unique random string."""
    secret = f"CANARY-{secrets.token_hex(12)}"
    folder = tmp_path / "outside"
    folder.mkdir()
    path = folder / "secret.css"
    path.write_text(f'body::before {{ content: "{secret}"; }}\n', encoding="utf-8")
    return path, secret


def _build(project: Path) -> subprocess.CompletedProcess[str]:
    # As tests.conftest.run_cli, but with a shorter timeout: a FIFO must not hang the build.
    return subprocess.run(
        [sys.executable, "-m", "briefgen", "build", str(project), "--format", "pdf"],
        cwd=REPO,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )


def _pdf(project: Path) -> Path:
    return project / "output" / FULL_ID / "briefing.pdf"


@dataclass(frozen=True)
class Css:
    """CSS text and the line and column where its (first) hostile URL starts."""

    text: str
    line: int
    column: int


def _css(marked: str) -> Css:
    before = marked.split(MARK, 1)[0]
    line = before.count("\n") + 1
    column = len(before.rsplit("\n", 1)[-1]) + 1
    return Css(marked.replace(MARK, "", 1), line, column)


def _write_css(project: Path, name: str, marked: str) -> Css:
    # A comment line first, so that the location is not trivially 1:1.
    css = _css("/* a project's own stylesheet */\n" + marked)
    (project / "templates" / name).write_text(css.text, encoding="utf-8")
    return css


def _assert_refused(
    result: subprocess.CompletedProcess[str], project: Path, where: str, before: bytes
) -> None:
    """Exit 1, a located message, the previous PDF kept and no temporary file left."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert f": PDF error: {where}:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert project.as_uri() not in result.stderr, result.stderr  # relative, not absolute
    assert _pdf(project).read_bytes() == before
    assert not list((project / "output").rglob("*.tmp"))


NETWORK_CASES = {
    "import-url": '@import @@url("{L}/import.css");\n',
    "import-string": '@import @@"{L}/import-string.css";\n',
    "import-media": '@media print {{ @import @@"{L}/nested.css"; }}\n',
    "font-face": (
        "@font-face {{ font-family: Evil;\n  src: @@url({L}/font.woff2) format('woff2'); }}\n"
        "body {{ font-family: Evil, sans-serif; }}\n"
    ),
    "font-face-second-src": (
        "@font-face {{ font-family: Evil2; src: local(NoSuchFontAtAll),\n"
        "  @@url('{L}/font2.ttf'); }}\nh1 {{ font-family: Evil2; }}\n"
    ),
    "background": "body {{ color: black;\n  background: @@url({L}/bg.png) no-repeat; }}\n",
    "content": "h1::before {{ content: @@url('{L}/content.png'); }}\n",
    "list-style": "li {{ list-style-image: @@url({L}/bullet.png); }}\n",
    "page-margin": "@page {{ @bottom-center {{ background: @@url({L}/page.png); }} }}\n",
    "color-profile": "@color-profile --evil {{ src: @@url({L}/profile.icc); }}\n",
    "uppercase-scheme": "body {{ background-image: @@url(HTTP://127.0.0.1:{P}/upper.png); }}\n",
    "hostname": "body {{ background-image: @@url(http://localhost:{P}/host.png); }}\n",
    "scheme-relative": "body {{ background-image: @@url(//127.0.0.1:{P}/rel.png); }}\n",
    "escaped-url-name": "body {{ background-image: @@\\75rl({L}/escaped.png); }}\n",
}


@pytest.mark.parametrize("case", sorted(NETWORK_CASES))
def test_pdf_css_cannot_reach_network(case: str, project: Path, listener: Listener) -> None:
    before = _pdf(project).read_bytes()
    base = f"http://127.0.0.1:{listener.port}"
    marked = NETWORK_CASES[case].format(L=base, P=listener.port)
    css = _write_css(project, "pdf.css", marked)
    result = _build(project)
    assert not listener.connections, listener.connections
    _assert_refused(result, project, f"templates/pdf.css:{css.line}:{css.column}", before)


@pytest.mark.parametrize("case", ["import-url", "font-face", "background", "color-profile"])
def test_briefing_css_cannot_reach_network(case: str, project: Path, listener: Listener) -> None:
    before = _pdf(project).read_bytes()
    marked = NETWORK_CASES[case].format(L=f"http://127.0.0.1:{listener.port}", P=listener.port)
    css = _write_css(project, "briefing.css", marked)
    result = _build(project)
    assert not listener.connections, listener.connections
    _assert_refused(result, project, f"templates/briefing.css:{css.line}:{css.column}", before)


def test_imported_css_is_checked_and_located(project: Path, listener: Listener) -> None:
    """A stylesheet imported from inside templates/ is checked too, and named in the error."""
    before = _pdf(project).read_bytes()
    _write_css(project, "pdf.css", '@import "parts/more.css";\nh1 { color: navy; }\n')
    (project / "templates" / "parts").mkdir()
    more = _css(
        f"h2 {{ color: red; }}\nbody {{ background: @@url(http://127.0.0.1:{listener.port}/x); }}"
    )
    (project / "templates" / "parts" / "more.css").write_text(more.text, encoding="utf-8")
    result = _build(project)
    assert not listener.connections, listener.connections
    where = f"templates/parts/more.css:{more.line}:{more.column}"
    _assert_refused(result, project, where, before)


HTML_CASES = {
    "link-stylesheet": '<link rel="stylesheet" href="{URL}">',
    "img": '<img alt="" src="{URL}">',
    "style-import": '<style>@import url("{URL}");</style>',
    "attachment": '<link rel="attachment" href="{URL}">',
}


@pytest.mark.parametrize("case", sorted(HTML_CASES))
def test_html_template_cannot_reach_network(case: str, project: Path, listener: Listener) -> None:
    """A project's HTML template asking for a remote resource fails, naming the template."""
    before = _pdf(project).read_bytes()
    url = f"http://127.0.0.1:{listener.port}/{case}"
    head = '{% extends "builtin/briefing.html" %}{% block head %}{{ super() }}\n'
    (project / "templates" / "briefing.html").write_text(
        head + HTML_CASES[case].format(URL=url) + "{% endblock %}\n", encoding="utf-8"
    )
    result = _build(project)
    assert not listener.connections, listener.connections
    column = HTML_CASES[case].index("{URL}") + 1
    _assert_refused(result, project, f"templates/briefing.html:2:{column}", before)


CANARY_CASES = {
    "absolute-file-url": '@import @@url("{URI}");\n',
    "traversal": '@import @@"../../outside/secret.css";\n',
    "encoded-traversal": "@import @@url(%2e%2e/%2e%2e/outside/secret.css);\n",
    "double-encoded-traversal": "@import @@url(%252e%252e/%252e%252e/outside/secret.css);\n",
    "file-localhost": '@import @@"file://localhost{PATH}";\n',
    "uppercase-file-scheme": '@import @@"FILE://{PATH}";\n',
    "symlink": '@import @@"link.css";\n',
    "symlinked-folder": "@import @@url(linked-folder/secret.css);\n",
    "font-symlink": (
        "@font-face {{ font-family: C; src: @@url(link.woff); }}\nh1 {{ font-family: C; }}\n"
    ),
    "background-traversal": "body {{ background: @@url(../../outside/secret.css); }}\n",
    "dev-zero": "@import @@url(file:///dev/zero);\n",
    "proc": '@import @@"file:///proc/self/environ";\n',
}


@pytest.mark.parametrize("case", sorted(CANARY_CASES))
def test_css_cannot_read_outside_files(case: str, project: Path, canary: tuple[Path, str]) -> None:
    before = _pdf(project).read_bytes()
    path, secret = canary
    templates = project / "templates"
    links = {"link.css": path, "link.woff": path, "linked-folder": path.parent}
    linked = {"symlink": "link.css", "font-symlink": "link.woff"}.get(case) or (
        "linked-folder" if case == "symlinked-folder" else None
    )
    if linked:
        (templates / linked).symlink_to(links[linked])
    marked = CANARY_CASES[case].format(URI=path.as_uri(), PATH=path)
    css = _write_css(project, "pdf.css", marked)
    result = _build(project)
    assert secret not in result.stdout + result.stderr
    if _pdf(project).read_bytes() != before:
        assert secret not in pdf_text(_pdf(project))
    for written in (project / "output").rglob("*"):
        if written.is_file():
            assert secret.encode() not in written.read_bytes(), written
    if linked:
        # A link out of templates/ is refused with the content, before anything renders.
        assert result.returncode == 1, result.stdout + result.stderr
        assert f"templates/{linked}:1:1: error: " in result.stdout, result.stdout
        assert "outside the project" in result.stdout
        assert _pdf(project).read_bytes() == before
        return
    _assert_refused(result, project, f"templates/pdf.css:{css.line}:{css.column}", before)


@pytest.mark.parametrize("url", ["pipe.css", "pipe.png"])
def test_fifo_in_templates_does_not_hang(url: str, project: Path) -> None:
    before = _pdf(project).read_bytes()
    os.mkfifo(project / "templates" / "pipe.css")
    os.mkfifo(project / "templates" / "pipe.png")
    rule = (
        f'@import @@"{url}";' if url.endswith(".css") else f"body {{ background: @@url({url}); }}"
    )
    css = _write_css(project, "pdf.css", rule + "\n")
    result = _build(project)  # raises TimeoutExpired if a reader blocks on the FIFO
    _assert_refused(result, project, f"templates/pdf.css:{css.line}:{css.column}", before)
    assert "not a regular file" in result.stderr, result.stderr


def test_huge_file_in_templates_is_refused(project: Path) -> None:
    before = _pdf(project).read_bytes()
    with (project / "templates" / "huge.png").open("wb") as huge:
        huge.truncate(200 * 1024 * 1024)  # sparse: no disk used, but 200 MiB to a reader
    css = _write_css(project, "pdf.css", "body { background: @@url(huge.png); }\n")
    result = _build(project)
    _assert_refused(result, project, f"templates/pdf.css:{css.line}:{css.column}", before)
    assert "larger than" in result.stderr, result.stderr


def test_missing_file_is_located(project: Path) -> None:
    """A URL to a file that is not there is a located error too, not an unnamed warning."""
    before = _pdf(project).read_bytes()
    css = _write_css(project, "pdf.css", "h1 {\n  background: @@url('images/missing.png');\n}\n")
    result = _build(project)
    _assert_refused(result, project, f"templates/pdf.css:{css.line}:{css.column}", before)
    assert "images/missing.png" in result.stderr


def test_attr_url_is_refused(project: Path, listener: Listener) -> None:
    """``attr(href url)`` would fetch URLs taken from the content (the sources' links)."""
    before = _pdf(project).read_bytes()
    css = _write_css(project, "pdf.css", "a::after { content: @@attr(href url); }\n")
    result = _build(project)
    assert not listener.connections
    _assert_refused(result, project, f"templates/pdf.css:{css.line}:{css.column}", before)


def test_attr_url_names_an_anchor_inside_target_counter(project: Path, listener: Listener) -> None:
    """``target-counter(attr(href url), page)`` looks an anchor up (the reader's contents)."""
    _write_css(
        project,
        "pdf.css",
        "a[href^='#']::after { content: target-counter(attr(href url), page); }\n",
    )
    result = _build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not listener.connections


def test_url_inside_target_counter_is_still_checked(project: Path) -> None:
    before = _pdf(project).read_bytes()
    rule = "a::after { content: target-counter(@@url('images/missing.png'), page); }\n"
    css = _write_css(project, "pdf.css", rule)
    result = _build(project)
    _assert_refused(result, project, f"templates/pdf.css:{css.line}:{css.column}", before)


def test_local_assets_and_data_urls_still_work(project: Path) -> None:
    """Files inside templates/ (also through a link inside it) and data: URLs are allowed."""
    templates = project / "templates"
    (templates / "img").mkdir()
    (templates / "img" / "logo.svg").write_text(
        "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'>"
        "<rect width='10' height='10' fill='#123456'/></svg>",
        encoding="utf-8",
    )
    (templates / "logo-link.svg").symlink_to(templates / "img" / "logo.svg")
    (templates / "extra.css").write_text("h2 { color: #333; }\n", encoding="utf-8")
    _write_css(
        project,
        "pdf.css",
        '@import "extra.css";\n@namespace svg url(http://www.w3.org/2000/svg);\n'
        "h1 { background: url(img/logo.svg) no-repeat; }\n"
        "h2 { background: url('logo-link.svg'); }\n"
        "li { list-style-image: url(data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/"
        "2000/svg%22%20width=%224%22%20height=%224%22/%3E); }\n"
        "p { filter: url(#none); }\n",
    )
    result = _build(project)
    assert result.returncode == 0, result.stderr
    assert "Water" in pdf_text(_pdf(project))


def test_svg_inside_templates_cannot_reach_network(project: Path, listener: Listener) -> None:
    """An allowed SVG that refers to a remote image: the build fails, naming the SVG."""
    before = _pdf(project).read_bytes()
    (project / "templates" / "logo.svg").write_text(
        "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'"
        " width='10' height='10'>"
        f"<image width='10' height='10' xlink:href='http://127.0.0.1:{listener.port}/i.png'/>"
        "</svg>",
        encoding="utf-8",
    )
    _write_css(project, "pdf.css", "h1 { background: url(logo.svg); }\n")
    result = _build(project)
    assert not listener.connections, listener.connections
    # WeasyPrint logs this one (without the reason) and carries on; the log fails the build.
    assert result.returncode == 1, result.stderr
    assert "PDF error: Failed to render SVG image templates/logo.svg" in result.stderr
    assert _pdf(project).read_bytes() == before


def _fetcher(tmp_path: Path) -> object:
    from briefgen.pdf.fetcher import SafeURLFetcher

    return SafeURLFetcher([tmp_path])


@pytest.mark.parametrize(
    "url",
    [
        "data:text/plain;base64," + "A" * (50 * 1024 * 1024),
        "TMP/nul%00byte.css",
        "TMP/fifo",
        "TMP/",
        "file:/dev/zero",
        "FILE:///etc/passwd",
        "file://localhost/etc/passwd",
        "javascript:alert(1)",
        "gopher://127.0.0.1/",
    ],
)
def test_fetcher_refuses_with_its_own_error(url: str, tmp_path: Path) -> None:
    """Every refusal is a BlockedURLError (a located build error), never another exception."""
    from briefgen.pdf.fetcher import BlockedURLError, SafeURLFetcher

    os.mkfifo(tmp_path / "fifo")
    fetcher = SafeURLFetcher([tmp_path])
    with pytest.raises(BlockedURLError):
        fetcher.fetch(url.replace("TMP", tmp_path.as_uri()))


def test_fetcher_reports_outside_links_without_following_them(tmp_path: Path) -> None:
    from briefgen.pdf.fetcher import BlockedURLError, SafeURLFetcher

    inside = tmp_path / "templates"
    inside.mkdir()
    (inside / "zero").symlink_to("/dev/zero")
    with pytest.raises(BlockedURLError, match="templates folders"):
        SafeURLFetcher([inside]).fetch((inside / "zero").as_uri())


def test_error_message_is_relative(project: Path) -> None:
    """The refusal names the CSS file relative to the project, and the URL as written."""
    _write_css(project, "pdf.css", "h1 { background: @@url(../../outside/x.png); }\n")
    result = _build(project)
    assert result.returncode == 1
    assert re.search(
        r"templates/pdf\.css:2:18: url\('?\.\./\.\./outside/x\.png'?\)", result.stderr
    ), result.stderr
    assert str(project) not in result.stderr


# -- all the fetches of one PDF together -------------------------------------------------------

# Any real font file; the PDF names an embedded @font-face font by its family (KeptFace).
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as file:
        file.truncate(size)  # sparse: no disk used, but `size` bytes to a reader
    return path


def test_fetches_of_one_document_are_bounded_together(tmp_path: Path) -> None:
    """Each file is under the per-resource bound; together they pass the per-document one."""
    from briefgen.pdf import fetcher as module
    from briefgen.pdf.fetcher import BlockedURLError, SafeURLFetcher, document_budget

    big = _sparse(tmp_path / "big.ttf", 30 * 1024 * 1024).as_uri()
    data = "data:application/octet-stream;base64," + "A" * (8 * 1024 * 1024)
    fetcher = SafeURLFetcher([tmp_path])
    with document_budget():
        fetcher.fetch(big)
        fetcher.fetch(big)
        with pytest.raises(BlockedURLError, match="more than 64 MiB for one PDF"):
            fetcher.fetch(big)
        with pytest.raises(BlockedURLError, match="more than 64 MiB for one PDF"):
            fetcher.fetch(data)  # data: URLs count too
    # The next document starts afresh, with the same (cached, shared) fetcher.
    with document_budget():
        assert len(fetcher.fetch(big).read()) == 30 * 1024 * 1024
        assert len(fetcher.fetch(data).read()) == 6 * 1024 * 1024
    assert module.MAX_DOCUMENT_BYTES == 64 * 1024 * 1024


def test_many_font_faces_on_one_big_file_are_refused(project: Path) -> None:
    """The reviewer's case: @font-face rules naming one 30 MiB file under templates/.

    WeasyPrint copies each fetched font into /tmp before it looks at it; the build must stop
    at the document's budget, located in the stylesheet, and leave the previous PDF.
    """
    before = _pdf(project).read_bytes()
    _sparse(project / "templates" / "big.ttf", 30 * 1024 * 1024)
    rules = "".join(f"@font-face {{ font-family: Big{n}; src: url(big.ttf); }}\n" for n in range(5))
    uses = "body { font-family: " + ", ".join(f"Big{n}" for n in range(5)) + ", serif; }\n"
    css = _write_css(project, "pdf.css", "@@" + rules + uses)
    result = _build(project)
    _assert_refused(result, project, "templates/pdf.css", before)
    assert "more than 64 MiB for one PDF" in result.stderr, result.stderr
    assert css.line == 2


@pytest.mark.skipif(not FONT.is_file(), reason="DejaVu Sans not installed")
def test_font_inside_templates_still_works(project: Path) -> None:
    """A real font in templates/ is fetched, embedded and used, within the budget."""
    (project / "templates" / "fonts").mkdir()
    shutil.copy(FONT, project / "templates" / "fonts" / "Kept.ttf")
    _write_css(
        project,
        "pdf.css",
        "@font-face { font-family: KeptFace; src: url(fonts/Kept.ttf) format('truetype'); }\n"
        "body, h1, h2, p, li { font-family: KeptFace; }\n",
    )
    result = _build(project)
    assert result.returncode == 0, result.stderr
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(_pdf(project)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any(name.endswith("+KeptFace") for name in fonts), fonts
    assert "Water" in pdf_text(_pdf(project))
