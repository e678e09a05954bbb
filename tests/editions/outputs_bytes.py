"""The bytes of an output file as two runs can compare them.

A key record (``.briefgen-key``) holds the stamp of each file as this machine wrote it (inode
number, change time, size): two builds of the same input write the same files and the same
record but for those stamps, so the record is compared without them.
"""

from __future__ import annotations

import json
from pathlib import Path

from briefgen.editions.outputs import KEY_FILE


def comparable(path: Path) -> bytes:
    """The bytes of ``path``; for a key record, without its stamps."""
    if path.name != KEY_FILE:
        return path.read_bytes()
    record = json.loads(path.read_bytes())
    record.pop("stamps")
    return json.dumps(record, sort_keys=True).encode()
