"""A WeasyPrint URL fetcher that reads nothing but inline data and files in allowed folders.

WeasyPrint's default fetcher follows any URL: ``../`` and ``%2e%2e`` traversal, symlinks out
of a folder, ``file://localhost``, ``http://127.0.0.1``. Here only ``data:`` URLs and ``file:``
URLs that resolve (after decoding and following symlinks) to a regular file inside one of the
allowed folders are read, at most :data:`MAX_RESOURCE_BYTES` of it; anything else stops the
rendering with a :class:`BlockedURLError` naming the URL and the reason.

The same rule is exposed as :meth:`SafeURLFetcher.check`, so that a stylesheet's URLs can be
checked (and the refusal located in the CSS) before WeasyPrint ever sees them.

All the fetches of one document together are bounded too (:data:`MAX_DOCUMENT_BYTES`, counted
inside :func:`document_budget`): WeasyPrint copies every font it fetches into a temporary
folder before it looks at it, so forty ``@font-face`` rules naming one big file would
otherwise write forty copies to ``/tmp``.
"""

from __future__ import annotations

import mimetypes
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# A font, an image or a stylesheet is far smaller; a bigger file is a mistake or an attack
# (a sparse file of terabytes, a log that keeps growing).
MAX_RESOURCE_BYTES = 32 * 1024 * 1024
# A data: URL is text (base64 takes 4 characters for 3 bytes), bounded to about the same.
MAX_DATA_URL_CHARS = MAX_RESOURCE_BYTES * 4 // 3 + 1024
# Everything one PDF reads through the fetcher (fonts, images, stylesheets, data: URLs): far
# more than a document needs, small enough that the copies WeasyPrint keeps stay bounded.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
ALLOWED_SCHEMES = ("data", "file")
OUTSIDE = "may only read files in the templates folders"

# Opening never blocks (a FIFO with no writer) and never follows a link swapped in after the
# check; the descriptor is not inherited by child processes.
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)


class BlockedURLError(FatalURLFetchingError):  # type: ignore[misc]
    """A URL the PDF renderer is not allowed to read.

    A ``FatalURLFetchingError`` (a ``BaseException``): WeasyPrint catches ordinary exceptions
    around its fetches and carries on without the resource, but lets this one stop rendering.
    ``reason`` says why without the URL, for messages that show the URL as written.
    """

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"the PDF renderer {reason}: {_short(url)}")
        self.url = url
        self.reason = f"the PDF renderer {reason}"


@dataclass
class _Spent:
    """Bytes handed out so far for the document being made."""

    total: int = 0


# Per document, not per fetcher: one fetcher serves every PDF of a project (it is part of the
# cache key of the parsed stylesheets), and serve's threads each make their own document.
_SPENT: ContextVar[_Spent | None] = ContextVar("briefgen_pdf_fetched", default=None)


@contextmanager
def document_budget() -> Iterator[None]:
    """Count every fetch made inside the block against one :data:`MAX_DOCUMENT_BYTES`."""
    token = _SPENT.set(_Spent())
    try:
        yield
    finally:
        _SPENT.reset(token)


def _spend(url: str, size: int) -> None:
    """Count ``size`` bytes for the current document; refuse the fetch past the budget."""
    spent = _SPENT.get()
    if spent is None:
        return  # outside a document (a direct call): only the per-resource bound applies
    if spent.total + size > MAX_DOCUMENT_BYTES:
        raise BlockedURLError(
            url,
            f"may not read more than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB for one PDF "
            f"(fonts, images and stylesheets together; {spent.total:,} bytes read before this "
            f"one of {size:,})",
        )
    spent.total += size


def _short(url: str) -> str:
    # A refused data: URL can be megabytes long; its start is enough to recognise it.
    return repr(url if len(url) <= 200 else url[:200] + "…")


