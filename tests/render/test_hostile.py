"""Hostile content builds, and none of it is executed, embedded or read.

The fixture under fixtures/hostile/ puts <script>, javascript: links, <img src="file:///etc/passwd">,
CSS url() to a local file, <iframe>, <object> and <link rel="attachment"> into every kind of
field. The safe URL fetcher is also tested directly against traversal, symlinks and the network.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import run_cli
from tests.render.helpers import build, copy_fixture

PASSWD_MARKER = "root:x:0:0"


@pytest.fixture(scope="module", params=["analyst", "reader"])
def hostile_out(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    # Both layouts: each has templates of its own, and neither may let content act.
    project = copy_fixture("hostile", tmp_path_factory.mktemp("hostile"))
    return build(project, "--layout", request.param) / "hostile"


def test_html_has_no_active_content(hostile_out: Path) -> None:
    html = (hostile_out / "briefing.html").read_text(encoding="utf-8")
    for forbidden in ("<script", "<iframe", "<img", "<object", "<svg", "<link", "javascript:"):
        assert forbidden not in html.lower(), forbidden
    # Inside real tags (escaped text such as &lt;img src=...&gt; is only shown, never loaded).
    tag = r"<[a-z][^<>]*"
    assert not re.search(
        tag + r"""\s(?:href|src|data)=["']?(?:file|data|javascript):""", html, re.I
    )
    assert not re.search(tag + r"\sstyle=", html, re.I)
    assert not re.search(tag + r"\son[a-z]+=", html, re.I)
    assert html.count("<style>") == 1  # only the built-in stylesheet


def test_markdown_has_no_raw_html_or_unsafe_links(hostile_out: Path) -> None:
    text = (hostile_out / "briefing.md").read_text(encoding="utf-8")
    assert not re.search(r"<(?!https://)[a-z/!]", text, re.I)
    assert "javascript:" not in text
    assert "](file:" not in text


def test_pdf_embeds_and_reads_nothing(hostile_out: Path) -> None:
    data = (hostile_out / "briefing.pdf").read_bytes()
    reader = PdfReader(hostile_out / "briefing.pdf")
    assert not reader.attachments
    for marker in (b"/EmbeddedFile", b"/JavaScript", b"/JS", b"/Launch", b"/XObject"):
        assert marker not in data, marker
    text = " ".join(page.extract_text() for page in reader.pages)
    assert PASSWD_MARKER not in text
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A", {})
            uri = str(action.get("/URI", "https://"))
            assert uri.startswith("https://"), uri


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")
def test_browser_runs_no_script(hostile_out: Path) -> None:
    # The fixture's script would set data-pwned on <body>; a real browser must not run it.
    result = subprocess.run(
        [
            "chromium", "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--no-first-run", "--dump-dom",
            (hostile_out / "briefing.html").as_uri(),
        ],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert "<body" in result.stdout, result.stderr[-2000:]
    assert "data-pwned" not in result.stdout.split("<body", 1)[1].split(">", 1)[0]
    assert "<script" not in result.stdout


def test_template_cannot_make_pdf_read_outside_files(tmp_path: Path) -> None:
    """Even a project template asking for outside files gets a build error, not the file."""
    project = copy_fixture("hostile", tmp_path)
    out = build(project, "--format", "pdf")
    before = (out / "hostile" / "briefing.pdf").read_bytes()
    (project / "templates").mkdir()
    (project / "templates" / "briefing.html").write_text(
        '{% extends "builtin/briefing.html" %}{% block head %}'
        # Enough '../' to reach / from any temporary folder (a test worker's is deeper).
        '<link rel="attachment" href="' + "../" * 40 + 'etc/passwd">{% endblock %}',
        encoding="utf-8",
    )
    result = run_cli("build", str(project), "--format", "pdf", "--out", str(out))
    assert result.returncode == 1
    assert "may only read files in the templates folders" in result.stderr, result.stderr
    assert "previous outputs kept" in result.stderr
    assert (out / "hostile" / "briefing.pdf").read_bytes() == before
    assert not list((out / "hostile").glob(".*.tmp"))


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "http://127.0.0.1/",
        "https://example.com/x.css",
        "ftp://example.com/x",
        "TEMPLATES/../../../etc/passwd",
        "TEMPLATES/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "TEMPLATES/outside-link.css",
        "TEMPLATES/missing.css",
        "TEMPLATES/",
    ],
)
def test_fetcher_blocks(url: str, tmp_path: Path) -> None:
    from briefgen.pdf.fetcher import BlockedURLError, SafeURLFetcher

    templates = tmp_path / "templates"
    templates.mkdir()
    (tmp_path / "secret.css").write_text("body { color: red }")
    (templates / "outside-link.css").symlink_to(tmp_path / "secret.css")
    fetcher = SafeURLFetcher([templates])
    with pytest.raises(BlockedURLError):
        fetcher.fetch(url.replace("TEMPLATES", templates.as_uri()))


def test_fetcher_allows_files_inside_and_data(tmp_path: Path) -> None:
    from briefgen.pdf.fetcher import SafeURLFetcher

    (tmp_path / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    fetcher = SafeURLFetcher([tmp_path])
    assert fetcher.fetch((tmp_path / "logo.svg").as_uri()).read().startswith(b"<svg")
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
