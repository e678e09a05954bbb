"""Archived copies of sources: safe paths, checksums, and their text (plain, HTML or PDF).

An archive is a file inside the project (``archive: {path: ..., sha256: ...}`` on a source).
Its path is relative to the project folder; absolute paths, ``..`` and symbolic links that lead
outside the project are refused, so content cannot make briefgen read arbitrary files. The PDF
library is imported only when a PDF archive is read, so ``briefgen validate`` stays light.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from briefgen.errors import ArchiveError as ArchiveError  # importable from here too
from briefgen.load.confine import (
    ConfineError,
    FileTooLargeError,
    LinkOutsideError,
    NotRegularFileError,
    read_inside,
    resolve_inside,
)
from briefgen.model.sources import Archive

MAX_ARCHIVE_BYTES = 20 * 1024 * 1024
MAX_PDF_PAGES = 5000
# pypdf reads a content stream at about 2-3 microseconds a byte, each time a page or a form
# draws it: a page shares its stream with 5000 others, or draws one form 5000 times, and a
# small file takes hours. The decoded bytes read for all pages together are counted before
# any text is extracted. Real pages hold 5-10 KB, so this allows 800 to 1600 pages of text
# and keeps the worst case to about 20 s.
MAX_PDF_CONTENT_BYTES = 8 * 1024 * 1024
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
PDF_SUFFIXES = frozenset({".pdf"})
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ArchiveMissingError(ArchiveError):
    """The archive file is not on disk: quotes from the source stay unverified, not failing."""


@dataclass(frozen=True)
class ArchiveFile:
    """A checked archive: where it is, how it is shown, and its raw bytes."""

    path: Path
    display: str
    data: bytes


def resolve_archive_path(root: Path, written: str) -> Path:
    """The absolute path of an archive named ``written``, refusing anything outside ``root``."""
    if "\x00" in written:
        raise ArchiveError("archive path contains a NUL character")
    if "\\" in written:
        raise ArchiveError(
            f"archive path '{written}' contains a backslash",
            "write it with forward slashes, relative to the project folder",
        )
    posix = PurePosixPath(written)
    if posix.is_absolute() or PureWindowsPath(written).is_absolute() or written.startswith("~"):
        raise ArchiveError(
            f"archive path '{written}' is absolute; archives must be inside the project",
            "write it relative to the project folder, e.g. content/archive/report.txt",
        )
    if ".." in posix.parts:
        raise ArchiveError(
            f"archive path '{written}' uses '..'; archives must be inside the project",
            "move the file under the project folder, e.g. content/archive/",
        )
    try:
        return resolve_inside(root, posix)
    except LinkOutsideError as exc:
        if exc.loop:
            raise ArchiveError(f"archive path '{written}': {exc.link} is a loop of links") from None
        raise ArchiveError(
            f"archive path '{written}' leads outside the project (through a symbolic link)",
            f"{exc.link} links to {exc.target}; "
            "copy the file into the project instead of linking to it",
        ) from None
    except ConfineError as exc:
        raise ArchiveError(f"archive path '{written}': {exc.message}", exc.hint) from None


def read_archive_file(root: Path, archive: Archive) -> ArchiveFile:
    """Resolve, read (regular files only, bounded) and checksum an archive. Raises ArchiveError."""
    path = resolve_archive_path(root, archive.path)
    base = root.resolve()
    display = path.relative_to(base).as_posix()
    try:
        data = read_inside(base, path.relative_to(base), MAX_ARCHIVE_BYTES)
    except FileNotFoundError:
        raise ArchiveMissingError(
            f"archive file not found: {display} (quotes from this source are unverified)",
            "put a copy of the source's text there; see docs/provenance.md",
        ) from None
    except FileTooLargeError as exc:
        size = f"{exc.size / 2**20:.1f} MiB" if exc.size is not None else "too large"
        raise ArchiveError(
            f"archive {display} is {size}; the limit is {MAX_ARCHIVE_BYTES // 2**20} MiB",
            "archive only the article's text, e.g. as a .txt file",
        ) from None
    except NotRegularFileError:
        raise ArchiveError(f"archive {display} is not a regular file") from None
    except ConfineError as exc:
        raise ArchiveError(f"archive {display} {exc.message}", exc.hint) from None
    except OSError as exc:
        raise ArchiveError(f"cannot read archive {display}: {exc.strerror}") from None
    _check_sha256(archive, data, display)
    return ArchiveFile(path, display, data)


def _check_sha256(archive: Archive, data: bytes, display: str) -> None:
    if archive.sha256 is None:
        return
    expected = archive.sha256.strip().lower().removeprefix("sha256:")
    actual = hashlib.sha256(data).hexdigest()
    if not _SHA256.match(expected):
        raise ArchiveError(
            f"'{archive.sha256}' is not a SHA-256 checksum (64 hexadecimal digits)",
            f"the file's checksum is {actual}",
            field="sha256",
        )
    if expected != actual:
        raise ArchiveError(
            f"archive {display} does not match its sha256: expected {expected[:12]}…, "
            f"the file has {actual[:12]}…",
            f"if this copy is the right one, set sha256: {actual}",
            field="sha256",
        )


def extract_text(file: ArchiveFile) -> str:
    """The text of an archive, by its file type. Raises ArchiveError."""
    suffix = file.path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return _decode(file.data, file.display)
    if suffix in HTML_SUFFIXES:
        return html_text(_decode(file.data, file.display))
    if suffix in PDF_SUFFIXES:
        return pdf_text(file.data, file.display)
    raise ArchiveError(
        f"archive {file.display}: unsupported file type '{suffix or '(none)'}'",
        "use plain text (.txt), HTML (.html) or PDF (.pdf)",
    )


def _decode(data: bytes, display: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArchiveError(
            f"archive {display} is not UTF-8 text (byte {exc.start})",
            "save it as UTF-8",
        ) from None


class _TextParser(HTMLParser):
    """Collects the visible text of an HTML page, with line breaks at block boundaries."""

    SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg", "math"})
    BLOCK = frozenset(
        {
            *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
            *("figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header"),
            *("hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th"),
            *("tr", "ul"),
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.skipping = 0  # a <head> left open ends where the body begins
        elif tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The visible text of an HTML document (scripts, styles and the head left out)."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def pdf_text(data: bytes, display: str) -> str:
    """The text of a PDF, page by page, extracted with pypdf. Raises ArchiveError."""
    import pypdf  # imported here: only PDF archives need it

    # pypdf logs recoverable oddities of real-world PDFs; they are not the user's problem.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ArchiveError(f"archive {display} is an encrypted PDF", "archive a text copy")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ArchiveError(f"archive {display} has more than {MAX_PDF_PAGES} pages")
        _check_pdf_work(reader, display)
        pages = [page.extract_text() or "" for page in reader.pages]
    except ArchiveError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on damaged files
        raise ArchiveError(
            f"archive {display}: cannot read the PDF ({type(exc).__name__}: {exc})",
            "archive a text copy (.txt) of the source instead",
        ) from None
    text = "\n".join(pages)
    if not text.strip():
        raise ArchiveError(
            f"archive {display}: the PDF has no extractable text (a scanned image?)",
            "archive a text copy (.txt) of the source instead",
        )
    return text


def _check_pdf_work(reader: Any, display: str) -> None:
    """Refuse a PDF whose text extraction would read more than MAX_PDF_CONTENT_BYTES."""
    total = 0
    for number, page in enumerate(reader.pages, start=1):
        total += _page_work(page)
        if total > MAX_PDF_CONTENT_BYTES:
            raise ArchiveError(
                f"archive {display}: the PDF is too complex to read: its pages up to page "
                f"{number} draw more than {MAX_PDF_CONTENT_BYTES // 2**20} MiB of content",
                "archive a text copy (.txt) of the source instead",
            )


def _page_work(page: Any) -> int:
    """Bytes pypdf may parse for one page: its content, and each form it can draw, each time.

    pypdf parses a form again at every ``Do`` and stops after a configured number of them per
    page; a ``Do`` is counted wherever the two letters appear (more than draw, never fewer).
    """
    from pypdf import get_configuration

    content = _stream_bytes(page.get("/Contents"))
    forms = _form_streams(page.get("/Resources"), set())
    if not forms:
        return len(content)
    draws = content.count(b"Do") + sum(form.count(b"Do") for form in forms)
    if any(b"Do" in form for form in forms):
        draws = max(draws, get_configuration().xform_maximum_invocations_per_extraction)
    draws = min(draws, get_configuration().xform_maximum_invocations_per_extraction)
    return len(content) + draws * max(len(form) for form in forms)


def _stream_bytes(contents: Any) -> bytes:
    """The decoded bytes of a page's ``/Contents`` (one stream or an array of them)."""
    contents = contents.get_object() if contents is not None else None
    if contents is None:
        return b""
    if isinstance(contents, list):
        return b"".join(_stream_bytes(part) for part in contents)
    get_data = getattr(contents, "get_data", None)
    return get_data() if get_data is not None else b""


def _form_streams(resources: Any, seen: set[int]) -> list[bytes]:
    """The decoded content of every form XObject reachable from ``resources``, once each."""
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    xobjects = xobjects.get_object() if xobjects is not None else None
    forms: list[bytes] = []
    for ref in (xobjects or {}).values():
        xobject = ref.get_object()
        if id(xobject) in seen or xobject.get("/Subtype") != "/Form":
            continue
        seen.add(id(xobject))
        forms.append(_stream_bytes(xobject))
        forms += _form_streams(xobject.get("/Resources"), seen)
    return forms
