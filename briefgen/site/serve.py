"""Live preview: the site built in memory, served on loopback, rebuilt when a source changes.

Nothing is written to disk. PDFs are made on first request (WeasyPrint is the slow part of a
build), so a save shows up in the browser within a moment. When the project has errors, every
page shows them instead of the site, and the server keeps running until they are fixed.
"""

from __future__ import annotations

import html
import mimetypes
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from briefgen.diagnostics import Report, Severity
from briefgen.model import Tlp

VERSION_PATH = "/__briefgen/version"
WATCHED_DIRS = ("content", "templates")
PROJECT_FILE = "briefgen.yaml"
# Polls the version endpoint and reloads when it changes. Only ever added to pages served by
# `briefgen serve`, never to a published site.
RELOAD_SCRIPT = """<script>
(function () {
  var seen = "%s";
  function poll() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (v) {
      if (v !== seen) { location.reload(); } else { setTimeout(poll, 400); }
    }).catch(function () { setTimeout(poll, 1500); });
  }
  setTimeout(poll, 400);
})();
</script>
"""
_TYPES = {".md": "text/markdown; charset=utf-8", ".xml": "application/atom+xml; charset=utf-8"}


@dataclass
class Outcome:
    """The result of one rebuild, for the terminal."""

    version: int
    seconds: float
    report: Report | None = None
    errors: list[str] = field(default_factory=list)
    briefings: int = 0
    withheld: int = 0


class Preview:
    """The current build of a project's site, kept in memory and rebuilt on demand."""

    def __init__(self, root: Path, *, ceiling: Tlp | None = None) -> None:
        self.root = root
        self.ceiling = ceiling
        self.version = 0
        self.files: dict[str, bytes] = {}
        self.errors: list[str] = []
        self._pdfs: dict[str, bytes] = {}
        self._released: object = None
        self._lock = threading.RLock()

    def rebuild(self) -> Outcome:
        """Validate and build again; on errors keep them for the pages to show."""
        started = time.monotonic()
        with self._lock:
            outcome = self._build()
            self.version += 1
            outcome.version = self.version
            outcome.seconds = time.monotonic() - started
            return outcome

    def _build(self) -> Outcome:
        from briefgen.site.publish import SiteBuildError, build_site
        from briefgen.validate import validate_project

        outcome = Outcome(0, 0.0)
        try:
            project, report = validate_project(self.root)
            outcome.report = report
            if project is None or report.failed():
                outcome.errors = [d.text() for d in report.sorted() if d.severity is Severity.ERROR]
            else:
                site = build_site(project, ceiling=self.ceiling, pdf=False)
                self.files, self._released, self._pdfs = site.files, site.released, {}
                outcome.briefings = len(site.released.project.briefings)
                outcome.withheld = len(site.withheld)
        except SiteBuildError as exc:
            outcome.errors = [str(exc)]
        except Exception as exc:  # a preview must survive anything a save can cause
            outcome.errors = [f"internal error: {type(exc).__name__}: {exc}"]
        self.errors = outcome.errors
        return outcome

    def pdf(self, briefing_id: str) -> bytes | None:
        """The PDF of a published briefing, made on first request of each build."""
        from briefgen.site.ceiling import CeilingResult
        from briefgen.site.publish import render_edition

        with self._lock:
            released = self._released
            if not isinstance(released, CeilingResult):
                return None
            if briefing_id not in released.project.briefings:
                return None
            if briefing_id not in self._pdfs:
                pdf = render_edition(released.project, briefing_id, ("pdf",))["pdf"]
                self._pdfs[briefing_id] = pdf
            return self._pdfs[briefing_id]


def error_page(errors: list[str], version: int) -> bytes:
    """A self-contained page listing the errors (no templates: they may be what is broken)."""
    items = "\n".join(f"<li><code>{html.escape(e)}</code></li>" for e in errors)
    page = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>briefgen preview: errors</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a}}