class SafeURLFetcher(URLFetcher):  # type: ignore[misc]
    """Fetch ``data:`` URLs and files under ``allowed_dirs`` only; never the network."""

    def __init__(self, allowed_dirs: Iterable[Path], **kwargs: Any) -> None:
        super().__init__(allowed_protocols=set(ALLOWED_SCHEMES), fail_on_errors=True, **kwargs)
        self.allowed_dirs = tuple(d.resolve() for d in allowed_dirs)

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Return the resource at ``url``, or raise :class:`BlockedURLError`."""
        path = self.check(url)
        if path is None:
            try:
                response = super().fetch(url, headers)
                # Read here, so that its size counts; bounded by MAX_DATA_URL_CHARS.
                body = response.read()
                response.close()
            except Exception as exc:  # urllib's data: handler raises several kinds
                raise BlockedURLError(url, f"cannot read a malformed data: URL ({exc})") from exc
            _spend(url, len(body))
            return URLFetcherResponse(response.url, body=body, headers=response.headers)
        size = _check_regular(path, url).st_size
        _spend(url, size)  # before reading: a refusal costs nothing
        body = _read_regular_file(path, url)
        if len(body) > size:  # grew since the check (still within MAX_RESOURCE_BYTES)
            _spend(url, len(body) - size)
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=body, headers={"Content-Type": media_type})

    def check(self, url: str) -> Path | None:
        """Raise :class:`BlockedURLError` unless ``url`` may be read; a file URL's real path.

        ``None`` for an allowed ``data:`` URL. Nothing is opened: a stylesheet's URLs can be
        checked before the stylesheet is parsed.
        """
        scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
        if scheme == "data":
            if len(url) > MAX_DATA_URL_CHARS:
                raise BlockedURLError(url, f"may not read a data: URL larger than {_mib()}")
            return None
        if scheme == "file":
            return self.allowed_path(url)
        raise BlockedURLError(url, "may not fetch this URL (no network access)")

    def allowed_path(self, url: str) -> Path:
        """The regular file a ``file:`` URL names, if it lies inside an allowed folder."""
        parts = urlsplit(url)
        if parts.netloc:
            # file://localhost/ and file://host/ alike: one spelling of local files is enough.
            raise BlockedURLError(url, "may not fetch a file URL with a host name")
        try:
            # url2pathname decodes %xx once, as a file system would see the path.
            named = Path(url2pathname(parts.path))
            path = named.resolve(strict=True)
        except (OSError, RuntimeError, ValueError) as exc:
            # ValueError: a NUL byte; RuntimeError: a loop of links.
            raise BlockedURLError(url, "cannot find this file in the templates folders") from exc
        if not any(path.is_relative_to(folder) for folder in self.allowed_dirs):
            raise BlockedURLError(url, OUTSIDE)
        _check_regular(path, url)
        return path


def _mib() -> str:
    return f"{MAX_RESOURCE_BYTES // (1024 * 1024)} MiB"


def _check_regular(path: Path, url: str) -> os.stat_result:
    try:
        info = path.stat()
    except OSError as exc:
        raise BlockedURLError(url, "cannot read this file") from exc
    _check_stat(info, url)
    return info


def _check_stat(info: os.stat_result, url: str) -> None:
    if not stat.S_ISREG(info.st_mode):
        # A folder, a FIFO, a socket or a device: reading it could hang or never end.
        raise BlockedURLError(url, "may only read regular files (this is not a regular file)")
    if info.st_size > MAX_RESOURCE_BYTES:
        raise BlockedURLError(url, f"may not read a file larger than {_mib()}")


def _read_regular_file(path: Path, url: str) -> bytes:
    """The bytes of ``path``, checked again on the open descriptor (the file may have changed)."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise BlockedURLError(url, "cannot read this file") from exc
    with os.fdopen(fd, "rb") as file:
        _check_stat(os.fstat(file.fileno()), url)
        try:
            data = file.read(MAX_RESOURCE_BYTES + 1)
        except OSError as exc:
            raise BlockedURLError(url, "cannot read this file") from exc
    if len(data) > MAX_RESOURCE_BYTES:  # grew since the check
        raise BlockedURLError(url, f"may not read a file larger than {_mib()}")
    return data
