"""Live preview: the site built in memory, served on loopback, rebuilt when a source changes.

Nothing is written to disk. PDFs are made on first request (WeasyPrint is the slow part of a
build), so a save shows up in the browser within a moment. When the project has errors, every
page shows them instead of the site, and the server keeps running until they are fixed.

It answers only requests addressed to itself (see :func:`check_request`): listening on loopback
keeps other machines out, but not a web page the analyst opens, which can point a name of its
own at 127.0.0.1 (DNS rebinding) and read the preview as its own content.
"""

from __future__ import annotations

import html
import mimetypes
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from briefgen.diagnostics import Report, Severity
from briefgen.model import Tlp
from briefgen.provenance.verify import ExtractedTexts

VERSION_PATH = "/__briefgen/version"
WATCHED_DIRS = ("content", "templates")
MAX_WATCHED_FOLDERS = 1000
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
# The names the preview answers to. It listens on 127.0.0.1 only; [::1] is accepted too because
# an address literal cannot be rebound to another machine, and "localhost" because browsers
# resolve it to loopback themselves, without asking DNS.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
# Sec-Fetch-Site values of the preview's own poll ("same-origin") and of an address typed or
# bookmarked by hand ("none"); any other value is a request made by another site.
OWN_FETCH_SITES = ("same-origin", "none")


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
        # Archive texts kept across rebuilds: each save validates again, and extracting an
        # unchanged PDF archive again would cost about a tenth of a second per page.
        self._extracted = ExtractedTexts()

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
            validated = validate_project(self.root, self._extracted)
            project, report = validated.project, validated.report
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
        """The PDF of a published briefing, made on first request of each build.

        An up-to-date PDF in ``output/<id>/`` (as ``build`` or ``publish`` wrote it) is read
        from there; otherwise it is rendered in memory (the preview writes nothing).
        """
        from briefgen.site.ceiling import CeilingResult
        from briefgen.site.publish import edition_pdf

        with self._lock:
            released = self._released
            if not isinstance(released, CeilingResult):
                return None
            if briefing_id not in released.project.briefings:
                return None
            if briefing_id not in self._pdfs:
                self._pdfs[briefing_id] = edition_pdf(released.project, briefing_id)
            return self._pdfs[briefing_id]


@dataclass(frozen=True)
class Refusal:
    """Why a request is not answered: the status and a short plain-text reason."""

    status: HTTPStatus
    reason: str


def allowed_hosts(port: int) -> frozenset[str]:
    """The ``Host`` values (lower case) of requests addressed to the preview on ``port``.

    A browser always sends the port unless it is HTTP's default, 80; only then does it send a
    bare name for the preview, so only then is the bare name accepted. Nothing else is needed:
    a browser cannot be made to send a Host it did not take from the address it was given.
    """
    hosts = {f"{name}:{port}" for name in LOOPBACK_NAMES}
    if port == 80:
        hosts.update(LOOPBACK_NAMES)
    return frozenset(hosts)


def allowed_origins(port: int) -> frozenset[str]:
    """The ``Origin`` values (lower case) of the preview's own pages."""
    return frozenset(f"http://{host}" for host in allowed_hosts(port))


def split_target(target: str) -> tuple[str | None, str] | None:
    """The authority (absolute form only) and the path of a request target, or None.

    Only the forms a browser sends are accepted: a path ("/x?q"), or a full ``http://`` URL as
    sent to proxies. A path is cut at "?" by hand: ``urlsplit`` would read "//etc/passwd" as
    the host "etc".
    """
    if target.startswith("/"):
        return None, target.partition("?")[0].partition("#")[0]
    if target[:7].lower() == "http://":
        parts = urlsplit(target)
        return parts.netloc.lower(), parts.path or "/"
    return None


