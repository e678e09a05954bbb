"""A build or publish killed at the worst moment (kill -9) leaves nothing behind for long.

Writes go to temporary files (``output/<id>/.briefing.pdf.XXXXXXXX.tmp``) and folders
(``output/.site.new-XXXXXXXX``, ``.site.old-XXXXXXXX``) that are renamed into place; a process
killed before the rename cannot remove them. The next build or publish does: only names of
its own temporary pattern, only in folders it writes, never through a link.

The kill tests run the real CLI and kill it with SIGKILL while it holds temporary files. To
hold it there, a small prelude makes one step of the write sleep (the only fault injected);
everything else, the kill and the recovery included, is the real thing.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pypdf
import pytest

from briefgen.build import BuildOptions, build
from briefgen.site.recall import MEMO_FILE as PUBLISH_MEMO
from tests.conftest import REPO, run_cli

HTML_MD = BuildOptions(formats=("html", "md"))
BRIEFING = "content/briefings/example.yaml"


@pytest.fixture
def project(init_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the project."""
    return Path(shutil.copytree(init_template, tmp_path / "desk", symlinks=True))


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _temporaries(folder: Path) -> list[str]:
    names = [p.name for p in folder.rglob("*")]
    return sorted(n for n in names if n.endswith(".tmp") or ".new-" in n or ".old-" in n)


def _start(prelude: str, *args: str, cwd: Path) -> subprocess.Popen[str]:
    """The CLI after ``prelude`` ran in its interpreter, started and not waited for."""
    code = f"{prelude}\nfrom briefgen.cli import main\nmain()\n"
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _kill_when(process: subprocess.Popen[str], ready: Callable[[], bool]) -> None:
    """SIGKILL ``process`` as soon as ``ready()`` holds (failing if it never does)."""
    deadline = time.monotonic() + 240
    try:
        while not ready():
            assert process.poll() is None, "the command ended before it could be killed"
            assert time.monotonic() < deadline, "the command never reached the point"
            time.sleep(0.02)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)


def _edit(project: Path, old: str, new: str) -> None:
    path = project / BRIEFING
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- build ------------------------------------------------------------------------------------


def test_stale_build_temporaries_are_removed(project: Path, tmp_path: Path) -> None:
    assert build(project, HTML_MD).ok
    folder = project / "output/example"
    before = _files(folder)
    ours = [
        ".briefing.html.k2j4x9q_.tmp",
        "..briefgen-key.abcdefgh.tmp",
        ".briefing.pdf.00000000.tmp",
    ]
    for name in ours:
        (folder / name).write_bytes(b"half a file")
    not_ours = [".briefing.html.keep", "notes.tmp", ".briefing.html.abc.tmp", ".other.abcdefgh.tmp"]
    for name in not_ours:
        (folder / name).write_bytes(b"someone else's")
    (folder / ".briefing.md.folder00.tmp").mkdir()  # a folder is never ours: left alone
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"outside")
    (folder / ".briefing.md.linklink.tmp").symlink_to(outside)  # removed itself, not followed
    result = build(project, HTML_MD)  # up to date: skipped, and still cleaned
    # init's example releases a TLP:CLEAR edition, in its own folder (issue 14)
    assert result.ok and result.skipped == ["example", "example/edition-tlp-clear"]
    left = sorted(p.name for p in folder.iterdir() if p.name != "edition-tlp-clear")
    top = [name for name in before if "/" not in name]
    assert left == sorted([*top, *not_ours, ".briefing.md.folder00.tmp"]), left
    assert outside.read_bytes() == b"outside"
    assert _files(folder) == {**before, **dict.fromkeys(not_ours, b"someone else's")}


