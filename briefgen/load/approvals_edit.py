"""Add an approval to content/approvals.yaml, keeping everything else as written.

Like :mod:`briefgen.load.sources_edit`: ruamel.yaml's round trip keeps the user's comments,
order and quoting; the new approval is appended to the briefing's list (made if missing). The
file is made, with a line saying what it is, when the project has none yet.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from briefgen.errors import ContentError
from briefgen.load.confine import read_inside

APPROVALS_FILE = "content/approvals.yaml"
MAX_APPROVALS_BYTES = 2 * 1024 * 1024
HEADER = (
    "# Approvals recorded by 'briefgen approve'; see docs/versions.md.\n"
    "# Each binds a reviewer's name to a digest of the briefing as approved.\n"
    "approvals: {}\n"
)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read_approvals_text(root: Path) -> str:
    """The text of content/approvals.yaml, or the header of a new one. Raises ContentError."""
    try:
        return read_inside(root, APPROVALS_FILE, MAX_APPROVALS_BYTES).decode("utf-8")
    except FileNotFoundError:
        return HEADER
    except UnicodeDecodeError as exc:
        raise ContentError(f"{APPROVALS_FILE} is not UTF-8 (byte {exc.start})") from None
    except (ContentError, OSError) as exc:
        raise ContentError(f"cannot read {APPROVALS_FILE}: {exc}") from None


def add_approval(text: str, briefing_id: str, approval: Mapping[str, Any]) -> str:
    """The text of approvals.yaml with ``approval`` appended to ``briefing_id``'s list."""
    yaml = _yaml()
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{APPROVALS_FILE}:{mark.line + 1}:{mark.column + 1}" if mark else APPROVALS_FILE
        raise ContentError(f"{where}: not valid YAML; fix it, then approve again") from None
    if not isinstance(data, CommentedMap):
        raise ContentError(f"{APPROVALS_FILE}:1:1: the file must hold a mapping 'approvals:'")
    approvals = data.get("approvals")
    if not isinstance(approvals, CommentedMap) or not approvals:
        # A new (or empty, flow-style '{}') mapping is written in block style.
        approvals = CommentedMap()
        data["approvals"] = approvals
    entries = approvals.get(briefing_id)
    if not isinstance(entries, CommentedSeq):
        entries = CommentedSeq()
        approvals[briefing_id] = entries
    entry = CommentedMap()
    for key, value in approval.items():
        entry[key] = CommentedMap(value) if isinstance(value, Mapping) else value
    entries.append(entry)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
