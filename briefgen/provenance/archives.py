"""Archived copies of sources: safe paths, checksums, and their text (plain, HTML, PDF, WARC).

An archive is a file inside the project (``archive: {path: ..., sha256: ...}`` on a source).
Its path is relative to the project folder; absolute paths, ``..`` and symbolic links that lead
outside the project are refused, so content cannot make briefgen read arbitrary files. Of an
HTML page only the article's main text counts (trafilatura, see :func:`main_text`), not its
navigation, footer or related stories; a WARC or WACZ file gives the response record of the
source's URL (:mod:`briefgen.provenance.webarchive`). The PDF, HTML and WARC libraries are
imported only when such an archive is read, so ``briefgen validate`` stays light.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass
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
from briefgen.provenance.webarchive import is_web_archive, pick_capture

MAX_ARCHIVE_BYTES = 20 * 1024 * 1024
# A WARC or WACZ file keeps the whole HTTP exchange (and often a page's images): more room.
MAX_WEB_ARCHIVE_BYTES = 100 * 1024 * 1024
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
# Media types an archive may hold, by what its text is (the parameters, e.g. charset, aside).
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown"})
PDF_TYPES = frozenset({"application/pdf"})
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ArchiveMissingError(ArchiveError):
    """The archive file is not on disk: quotes from the source stay unverified, not failing."""


@dataclass(frozen=True)
class ArchiveFile:
    """A checked archive: where it is, how it is shown, and its raw bytes.

    ``target`` and ``captured`` say which record of a web archive is the source's (its
    ``final_url``, else the source's ``url``; the capture time); ``charset`` is the one the
    archive's ``content_type`` declares, if any.
    """

    path: Path
    display: str
    data: bytes
    target: str | None = None
    captured: str | None = None
    charset: str | None = None


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


def read_archive_file(root: Path, archive: Archive, source_url: str | None = None) -> ArchiveFile:
    """Resolve, read (regular files only, bounded) and checksum an archive. Raises ArchiveError.

    ``source_url``: the source's ``url``, the record to use in a web archive without a
    ``final_url``.
    """
    path = resolve_archive_path(root, archive.path)
    base = root.resolve()
    display = path.relative_to(base).as_posix()
    limit = archive_limit(path.name)
    try:
        data = read_inside(base, path.relative_to(base), limit)
    except FileNotFoundError:
        raise ArchiveMissingError(
            f"archive file not found: {display} (quotes from this source are unverified)",
            "put a copy of the source's text there; see docs/provenance.md",
        ) from None
    except FileTooLargeError as exc:
        size = f"{exc.size / 2**20:.1f} MiB" if exc.size is not None else "too large"
        raise ArchiveError(
            f"archive {display} is {size}; the limit is {limit // 2**20} MiB",
            "archive only the article's text, e.g. as a .txt file",
        ) from None
    except NotRegularFileError:
        raise ArchiveError(f"archive {display} is not a regular file") from None
    except ConfineError as exc:
        raise ArchiveError(f"archive {display} {exc.message}", exc.hint) from None
    except OSError as exc:
        raise ArchiveError(f"cannot read archive {display}: {exc.strerror}") from None
    _check_sha256(archive, data, display)
    target = archive.final_url or source_url
    return ArchiveFile(
        path,
        display,
        data,
        target=None if target is None else str(target),
        captured=archive.captured,
        charset=media_type(archive.content_type or "")[1],
    )


def archive_limit(name: str) -> int:
    """The most bytes an archive file of this name may have."""
    return MAX_WEB_ARCHIVE_BYTES if is_web_archive(name) else MAX_ARCHIVE_BYTES


def media_type(value: str) -> tuple[str, str | None]:
    """'text/html; charset=UTF-8' -> ('text/html', 'utf-8')."""
    kind, *parameters = value.split(";")
    charset = None
    for parameter in parameters:
        name, _, setting = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = setting.strip().strip('"').lower() or None
    return kind.strip().lower(), charset


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
    if is_web_archive(file.path.name):
        capture = pick_capture(file.data, file.display, file.target, file.captured)
        kind, charset = media_type(capture.content_type)
        where = f"{file.display} ({capture.url}, captured {capture.captured})"
        if kind in HTML_TYPES:
            return main_text(_decode(capture.payload, where, charset), where)
        if kind in TEXT_TYPES:
            return _decode(capture.payload, where, charset)
        if kind in PDF_TYPES:
            return pdf_text(capture.payload, where)
        raise ArchiveError(
            f"archive {where}: the response is {kind or 'of no stated type'}",
            "only HTML, plain text and PDF responses can be checked",
        )
    suffix = file.path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return _decode(file.data, file.display, file.charset)
    if suffix in HTML_SUFFIXES:
        return main_text(_decode(file.data, file.display, file.charset), file.display)
    if suffix in PDF_SUFFIXES:
        return pdf_text(file.data, file.display)
    raise ArchiveError(
        f"archive {file.display}: unsupported file type '{suffix or '(none)'}'",
        "use plain text (.txt), HTML (.html), PDF (.pdf), WARC (.warc, .warc.gz) or WACZ (.wacz)",
    )


def text_label(archive: Archive) -> str:
    """Which text of an archive quotes are looked for in, for the report.

    'the main text of content/archive/x.html', 'the text of content/archive/x.txt', 'the main
    text of the capture of https://… in content/archive/x.warc.gz'.
    """
    name = archive.path.lower()
    if is_web_archive(name):
        which = f" of {archive.final_url}" if archive.final_url else ""
        when = f" at {archive.captured}" if archive.captured else ""
        return f"the capture{which}{when} in {archive.path}"
    if name.endswith(tuple(HTML_SUFFIXES)):
        return f"the main text of {archive.path}"
    return f"the text of {archive.path}"


def _decode(data: bytes, display: str, charset: str | None = None) -> str:
    """Text in the declared charset (from the archive's content_type), else UTF-8."""
    encoding = charset or "utf-8"
    try:
        text = data.decode("utf-8-sig" if encoding in ("utf-8", "utf8") else encoding)
    except LookupError:
        raise ArchiveError(f"archive {display}: unknown charset '{charset}'") from None
    except UnicodeDecodeError as exc:
        if charset is None:
            raise ArchiveError(
                f"archive {display} is not UTF-8 text (byte {exc.start})",
                "save it as UTF-8",
            ) from None
        raise ArchiveError(f"archive {display} is not {charset} text (byte {exc.start})") from None
    return text


def main_text(markup: str, display: str) -> str:
    """The article's main text of an HTML page: no navigation, footer or related stories.

    trafilatura with fixed settings, so that the same page always gives the same text: no
    deduplication (its cache lives across calls), no comments section, tables kept, no
    metadata (which would look up dates), never a download. Raises ArchiveError when the page
    has no main text to find.
    """
    import trafilatura  # imported here: only HTML archives need it

    # trafilatura logs what it tries on odd pages; the outcome is all the user needs.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        text = trafilatura.extract(
            markup,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=False,
            deduplicate=False,
            with_metadata=False,
            output_format="txt",
        )
    except Exception as exc:  # lxml and the extractors raise many kinds of errors
        raise ArchiveError(
            f"archive {display}: cannot read the HTML page ({type(exc).__name__}: {exc})",
            "archive a text copy (.txt) of the article instead",
        ) from None
    if not text or not text.strip():
        raise ArchiveError(
            f"archive {display}: no article text found in the HTML page",
            "archive a text copy (.txt) of the article instead",
        )
    return str(text)


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
