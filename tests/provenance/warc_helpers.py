"""Web archive fixtures written at test time with warcio, and the pages they hold.

Every page here was written for these tests. ``AUTHORITY_URL`` is the url of the base
project's source ``authority-2024-03-01``, whose quote is ``QUOTE``.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

BASE = Path(__file__).resolve().parent / "base"
SOURCES = "content/sources.yaml"
AUTHORITY_URL = "https://example.org/authority/notice"
AUTHORITY_ARCHIVE = "path: content/archive/authority-2024-03-01.html"
QUOTE = "with the first review before the end of March"


def article(body: str, *, nav: str = "", lang: str = "en", title: str = "Notice") -> str:
    """A news page: navigation, the article, related stories and a footer."""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/latest">{nav or "Latest"}</a></li></ul></nav></header>
<main><article><h1>{title}</h1>
{body}
</article>
<aside><h2>Related stories</h2><ul><li><a href="/drought">Drought hits the south</a></li>
<li><a href="/dam">{nav or "Dam opens"}</a></li></ul></aside></main>
<footer><p>{nav or "All rights reserved"}. Copyright 2024 Vale River Authority.</p></footer>
</body></html>
"""


ARTICLE = article(
    "<p>From 1 March 2024 the quota for farms in the Northvale district is cut by twenty per "
    "cent, the river authority said on Friday in a written notice to the farmers.</p>\n"
    "<p>The cut is temporary and will be reviewed every month, the river authority said, "
    f"“{QUOTE}”. Farmers’ associations were informed on 29 February.</p>\n"
    "<p>The district council said it would study the notice before its next meeting.</p>"
)
# The same words, but only in the navigation, related stories and footer.
NAV_ONLY = article(
    "<p>From 1 March 2024 the quota for farms in the Northvale district is cut by twenty per "
    "cent, the river authority said on Friday in a written notice to the farmers.</p>\n"
    "<p>The cut is temporary and will be reviewed every month, the river authority said. "
    "Farmers’ associations were informed on 29 February.</p>\n"
    "<p>The district council said it would study the notice before its next meeting.</p>",
    nav=QUOTE,
)


@dataclass(frozen=True)
class Response:
    """One HTTP response record to write."""

    url: str
    date: str  # WARC-Date
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"
    location: str | None = None


def warc_bytes(responses: list[Response], *, gzip: bool = True) -> bytes:
    """A WARC file (gzipped per record, or not) holding the responses, written by warcio."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    for response in responses:
        headers = [("Content-Type", response.content_type)]
        if response.location:
            headers.append(("Location", response.location))
        http = StatusAndHeaders(response.status, headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(
            response.url,
            "response",
            payload=io.BytesIO(response.body),
            length=len(response.body),  # known: warcio then needs no temporary file
            http_headers=http,
            warc_headers_dict={"WARC-Date": response.date},
        )
        writer.write_record(record)
    return out.getvalue()


def wacz_bytes(warc: bytes, url: str, date: str) -> bytes:
    """A WACZ file: the WARC under archive/, pages/pages.jsonl and datapackage.json."""
    out = io.BytesIO()
    pages = json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})
    pages += "\n" + json.dumps({"url": url, "ts": date, "title": "Notice"}) + "\n"
    package = {"profile": "data-package", "wacz_version": "1.1.1", "resources": []}
    with zipfile.ZipFile(out, "w") as wacz:
        wacz.writestr("archive/data.warc.gz", warc, compress_type=zipfile.ZIP_STORED)
        wacz.writestr("pages/pages.jsonl", pages, compress_type=zipfile.ZIP_DEFLATED)
        wacz.writestr("datapackage.json", json.dumps(package), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def project(tmp_path: Path) -> Path:
    """A copy of the provenance base project."""
    folder = tmp_path / "project"
    shutil.copytree(BASE, folder)
    return folder


def edit(folder: Path, relative: str, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) once in a project file."""
    path = folder / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