def check_request(target: str, headers: Message, port: int) -> Refusal | None:
    """None if the request is addressed to the preview on ``port`` by itself or by hand.

    Refused: a missing or repeated Host (400, as HTTP requires); a Host or absolute target that
    names anything but the preview (421); an Origin other than the preview's own (403), on every
    path, since the preview's own pages never send another; and on the reload channel a
    Sec-Fetch-Site that says another site made the request (403).
    """
    use = f"open http://127.0.0.1:{port}/ instead"
    hosts = headers.get_all("Host") or []
    if len(hosts) != 1:
        return Refusal(HTTPStatus.BAD_REQUEST, f"exactly one Host header is required; {use}.")
    split = split_target(target)
    if split is None:
        return Refusal(HTTPStatus.BAD_REQUEST, f"the request target is not a path; {use}.")
    authority, path = split
    allowed = allowed_hosts(port)
    if hosts[0].strip(" \t").lower() not in allowed or authority not in (None, *allowed):
        names = ", ".join(sorted(allowed))
        reason = f"this preview answers only requests addressed to {names}; {use}."
        return Refusal(HTTPStatus.MISDIRECTED_REQUEST, reason)
    origins = allowed_origins(port)
    if any(o.strip(" \t").lower() not in origins for o in headers.get_all("Origin") or []):
        reason = f"this preview refuses requests made by other web sites; {use}."
        return Refusal(HTTPStatus.FORBIDDEN, reason)
    fetch_site = headers.get("Sec-Fetch-Site", "same-origin").strip(" \t").lower()
    if unquote(path) == VERSION_PATH and fetch_site not in OWN_FETCH_SITES:
        reason = f"the reload channel answers only the preview's own pages; {use}."
        return Refusal(HTTPStatus.FORBIDDEN, reason)
    return None


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

        def parse_request(self) -> bool:
            # Every request passes here before its method is looked at, so the check covers
            # every method, known or not.
            if not super().parse_request():
                return False
            port = int(self.connection.getsockname()[1])
            refusal = check_request(self.path, self.headers, port)
            if refusal is None:
                return True
            self._refuse(refusal)
            return False

        def _refuse(self, refusal: Refusal) -> None:
            body = f"{refusal.status.value} {refusal.status.phrase}: {refusal.reason}\n"
            data = body.encode("utf-8")
            self.send_response(refusal.status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            # The request may carry a body that is never read: end the connection.
            self.send_header("Connection", "close")
            self.close_connection = True
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def do_GET(self) -> None:
            split = split_target(self.path)
            path = unquote(split[1] if split else "/")
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
    output/). content/ and templates/ are watched folder by folder, each without recursion,
    as :func:`watched_folders` lists them: a watcher that recursed would follow a link out of
    the project and list (and watch) whatever folder it leads to.
    """
    import watchfiles

    def relevant(_change: watchfiles.Change, path: str) -> bool:
        return Path(path).name == PROJECT_FILE or Path(path).name in WATCHED_DIRS

    def run(paths: list[Path], keep: Callable[[watchfiles.Change, str], bool] | None) -> None:
        for _changes in watchfiles.watch(
            *paths,
            watch_filter=keep,
            step=50,
            stop_event=stop,
            recursive=False,
            raise_interrupt=False,
        ):
            on_change()

    dirs = watched_folders(root)
    threads = [threading.Thread(target=run, args=([root], relevant), daemon=True)]
    if dirs:
        threads.append(
            threading.Thread(target=run, args=(dirs, watchfiles.DefaultFilter()), daemon=True)
        )
    for thread in threads:
        thread.start()
    # watchfiles gives no "ready" signal; a moment's grace keeps a save made right after the
    # server reports itself from being missed.
    time.sleep(0.3)
    return threads


def watched_folders(root: Path) -> list[Path]:
    """content/, templates/ and every folder below them, never through a symbolic link.

    A folder that is itself a link (to anywhere) is left out, and so is everything below it;
    validation reports a link that leads out of the project. At most
    :data:`MAX_WATCHED_FOLDERS` folders: a project holds a handful. A folder made while the
    preview runs is watched from its next start (its files' changes in the folder above it
    still trigger a rebuild).
    """
    found: list[Path] = []
    pending = [root / d for d in WATCHED_DIRS]
    while pending and len(found) < MAX_WATCHED_FOLDERS:
        folder = pending.pop(0)
        if folder.is_symlink() or not folder.is_dir():
            continue
        found.append(folder)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        pending.extend(Path(e.path) for e in entries if e.is_dir(follow_symlinks=False))
    return found


def make_server(preview: Preview, port: int) -> ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1 (loopback only); ``port`` 0 picks a free port.

    It answers only requests addressed to 127.0.0.1, localhost or [::1] with its port.
    """
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(preview))
    server.daemon_threads = True
    return server