h1{{color:#a40000}}li{{margin:.4rem 0}}code{{white-space:pre-wrap;font-size:.95rem}}</style></head>
<body><main><h1>The project has errors</h1>
<p>The site is rebuilt as soon as they are fixed; this page then reloads by itself.</p>
<ul class="preview-errors">
{items}
</ul></main>
{RELOAD_SCRIPT % (version, VERSION_PATH)}</body></html>
"""
    return page.encode("utf-8")


def with_reload(page: bytes, version: int) -> bytes:
    """The page with the reload script added before ``</body>``."""
    script = (RELOAD_SCRIPT % (version, VERSION_PATH)).encode("utf-8")
    head, found, tail = page.rpartition(b"</body>")
    return head + script + found + tail if found else page + script


def _content_type(path: str) -> str:
    suffix = Path(path).suffix
    if suffix in _TYPES:
        return _TYPES[suffix]
    guessed = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


def make_handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to ``preview``."""

    from briefgen.site.publish import SiteBuildError

    class Handler(BaseHTTPRequestHandler):
        server_version = "briefgen-preview"

        def log_message(self, format: str, *args: object) -> None:
            pass  # the terminal shows rebuilds and errors, not every request

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            if path == VERSION_PATH:
                self._send(HTTPStatus.OK, str(preview.version).encode(), "text/plain")
                return
            relative = path.lstrip("/")
            if relative == "" or relative.endswith("/"):
                relative += "index.html"
            self._serve(relative)

        def _serve(self, relative: str) -> None:
            with preview._lock:
                version, errors = preview.version, list(preview.errors)
                data = preview.files.get(relative)
            if errors and (relative.endswith(".html") or data is None):
                self._send(HTTPStatus.OK, error_page(errors, version), "text/html; charset=utf-8")
                return
            if data is None and relative.startswith("briefings/") and relative.endswith(".pdf"):
                try:
                    data = preview.pdf(relative.removeprefix("briefings/").removesuffix(".pdf"))
                except SiteBuildError as exc:
                    page = error_page([str(exc)], version)
                    self._send(HTTPStatus.INTERNAL_SERVER_ERROR, page, "text/html; charset=utf-8")
                    return
            status = HTTPStatus.OK
            if data is None:
                status, relative = HTTPStatus.NOT_FOUND, "404.html"
                data = preview.files.get(relative, b"Not found")
            if relative.endswith(".html"):
                data = with_reload(data, version)
            self._send(status, data, _content_type(relative))

        def _send(self, status: HTTPStatus, data: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

    return Handler


def watch(
    root: Path, on_change: Callable[[], None], stop: threading.Event
) -> list[threading.Thread]:
    """Threads that call ``on_change`` when briefgen.yaml, content/ or templates/ change.

    The project folder itself is watched without recursion (it may hold a virtualenv or
    output/); content/ and templates/ are watched with it.
    """
    import watchfiles

    def relevant(_change: watchfiles.Change, path: str) -> bool:
        return Path(path).name == PROJECT_FILE or Path(path).name in WATCHED_DIRS

    def run(
        paths: list[Path], recursive: bool, keep: Callable[[watchfiles.Change, str], bool] | None
    ) -> None:
        for _changes in watchfiles.watch(
            *paths,
            watch_filter=keep,
            step=50,
            stop_event=stop,
            recursive=recursive,
            raise_interrupt=False,
        ):
            on_change()

    dirs = [root / d for d in WATCHED_DIRS if (root / d).is_dir()]
    threads = [threading.Thread(target=run, args=([root], False, relevant), daemon=True)]
    if dirs:
        threads.append(
            threading.Thread(target=run, args=(dirs, True, watchfiles.DefaultFilter()), daemon=True)
        )
    for thread in threads:
        thread.start()
    # watchfiles gives no "ready" signal; a moment's grace keeps a save made right after the
    # server reports itself from being missed.
    time.sleep(0.3)
    return threads


def make_server(preview: Preview, port: int) -> ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1 (loopback only); ``port`` 0 picks a free port."""
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(preview))
    server.daemon_threads = True
    return server