def test_killed_build_keeps_the_previous_outputs_and_the_next_cleans_up(project: Path) -> None:
    first = run_cli("build", cwd=project)
    assert first.returncode == 0, first.stderr
    folder = project / "output/example"
    previous = _files(folder)
    _edit(project, "title: ", "title: Revised ")
    # Every file is staged before the first rename: sleeping there holds all of them.
    prelude = (
        "import os, time\n"
        "_replace = os.replace\n"
        "def _slow(*args, **kwargs):\n"
        "    time.sleep(600)\n"
        "    return _replace(*args, **kwargs)\n"
        "os.replace = _slow\n"
    )
    killed = _start(prelude, "build", cwd=project)
    _kill_when(killed, lambda: len(_temporaries(folder)) == 3)
    # pdf, html and md, left by the kill; the key record is written after their renames (it
    # holds their stamps as renamed), so the old one still names the old files.
    assert len(_temporaries(folder)) == 3
    assert _files(folder) == {**previous, **{n: _files(folder)[n] for n in _temporaries(folder)}}
    second = run_cli("build", cwd=project)
    assert second.returncode == 0, second.stderr
    assert _temporaries(project / "output") == []
    _whole(folder)
    assert "Revised" in (folder / "briefing.md").read_text(encoding="utf-8")


def _whole(folder: Path) -> None:
    """Every output complete: the PDF parses, the HTML ends, the record names their digests."""
    reader = pypdf.PdfReader(folder / "briefing.pdf")
    assert len(reader.pages) >= 1
    assert "Revised" in reader.pages[0].extract_text()
    assert (folder / "briefing.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    record = json.loads((folder / ".briefgen-key").read_text(encoding="utf-8"))
    assert set(record["files"]) == {"briefing.pdf", "briefing.html", "briefing.md"}


# --- publish ----------------------------------------------------------------------------------


def _publish(project: Path) -> None:
    result = run_cli("publish", "--no-pdf", "-q", cwd=project)
    assert result.returncode == 0, result.stderr


def test_stale_site_folders_are_removed(project: Path, tmp_path: Path) -> None:
    _publish(project)
    output = project / "output"
    (output / ".site.new-abcdefgh").mkdir()
    (output / ".site.new-abcdefgh/index.html").write_text("half a site")
    (output / ".site.old-12345678/site").mkdir(parents=True)
    (output / ".site.old-12345678/site/index.html").write_text("an old site")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.html").write_text("outside")
    (output / ".site.old-linklink").symlink_to(outside)  # our name, but a link: left alone
    for name in (".site.keep", ".site.new-short", ".other.new-abcdefgh"):
        (output / name).mkdir()
    _publish(project)
    assert sorted(p.name for p in output.iterdir() if p.name != PUBLISH_MEMO) == [
        ".other.new-abcdefgh",
        ".site.keep",
        ".site.new-short",
        ".site.old-linklink",
        "site",
    ]
    assert (outside / "keep.html").read_text() == "outside"


@pytest.mark.parametrize("moment", ["staged", "swapping"])
def test_killed_publish_is_cleaned_up_by_the_next(project: Path, moment: str) -> None:
    _publish(project)
    output = project / "output"
    previous = _files(output / "site")
    _edit(project, "title: ", "title: Revised ")
    # "staged": the new site is written, the old one still in place. "swapping": the old
    # site was moved aside, the new one not yet in its place (the one moment without a site).
    calls = 1 if moment == "staged" else 2
    prelude = (
        "import os, time\n"
        "_rename, _calls = os.rename, []\n"
        "def _slow(*args, **kwargs):\n"
        "    _calls.append(1)\n"
        f"    if len(_calls) == {calls}:\n"
        "        time.sleep(600)\n"
        "    return _rename(*args, **kwargs)\n"
        "os.rename = _slow\n"
    )
    killed = _start(prelude, "publish", "--no-pdf", cwd=project)
    expected = 1 if moment == "staged" else 2
    _kill_when(killed, lambda: len(_temporaries(output)) >= expected)
    if moment == "staged":
        assert _files(output / "site") == previous  # the previous site is whole
    _publish(project)
    assert sorted(p.name for p in output.iterdir()) == [PUBLISH_MEMO, "site"]
    site = _files(output / "site")
    assert set(site) == set(previous)
    assert b"Revised" in site["index.html"]
    assert ElementTree.fromstring(site["feed.xml"]).tag.endswith("feed")  # whole: it parses
