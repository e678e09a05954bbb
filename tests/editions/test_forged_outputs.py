"""Outputs that came with a project are not taken on their word (``.briefgen-key`` stamps).

Anyone can compute a briefing's key (build the project), so a project could arrive with an
``output/<id>/`` holding files of its own choosing (never validated, an approval bypassed,
script in the Markdown) and a ``.briefgen-key`` naming the right key and their digests.
Before, ``build`` skipped such a briefing as up to date and ``publish`` put those files on the
site. Now a key record holds the stamp of each file as this machine wrote it; other files are
rendered again, unless the user vouches for the folder (``--trust-outputs``). On copies of
the site fixture, in process.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from briefgen.build import MEMO_FILE, BuildOptions, build
from briefgen.editions.outputs import KEY_FILE
from briefgen.site.publish import build_site, project_outputs
from briefgen.validate import validate_project
from tests.site.conftest import CLEAR_IDS, FIXTURE

HTML_MD = BuildOptions(formats=("html", "md"))
FORGED = b"# FORGED, never validated\n<script>alert(1)</script>\n"


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A project as it arrives: built elsewhere, then each released Markdown edition forged
    with a key record to match, and copied (so no file is one this machine wrote)."""
    made = Path(shutil.copytree(FIXTURE, tmp_path / "attacker"))
    assert build(made, HTML_MD).ok
    (made / "output" / MEMO_FILE).unlink()
    for briefing_id in CLEAR_IDS:
        folder = made / "output" / briefing_id
        (folder / "briefing.md").write_bytes(FORGED)
        record = json.loads((folder / KEY_FILE).read_text(encoding="utf-8"))
        record["files"]["briefing.md"] = hashlib.sha256(FORGED).hexdigest()
        (folder / KEY_FILE).write_text(json.dumps(record), encoding="utf-8")
    return Path(shutil.copytree(made, tmp_path / "victim", symlinks=True))


def _site_markdown(root: Path, *, trusted: bool) -> list[bytes]:
    project = validate_project(root).project
    assert project is not None
    site = build_site(project, pdf=False, outputs=project_outputs(root, trusted=trusted))
    return [data for path, data in site.files.items() if path.endswith(".md")]


def test_a_build_renders_again_what_it_did_not_write(shipped: Path) -> None:
    result = build(shipped, HTML_MD)
    assert result.ok
    assert set(CLEAR_IDS) <= set(result.rendered)
    for briefing_id in CLEAR_IDS:
        assert b"FORGED" not in (shipped / "output" / briefing_id / "briefing.md").read_bytes()


def test_a_publish_does_not_put_files_it_did_not_write_on_the_site(shipped: Path) -> None:
    markdown = _site_markdown(shipped, trusted=False)
    assert markdown and not any(b"FORGED" in data for data in markdown)


def test_trust_outputs_reuses_them_as_the_user_asked(shipped: Path) -> None:
    # --trust-outputs is for the user's own shards and caches: their files are taken as they are.
    assert any(b"FORGED" in data for data in _site_markdown(shipped, trusted=True))
    trusted = build(shipped, dataclasses.replace(HTML_MD, trust_outputs=True))
    assert trusted.ok and trusted.rendered == []


def test_what_this_machine_wrote_is_still_reused(tmp_path: Path) -> None:
    root = Path(shutil.copytree(FIXTURE, tmp_path / "project"))
    assert build(root, HTML_MD).ok
    (root / "output" / MEMO_FILE).unlink()  # no recall: each briefing judged by its record
    again = build(root, HTML_MD)
    assert again.ok and again.rendered == []
