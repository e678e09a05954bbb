"""``briefgen approve``: record a reviewer's approval of a briefing as it is now."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from briefgen.cli.common import complete_briefing_ids, resolve_project
from briefgen.cli.errors import EXIT_OK, UserError


@click.command()
@click.argument("briefing_id", metavar="ID", shell_complete=complete_briefing_ids)
@click.argument("path", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("--by", "by", required=True, metavar="NAME", help="Who approves (the reviewer).")
def approve(briefing_id: str, path: Path | None, by: str) -> int:
    """Record that NAME approves briefing ID as it is now.

    \b
    The approval goes into content/approvals.yaml (commit it with the
    briefing): the reviewer, the version, the date and a digest of the
    briefing's content and of each of its parts. With 'require_approval:
    true' in briefgen.yaml, 'publish' refuses a briefing with no approval,
    approved only by its own authors, or changed since (naming the parts).
    An author cannot approve their own briefing. See docs/versions.md.

    \b
    Exit codes: 0 recorded, 1 the briefing or approvals.yaml has errors,
    2 unknown ID, NAME is one of its authors, usage or no project found,
    3 internal error.
    """
    from briefgen.cli.diff_cmd import working_briefing
    from briefgen.history.approvals import content_digest, is_author, part_digests
    from briefgen.load.approvals_edit import APPROVALS_FILE, add_approval, read_approvals_text

    root = resolve_project(path)
    name = " ".join(by.split())
    if not name:
        raise UserError("--by needs the reviewer's name")
    briefing = working_briefing(root, briefing_id)
    if is_author(name, briefing):
        raise UserError(
            f"{name} is an author of '{briefing_id}' and cannot approve it",
            "ask a reviewer who did not write it",
        )
    digest = content_digest(briefing)
    approval = {
        "by": name,
        "version": briefing.version,
        "date": datetime.datetime.now(datetime.UTC).date().isoformat(),
        "digest": digest,
        "parts": part_digests(briefing),
    }
    text = add_approval(read_approvals_text(root), briefing_id, approval)
    _write(root, APPROVALS_FILE, text)
    click.echo(f"approved {briefing_id} version {briefing.version} by {name} ({digest[:19]}…)")
    return EXIT_OK


def _write(root: Path, relative: str, text: str) -> None:
    """Replace ``root/relative`` with ``text``: atomically, refusing links."""
    import os
    import stat

    from briefgen.errors import ContentError
    from briefgen.load.confine import open_folder
    from briefgen.provenance.capture import write_atomic

    folder_name, name = relative.rsplit("/", 1)
    folder = open_folder(root, folder_name.split("/"))
    try:
        try:
            mode = os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode
        except FileNotFoundError:
            mode = stat.S_IFREG
        if not stat.S_ISREG(mode):
            raise ContentError(f"{relative} is not a regular file; nothing written")
        write_atomic(folder, name, text.encode("utf-8"))
    finally:
        os.close(folder)
