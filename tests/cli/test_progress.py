"""build and publish show the same progress bar on a terminal, and paths as the user typed them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.site.conftest import copy_fixture

BRIEFINGS = "content/briefings"


def _project_of_five(tmp_path: Path) -> Path:
    """The site fixture with three more CLEAR briefings: five released, enough for a bar."""
    project = copy_fixture(tmp_path)
    source = project / BRIEFINGS / "night-shift-2021.yaml"
    for number in (1, 2, 3):
        shutil.copy(source, project / BRIEFINGS / f"night-shift-copy-{number}.yaml")
    return project


def _on_a_terminal(*args: str, cwd: Path) -> str:
    """Run ``briefgen ARGS`` with stderr on a pseudo-terminal; return all it wrote there."""
    leader, follower = os.openpty()
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed when the process ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == 0, b"".join(chunks).decode(errors="replace")
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_publish_shows_a_progress_bar_like_build(tmp_path: Path) -> None:
    built = _on_a_terminal("build", "--format", "md", cwd=_project_of_five(tmp_path / "a"))
    assert "building" in built
    published = _on_a_terminal("publish", "--no-pdf", cwd=_project_of_five(tmp_path / "b"))
    assert "publishing" in published
    assert "5/5" in published  # the five released briefings, rendered for the draft
    assert "  md " not in published and "  PDF " not in published  # no plain lines any more


def test_publish_names_the_site_folder_as_the_docs_do(tmp_path: Path) -> None:
    project = _project_of_five(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "publish", "--no-pdf"],
        cwd=project,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (
        result.stderr.rstrip().splitlines()[-1].split("; ")[1].endswith("files in output/site")
    ), result.stderr
