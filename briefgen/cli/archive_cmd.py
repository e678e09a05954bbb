"""``briefgen archive``: capture a source's text into the project and record it.

The only command that uses the network (when given a URL, or by default the source's ``url``),
and it says so before it connects. See :mod:`briefgen.provenance.capture` for the bounds.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefgen.cli.common import resolve_project
from briefgen.cli.errors import UserError
from briefgen.load.project_files import SOURCES_FILE

if TYPE_CHECKING:
    from briefgen.load.sources_edit import SourcesDocument
    from briefgen.provenance.capture import Capture

# The capture and YAML-editing modules (ruamel.yaml, http.client, ssl) are imported when the
# command runs, so that other commands do not load them.


@click.command()
@click.argument("source_id", metavar="SOURCE_ID")
@click.argument("location", required=False, metavar="[URL | FILE]")
@click.option(
    "--replace", is_flag=True, help="Keep the new capture when another copy is already there."
)
def archive(source_id: str, location: str | None, replace: bool) -> None:
    """Capture SOURCE_ID's text into content/archive/ and record it in sources.yaml.

    \b
    Run it inside the project (here or a folder below it). With a URL (by
    default the source's url), briefgen fetches that one page over the
    network: the only command that does. With a FILE: an HTML page, plain
    text (.txt, .md), a PDF, or a web archive (.warc, .warc.gz, .wacz), of
    which the response for the source's url is used (the latest capture).

    \b
    The exact bytes are kept as content/archive/SOURCE_ID.<type>; the source's
    archive in content/sources.yaml gets the path, sha256, capture time (UTC),
    final URL and content type, the rest of the file left as written.

    \b
    Limits: 20 MiB (web archives 100 MiB), HTML, plain text and PDF only,
    5 redirects, 10 s to connect, 30 s per read, 120 s in all.
    Exit codes: 0 archived, 1 the capture failed (nothing written),
    2 usage (no project, unknown source id), 3 internal error.
    """
    from briefgen.load.sources_edit import find_source, read_sources, record_archive
    from briefgen.provenance.capture import ARCHIVE_FOLDER, check_readable, store

    root = resolve_project(None)
    document = read_sources(root)
    _, entry = find_source(document, source_id)
    source_url = str(entry["url"]) if entry.get("url") else None
    capture = _capture(source_id, location or source_url, source_url)
    name = f"{source_id}{capture.suffix}"
    check_readable(capture, name, location or str(source_url), source_url)
    values = {
        "path": "/".join((*ARCHIVE_FOLDER, name)),
        "sha256": capture.sha256,
        "captured": capture.captured,
        **({"final_url": capture.final_url} if capture.final_url else {}),
        "content_type": capture.content_type,
    }
    text = record_archive(document, source_id, values)  # before any write: it may refuse
    store(root, name, capture.data, replace=replace)
    _write_sources(root, document, text)
    shown = f" from {capture.final_url}" if capture.final_url else ""
    click.echo(
        f"Archived {source_id}{shown} as {values['path']} "
        f"(sha256 {capture.sha256[:12]}…, captured {capture.captured}); "
        f"recorded in {SOURCES_FILE}.",
        err=True,
    )


def _capture(source_id: str, location: str | None, source_url: str | None) -> Capture:
    """Fetch the URL (saying so first) or read the file."""
    from briefgen.provenance.capture import fetch, from_file

    if location is None:
        raise UserError(f"source '{source_id}' has no url: give the URL or FILE to archive")
    if location.lower().startswith(("http://", "https://")):
        click.echo(f"briefgen archive: fetching {location} over the network", err=True)
        return fetch(location)
    return from_file(Path(location), source_url)


def _write_sources(root: Path, document: SourcesDocument, text: str) -> None:
    """Replace content/sources.yaml with ``text``: atomically, refusing links."""
    from briefgen.load.confine import open_folder
    from briefgen.provenance.capture import CaptureError, write_atomic

    if text == document.text:
        return
    folder_name, name = SOURCES_FILE.rsplit("/", 1)
    try:
        folder = open_folder(root, folder_name.split("/"))
    except OSError as exc:
        raise CaptureError(f"cannot write {SOURCES_FILE}: {exc.strerror or exc}") from None
    try:
        if stat.S_ISLNK(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode):
            raise CaptureError(
                f"{SOURCES_FILE} is a symbolic link; briefgen archive edits only a regular file"
            )
        write_atomic(folder, name, text.encode("utf-8"))
    finally:
        os.close(folder)
