"""Capture a source into the project: fetch a URL or take a file, check it, keep its bytes.

The one place in briefgen that uses the network (``briefgen archive`` calls it; every other
command only reads the project). What comes back is hostile input, so a fetch is bounded:

- only ``http`` and ``https``; at most :data:`MAX_REDIRECTS` redirects, each to ``http`` or
  ``https``, the final URL recorded;
- a connection timeout (:data:`CONNECT_TIMEOUT`), a timeout on every read
  (:data:`READ_TIMEOUT`) and one for the whole transfer (:data:`TOTAL_TIMEOUT`);
- at most :data:`~briefgen.provenance.archives.MAX_ARCHIVE_BYTES`, counted while reading (a
  larger ``Content-Length`` is refused before the body is read);
- only HTML, plain text and PDF (by ``Content-Type``), never compressed (``Accept-Encoding:
  identity``), and the bytes must give text as validation will read them.

Nothing links are followed to: the one page asked for is the capture. Proxies from the
environment are not used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import os
import socket
import ssl
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from briefgen import __version__
from briefgen.errors import ArchiveError, BriefgenError
from briefgen.load.confine import open_folder, read_bounded, temp_name
from briefgen.provenance.archives import (
    HTML_SUFFIXES,
    HTML_TYPES,
    MAX_ARCHIVE_BYTES,
    PDF_SUFFIXES,
    PDF_TYPES,
    TEXT_SUFFIXES,
    TEXT_TYPES,
    ArchiveFile,
    archive_limit,
    extract_text,
    media_type,
)
from briefgen.provenance.webarchive import is_web_archive, pick_capture

ARCHIVE_FOLDER = ("content", "archive")
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
TOTAL_TIMEOUT = 120.0
_CHUNK = 1 << 16
USER_AGENT = f"briefgen/{__version__} (briefgen archive; one page, on request)"
# The file name suffix of what is stored, by media type.
SUFFIX_OF_TYPE = {
    **dict.fromkeys(HTML_TYPES, ".html"),
    **dict.fromkeys(TEXT_TYPES, ".txt"),
    **dict.fromkeys(PDF_TYPES, ".pdf"),
}


class CaptureError(BriefgenError):
    """A capture that cannot be made (network, size, type, an unusable file): exit 1."""

    consequence = "nothing written"


@dataclass(frozen=True)
class Capture:
    """What to store and record: the exact bytes and what is known of them."""

    data: bytes
    suffix: str  # .html, .txt, .pdf, .warc, .warc.gz, .wacz
    content_type: str
    captured: str  # UTC, to the second
    final_url: str | None = None

    @property
    def sha256(self) -> str:
        """The SHA-256 of the bytes, hex."""
        return hashlib.sha256(self.data).hexdigest()


def utc_now() -> str:
    """Now, UTC, to the second: '2024-03-01T09:30:00Z'."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fetch(url: str) -> Capture:
    """GET one page (see the module for the bounds). Raises CaptureError."""
    deadline = time.monotonic() + TOTAL_TIMEOUT
    for _ in range(MAX_REDIRECTS + 1):
        _check_scheme(url)
        response, connection = _request(url)
        try:
            location = response.getheader("Location")
            if 300 <= response.status < 400 and location:
                url = urljoin(url, location)
                continue
            return _read_response(url, response, deadline)
        finally:
            connection.close()
    raise CaptureError(f"more than {MAX_REDIRECTS} redirects, the last to {url}")


def _check_scheme(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CaptureError(f"'{url}' is not an http or https URL")


def _request(url: str) -> tuple[http.client.HTTPResponse, http.client.HTTPConnection]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        context = ssl.create_default_context()
        connection = http.client.HTTPSConnection(
            host, parts.port, timeout=CONNECT_TIMEOUT, context=context
        )
    else:
        connection = http.client.HTTPConnection(host, parts.port, timeout=CONNECT_TIMEOUT)
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    try:
        connection.connect()
        if connection.sock is not None:
            connection.sock.settimeout(READ_TIMEOUT)
        connection.request("GET", target, headers=_HEADERS)
        return connection.getresponse(), connection
    except (OSError, http.client.HTTPException) as exc:
        connection.close()
        raise CaptureError(f"cannot fetch {url}: {_reason(exc)}") from None


_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html, application/xhtml+xml, text/plain, application/pdf;q=0.9",
    "Accept-Encoding": "identity",
}


def _reason(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "no answer in time (timed out)"
    if isinstance(exc, socket.gaierror):
        return "the host name cannot be found"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or exc})"
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _read_response(url: str, response: http.client.HTTPResponse, deadline: float) -> Capture:
    """Check the status, type and size of a final response, then read it, bounded."""
    if response.status != 200:
        raise CaptureError(f"{url} answered {response.status} {response.reason}")
    content_type = response.getheader("Content-Type") or ""
    kind, _ = media_type(content_type)
    if kind not in SUFFIX_OF_TYPE:
        raise CaptureError(
            f"{url} is {kind or 'of no stated type'}, not a page of text",
            "briefgen archive keeps HTML, plain text and PDF; save another kind by hand",
        )
    encoding = (response.getheader("Content-Encoding") or "identity").lower()
    if encoding != "identity":
        raise CaptureError(f"{url} was sent {encoding}-compressed although briefgen asked not")
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > MAX_ARCHIVE_BYTES:
        raise _too_large(url, int(length))
    data = _read_bounded(url, response, deadline)
    return Capture(data, SUFFIX_OF_TYPE[kind], content_type, utc_now(), final_url=url)


