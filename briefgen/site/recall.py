"""A ``publish`` with nothing changed since the last one: recalled, not run again.

The site is a pure function of the project's inputs and the options
(:mod:`briefgen.editions.fingerprint`). After a successful publish, the project's output folder
keeps a record (:mod:`briefgen.editions.memo`) of its fingerprint, its report, what it said
and the digest of every file of the site. A publish with the same fingerprint whose site
folder still holds exactly those files, each as written, has nothing to do: it says what the
last one said and leaves the site alone. Anything else is a full publish.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from briefgen.diagnostics import Report
from briefgen.editions.fingerprint import input_fingerprint, unwalked_digests, unwalked_hold
from briefgen.editions.memo import (
    Memo,
    RecordFacts,
    read_memo,
    stamp_files,
    stamps_hold,
    write_memo,
)
from briefgen.editions.outputs import OUTPUT_DIR
from briefgen.load.confine import ConfineError, read_bounded

# The record of the last successful publish, in the project's output folder.
MEMO_FILE = ".briefgen-publish"
MAX_SITE_FILE = 1024 * 1024 * 1024


class PublishFacts(RecordFacts):
    """What a publish says after writing the site, kept with its record to say it again."""

    withheld: tuple[str, ...]  # a line for each briefing withheld, and why
    editions: tuple[str, ...]  # a line for each briefing published as an edition
    published: int
    as_editions: int
    files: int
    target: str  # as shown
    pdfs: tuple[int, int] | None  # rendered, reused; None without PDFs


PublishMemo = Memo[PublishFacts]


def publish_fingerprint(root: Path, target: Path, options: dict[str, Any]) -> str | None:
    """The fingerprint of a publish of ``root`` into ``target`` with ``options``."""
    chosen = {"command": "publish", "target": os.path.abspath(target), **options}
    fingerprint = input_fingerprint(root, _written(root, target), chosen)
    return fingerprint.whole if fingerprint else None


def recall_publish(root: Path, target: Path, fingerprint: str | None) -> PublishMemo | None:
    """The last publish's record when it had ``fingerprint`` and ``target`` is as it wrote it."""
    memo = read_memo(root / OUTPUT_DIR, root, MEMO_FILE, PublishFacts)
    if memo is None or fingerprint is None or memo.fingerprint != fingerprint:
        return None
    if not unwalked_hold(root, _written(root, target), memo.unwalked):
        return None  # an archive the fingerprint leaves out changed
    if not stamps_hold(target, memo):
        return None
    return memo if site_as_written(target, memo.outputs) else None


def publish_unwalked(root: Path, target: Path, archives: list[str]) -> dict[str, str] | None:
    """The digests of the ``archives`` a publish's fingerprint leaves out (see
    :func:`briefgen.editions.fingerprint.unwalked_digests`); taken right after validation."""
    return unwalked_digests(root, _written(root, target), archives)


def remember_publish(
    root: Path,
    target: Path,
    fingerprint: str | None,
    report: Report,
    history_note: str | None,
    files: dict[str, bytes],
    facts: PublishFacts,
    unwalked: dict[str, str] | None,
) -> None:
    """Keep the record of a successful publish that wrote ``files`` (best effort).

    ``unwalked``: :func:`publish_unwalked` as validation read them (None: no record).
    """
    stamps = stamp_files(target, sorted(files))
    if fingerprint is None or not stamps or unwalked is None:
        return
    manifest = {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}
    memo = Memo(fingerprint, report, history_note, manifest, facts, stamps, unwalked)
    write_memo(root / OUTPUT_DIR, root, MEMO_FILE, memo)


def _written(root: Path, target: Path) -> list[Path]:
    """The folders a publish writes, left out of its fingerprint."""
    return [root / OUTPUT_DIR, target]


def site_as_written(target: Path, manifest: dict[str, str]) -> bool:
    """True when the folder ``target`` holds exactly the files of ``manifest``, as written.

    A symbolic link anywhere in it, a file more or less, or a file changed: False.
    """
    found: dict[str, str] = {}
    if target.is_symlink() or not target.is_dir():
        return False
    for folder, dirs, files in os.walk(target, followlinks=False):
        for name in dirs + files:
            if os.path.islink(os.path.join(folder, name)):
                return False
        for name in files:
            path = Path(folder, name)
            relative = path.relative_to(target).as_posix()
            if manifest.get(relative) is None:
                return False
            try:
                found[relative] = hashlib.sha256(read_bounded(path, MAX_SITE_FILE)).hexdigest()
            except (ConfineError, OSError):
                return False
    return found == manifest
