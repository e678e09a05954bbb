"""``briefgen archive``: pages served by a real HTTP server on 127.0.0.1, files, web archives.

The server runs in a thread of the test process (http.server); nothing leaves the machine.
Every page it serves was written for these tests (tests/provenance/warc_helpers.py).
"""

from __future__ import annotations

import difflib
import hashlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from tests.conftest import run_cli
from tests.provenance.warc_helpers import (
    ARTICLE,
    AUTHORITY_URL,
    NAV_ONLY,
    SOURCES,
    Response,
    edit,
    project,
    wacz_bytes,
    warc_bytes,
)

SOURCE = "authority-2024-03-01"
STORED = "content/archive/authority-2024-03-01.html"
NOT_FOUND = "error: quote not found in the archive of 'authority-2024-03-01'"


@dataclass
class Page:
    """What the server answers for one path."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    # Sent without Content-Length, in pieces: the size is only known by reading.
    stream: int = 0


class Server:
    """A real HTTP server on 127.0.0.1 with pages set by the test; it records what was asked."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.requests: list[str] = []
        pages, requests = self.pages, self.requests

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self) -> None:
                requests.append(self.path)
                page = pages.get(self.path, Page(b"not here", 404))
                self.send_response(page.status)
                for name, value in page.headers.items():
                    self.send_header(name, value)
                if not page.stream and "Content-Length" not in page.headers:
                    self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                try:
                    self.wfile.write(page.body)
                    for _ in range(page.stream // 2**20):
                        self.wfile.write(b"x" * 2**20)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading: that is the point of the test

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        """The full URL of a path on this server."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


@pytest.fixture
def server() -> Iterator[Server]:
    """A local HTTP server for one test, shut down after it."""
    running = Server()
    running.thread.start()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()
    running.thread.join(timeout=10)


def html(text: str) -> Page:
    """A UTF-8 HTML page."""
    return Page(text.encode("utf-8"), headers={"Content-Type": "text/html; charset=utf-8"})


def _fresh(tmp_path: Path, url: str | None = None) -> Path:
    """The base project without the authority's copy (so nothing is replaced), its url set."""
    folder = project(tmp_path)
    (folder / STORED).unlink()
    if url is not None:
        edit(folder, SOURCES, f"url: {AUTHORITY_URL}", f"url: {url}")
    return folder


def test_article_quote_verifies_after_archive(tmp_path: Path, server: Server) -> None:
    server.pages["/notice"] = html(ARTICLE)
    folder = _fresh(tmp_path, server.url("/notice"))
    before = run_cli("validate", "--strict", str(folder))
    assert before.returncode == 1  # the copy is not there yet: the quote is unverified
    result = run_cli("archive", SOURCE, cwd=folder / "content")  # default: the source's url
    assert result.returncode == 0, result.stderr
    assert f"briefgen archive: fetching {server.url('/notice')} over the network" in result.stderr
    assert server.requests == ["/notice"]
    assert (folder / STORED).read_bytes() == ARTICLE.encode()
    digest = hashlib.sha256(ARTICLE.encode()).hexdigest()
    sources = (folder / SOURCES).read_text(encoding="utf-8")
    assert f"      path: {STORED}\n      sha256: {digest}\n      captured: '20" in sources
    assert f"      final_url: {server.url('/notice')}\n" in sources
    assert "      content_type: text/html; charset=utf-8\n" in sources
    after = run_cli("validate", "--strict", str(folder))
    assert after.returncode == 0, after.stdout
    report = run_cli("sources", "-v", str(folder))
    assert f"    found in the main text of {STORED}\n" in report.stdout


def test_words_only_in_the_navigation_do_not_verify(tmp_path: Path, server: Server) -> None:
    server.pages["/notice"] = html(NAV_ONLY)
    folder = _fresh(tmp_path)
    result = run_cli("archive", SOURCE, server.url("/notice"), cwd=folder)
    assert result.returncode == 0, result.stderr
    after = run_cli("validate", str(folder))
    assert after.returncode == 1
    assert NOT_FOUND in after.stdout
    # The words are in the page's bytes, only not in its article.
    assert "with the first review" in (folder / STORED).read_text(encoding="utf-8")


def test_redirect_is_followed_and_recorded(tmp_path: Path, server: Server) -> None:
    server.pages["/old"] = Page(status=301, headers={"Location": "/moved"})
    server.pages["/moved"] = Page(status=302, headers={"Location": server.url("/notice")})
    server.pages["/notice"] = html(ARTICLE)
    folder = _fresh(tmp_path)
    result = run_cli("archive", SOURCE, server.url("/old"), cwd=folder)
    assert result.returncode == 0, result.stderr
    assert server.requests == ["/old", "/moved", "/notice"]
    sources = (folder / SOURCES).read_text(encoding="utf-8")
    assert f"      final_url: {server.url('/notice')}\n" in sources
    assert f"from {server.url('/notice')} as {STORED}" in result.stderr


def test_redirect_loop_is_refused(tmp_path: Path, server: Server) -> None:
    server.pages["/a"] = Page(status=302, headers={"Location": "/b"})
    server.pages["/b"] = Page(status=302, headers={"Location": "/a"})
    folder = _fresh(tmp_path)
    result = run_cli("archive", SOURCE, server.url("/a"), cwd=folder)
    assert result.returncode == 1
    assert "briefgen archive: more than 5 redirects" in result.stderr
    assert "nothing written" in result.stderr
    assert len(server.requests) == 6


def _refused(folder: Path, result: CompletedProcess[str], original: str) -> None:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert not (folder / STORED).exists()
    assert (folder / SOURCES).read_text(encoding="utf-8") == original
    assert not list((folder / "content/archive").glob(".*tmp"))


def test_oversized_response_is_refused(tmp_path: Path, server: Server) -> None:
    folder = _fresh(tmp_path)
    original = (folder / SOURCES).read_text(encoding="utf-8")
    big = Page(b"<p>", headers={"Content-Type": "text/html", "Content-Length": str(21 * 2**20)})
    server.pages["/declared"] = big
    result = run_cli("archive", SOURCE, server.url("/declared"), cwd=folder)
    _refused(folder, result, original)
    assert (
        f"briefgen archive: {server.url('/declared')} is larger than 20 MiB (21.0 MiB), the "
        "limit of an archive"
    ) in result.stderr
    # Without a Content-Length, the size is counted while reading.
    server.pages["/streamed"] = Page(
        b"<p>", headers={"Content-Type": "text/html"}, stream=21 * 2**20
    )
    result = run_cli("archive", SOURCE, server.url("/streamed"), cwd=folder)
    _refused(folder, result, original)
    assert f"{server.url('/streamed')} is larger than 20 MiB, the limit" in result.stderr


def test_non_text_response_is_refused(tmp_path: Path, server: Server) -> None:
    folder = _fresh(tmp_path)
    original = (folder / SOURCES).read_text(encoding="utf-8")
    server.pages["/photo"] = Page(b"\x89PNG\r\n", headers={"Content-Type": "image/png"})
    result = run_cli("archive", SOURCE, server.url("/photo"), cwd=folder)
    _refused(folder, result, original)
    assert (
        f"briefgen archive: {server.url('/photo')} is image/png, not a page of text "
        "(briefgen archive keeps HTML, plain text and PDF; save another kind by hand); "
        "nothing written"
    ) in result.stderr
    server.pages["/missing"] = Page(b"gone", 404, {"Content-Type": "text/html"})
    result = run_cli("archive", SOURCE, server.url("/missing"), cwd=folder)
    _refused(folder, result, original)
    assert f"{server.url('/missing')} answered 404 Not Found; nothing written" in result.stderr


def _closed_port() -> int:
    """A local port nothing listens on: bound, never listened on, then released."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    folder = _fresh(tmp_path)
    original = (folder / SOURCES).read_text(encoding="utf-8")
    # Not a server closed under its own thread: that may reset the connection instead.
    port = _closed_port()
    result = run_cli("archive", SOURCE, f"http://127.0.0.1:{port}/notice", cwd=folder)
    _refused(folder, result, original)
    assert f"cannot fetch http://127.0.0.1:{port}/notice: Connection refused" in result.stderr


COMMENTED = """\
# Sources of the water desk. Keep them in the order they were found.
sources:
  - id: gazette-2024-03-02   # the local paper
    type: article
    title: River authority cuts Northvale's water quota
    publisher: Northvale Gazette
    published: "2024-03-02"
    url: https://example.org/gazette/water-quota
    cites: [radio-2024-03-01]
    archive:
      path: content/archive/gazette-2024-03-02.txt
  # Heard on the evening news; no recording kept.

  - id: radio-2024-03-01
    type: broadcast
    title: 'Evening news'
    publisher: Radio Vale
    published: "2024-03-01"
    citation_only: true
  - id: authority-2024-03-01
    type: press-release
    title: Notice of a temporary cut in farm water quotas
    publisher: Vale River Authority   # the regulator
    published: "2024-03-01"
    url: {url}
    note: The notice itself.
    # A comment after the last value of the source.

# End of the sources.
"""


def test_comments_and_layout_of_sources_yaml_survive(tmp_path: Path, server: Server) -> None:
    server.pages["/notice"] = html(ARTICLE)
    folder = _fresh(tmp_path)
    before = COMMENTED.format(url=server.url("/notice"))
    (folder / SOURCES).write_text(before, encoding="utf-8")
    result = run_cli("archive", SOURCE, cwd=folder)
    assert result.returncode == 0, result.stderr
    after = (folder / SOURCES).read_text(encoding="utf-8")
    changes = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    # Only lines added, all inside the authority's block, right after its note.
    starts = ["archive:", "path: ", "sha256: ", "captured: '", "final_url: ", "content_type: "]
    assert len(changes) == len(starts), changes
    for change, start in zip(changes, starts, strict=True):
        assert change.startswith(("+    " if start == "archive:" else "+      ") + start)
    assert after.index("    note: The notice itself.\n    archive:\n") > 0
    assert after.endswith(
        "      content_type: text/html; charset=utf-8\n"
        "    # A comment after the last value of the source.\n\n# End of the sources.\n"
    )
    assert run_cli("validate", "--strict", str(folder)).returncode == 0


def test_unknown_source_id_is_located(tmp_path: Path) -> None:
    folder = project(tmp_path)
    result = run_cli("archive", "authority-2024-03-1", "x.html", cwd=folder)
    assert result.returncode == 2
    assert result.stderr == (
        "Error: content/sources.yaml:2:1: no source with id 'authority-2024-03-1' in this "
        "list; did you mean 'authority-2024-03-01'?\n"
    )


def test_archive_from_files(tmp_path: Path) -> None:
    folder = project(tmp_path)
    text = tmp_path / "notice.txt"
    text.write_text(
        "The cut will be reviewed every month, with the first review before the "
        "end of March, the river authority said.\n"
        "the quota for farms in the Northvale district is cut by twenty per cent\n",
        encoding="utf-8",
    )
    result = run_cli("archive", SOURCE, str(text), cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "network" not in result.stderr
    sources = (folder / SOURCES).read_text(encoding="utf-8")
    assert "      path: content/archive/authority-2024-03-01.txt\n" in sources
    assert "      content_type: text/plain; charset=utf-8\n" in sources
    assert "final_url" not in sources
    assert run_cli("validate", "--strict", str(folder)).returncode == 0
    # Another copy is not put over the one there without --replace.
    text.write_text("Another text.\n", encoding="utf-8")
    result = run_cli("archive", SOURCE, str(text), cwd=folder)
    assert result.returncode == 1
    assert "content/archive/authority-2024-03-01.txt exists and holds another copy" in (
        result.stderr
    )
    bad = tmp_path / "photo.png"
    bad.write_bytes(b"\x89PNG")
    result = run_cli("archive", SOURCE, str(bad), cwd=folder)
    assert result.returncode == 1
    assert "photo.png: briefgen archive takes HTML, plain text" in result.stderr


def test_archive_from_a_wacz_records_the_capture(tmp_path: Path) -> None:
    folder = project(tmp_path)
    earlier = Response(AUTHORITY_URL, "2024-03-01T09:30:00Z", NAV_ONLY.encode())
    later = Response(AUTHORITY_URL, "2024-03-05T18:00:00Z", ARTICLE.encode())
    wacz = tmp_path / "capture.wacz"
    wacz.write_bytes(wacz_bytes(warc_bytes([earlier, later]), AUTHORITY_URL, later.date))
    result = run_cli("archive", SOURCE, str(wacz), cwd=folder)
    assert result.returncode == 0, result.stderr
    sources = (folder / SOURCES).read_text(encoding="utf-8")
    assert "      path: content/archive/authority-2024-03-01.wacz\n" in sources
    assert "      captured: '2024-03-05T18:00:00Z'\n" in sources
    assert f"      final_url: {AUTHORITY_URL}\n" in sources
    assert (folder / "content/archive/authority-2024-03-01.wacz").read_bytes() == wacz.read_bytes()
    assert run_cli("validate", "--strict", str(folder)).returncode == 0
    report = run_cli("sources", "-v", str(folder))
    assert (
        f"found in the capture of {AUTHORITY_URL} at 2024-03-05T18:00:00Z in "
        "content/archive/authority-2024-03-01.wacz"
    ) in report.stdout
    built = run_cli("build", "--format", "md", "--layout", "analyst", str(folder))
    assert built.returncode == 0, built.stderr
    markdown = (folder / "output/water/briefing.md").read_text(encoding="utf-8")
    assert "Archived 5 March 2024." in markdown


def test_archive_from_a_tampered_warc_is_refused(tmp_path: Path) -> None:
    folder = project(tmp_path)
    original = (folder / SOURCES).read_text(encoding="utf-8")
    data = warc_bytes(
        [Response(AUTHORITY_URL, "2024-03-01T09:30:00Z", ARTICLE.encode())], gzip=False
    )
    warc = tmp_path / "capture.warc"
    warc.write_bytes(data.replace(b"twenty per cent", b"thirty per cent"))
    result = run_cli("archive", SOURCE, str(warc), cwd=folder)
    assert result.returncode == 1
    assert "does not match its WARC-Payload-Digest" in result.stderr
    assert (folder / SOURCES).read_text(encoding="utf-8") == original