def _read_bounded(url: str, response: http.client.HTTPResponse, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := response.read(_CHUNK):
            size += len(chunk)
            if size > MAX_ARCHIVE_BYTES:
                raise _too_large(url, None)
            if time.monotonic() > deadline:
                raise CaptureError(f"{url} took more than {TOTAL_TIMEOUT:.0f} s to send")
            chunks.append(chunk)
    except (OSError, http.client.HTTPException) as exc:
        raise CaptureError(f"cannot fetch {url}: {_reason(exc)}") from None
    return b"".join(chunks)


def _too_large(url: str, size: int | None) -> CaptureError:
    told = f" ({size / 2**20:.1f} MiB)" if size is not None else ""
    return CaptureError(
        f"{url} is larger than {MAX_ARCHIVE_BYTES // 2**20} MiB{told}, the limit of an archive",
        "save the article's text by hand and archive that file",
    )


def from_file(path: Path, source_url: str | None) -> Capture:
    """Take a local file: HTML, plain text, PDF, WARC or WACZ (by its name). Raises CaptureError.

    Of a web archive, the response for ``source_url`` is the capture (the latest, if there are
    several); its URL, time (WARC-Date) and media type are what is recorded.
    """
    suffix = file_suffix(path.name)
    try:
        data = read_bounded(path, archive_limit(path.name))
    except FileNotFoundError:
        raise CaptureError(f"no such file: {path}") from None
    except (BriefgenError, OSError) as exc:
        reason = getattr(exc, "message", None) or getattr(exc, "strerror", None) or exc
        raise CaptureError(f"cannot read {path}: {reason}") from None
    if is_web_archive(path.name):
        try:
            record = pick_capture(data, path.name, source_url, None)
        except ArchiveError as exc:
            raise CaptureError(exc.message, exc.hint) from None
        return Capture(data, suffix, record.content_type, record.captured, record.url)
    return Capture(data, suffix, _FILE_TYPES[suffix], utc_now())


_FILE_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
}


def file_suffix(name: str) -> str:
    """The suffix a file is stored with, by its name; CaptureError for another kind."""
    lower = name.lower()
    for suffix in (".warc.gz", ".warc", ".wacz"):
        if lower.endswith(suffix):
            return suffix
    ending = Path(lower).suffix
    for suffixes, stored in ((HTML_SUFFIXES, ".html"), (TEXT_SUFFIXES, ".txt")):
        if ending in suffixes:
            return stored
    if ending in PDF_SUFFIXES:
        return ".pdf"
    raise CaptureError(
        f"{name}: briefgen archive takes HTML, plain text (.txt, .md), PDF, WARC (.warc, "
        ".warc.gz) or WACZ (.wacz) files"
    )


def check_readable(capture: Capture, name: str, shown: str, source_url: str | None) -> None:
    """Read the text as validation will: an unusable capture is refused before it is kept.

    ``name`` is the file name it will have (its type), ``shown`` what it was taken from.
    """
    charset = media_type(capture.content_type)[1]
    target = capture.final_url or source_url
    file = ArchiveFile(Path(name), shown, capture.data, target, capture.captured, charset)
    try:
        extract_text(file)
    except ArchiveError as exc:
        raise CaptureError(exc.message, exc.hint) from None


def store(root: Path, name: str, data: bytes, *, replace: bool) -> None:
    """Write content/archive/NAME atomically, through no link; an existing different file
    only with ``replace``. Raises CaptureError."""
    try:
        folder = open_folder(root, ARCHIVE_FOLDER, create=True)
    except OSError as exc:
        raise CaptureError(
            f"cannot write {'/'.join(ARCHIVE_FOLDER)}: {exc.strerror or exc} (a symbolic link "
            "on the way is refused: briefgen writes only inside the project)"
        ) from None
    try:
        _check_existing(folder, name, data, replace)
        write_atomic(folder, name, data)
    finally:
        os.close(folder)


def _check_existing(folder: int, name: str, data: bytes, replace: bool) -> None:
    shown = "/".join((*ARCHIVE_FOLDER, name))
    try:
        old = read_bounded(name, max(len(data), archive_limit(name)), dir_fd=folder)
    except FileNotFoundError:
        return
    except (BriefgenError, OSError):
        old = None
    if old != data and not replace:
        raise CaptureError(
            f"{shown} exists and holds another copy",
            "run again with --replace to keep the new capture instead",
        )


def write_atomic(folder: int, name: str, data: bytes) -> None:
    """Write ``name`` in the folder ``folder`` (a descriptor): a new file, then renamed."""
    temporary = temp_name(f".{name}.", ".tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(temporary, flags, 0o666, dir_fd=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        os.unlink(temporary, dir_fd=folder)
        raise
