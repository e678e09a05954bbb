"""A WeasyPrint URL fetcher that reads nothing but inline data and files in allowed folders.

WeasyPrint's default fetcher follows any URL: ``../`` and ``%2e%2e`` traversal, symlinks out
of a folder, ``file://localhost``, ``http://127.0.0.1``. Here only ``data:`` URLs and ``file:``
URLs that resolve (after decoding and following symlinks) to a regular file inside one of the
allowed folders are read; anything else stops the rendering with an error naming the URL.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse


class BlockedURLError(FatalURLFetchingError):  # type: ignore[misc]
    """A URL the PDF renderer is not allowed to read."""


class SafeURLFetcher(URLFetcher):  # type: ignore[misc]
    """Fetch ``data:`` URLs and files under ``allowed_dirs`` only; never the network."""

    def __init__(self, allowed_dirs: Iterable[Path], **kwargs: Any) -> None:
        super().__init__(allowed_protocols={"data", "file"}, fail_on_errors=True, **kwargs)
        self.allowed_dirs = tuple(d.resolve() for d in allowed_dirs if d.is_dir())

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Return the resource at ``url``, or raise :class:`BlockedURLError`."""
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self.allowed_path(url)
            media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), body=path.read_bytes(), headers={"Content-Type": media_type}
            )
        raise BlockedURLError(f"the PDF renderer may not fetch {url!r} (no network access)")

    def allowed_path(self, url: str) -> Path:
        """The regular file a ``file:`` URL names, if it lies inside an allowed folder."""
        parts = urlsplit(url)
        if parts.netloc not in ("",):
            raise BlockedURLError(f"the PDF renderer may not fetch {url!r} (remote file URL)")
        try:
            path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            raise BlockedURLError(f"the PDF renderer cannot find {url!r}") from exc
        inside = any(path.is_relative_to(folder) for folder in self.allowed_dirs)
        if not inside or not path.is_file():
            raise BlockedURLError(
                f"the PDF renderer may only read files in the templates folders, not {url!r}"
            )
        return path
