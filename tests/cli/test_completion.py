"""Shell completion: `--only` completes the briefing ids of the project, here or in PATH."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.site.conftest import copy_fixture


def _complete(words: str, cwd: Path) -> list[str]:
    """What bash completion offers for the last word of ``words``."""
    env = {
        **os.environ,
        "_BRIEFGEN_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    # The installed script, as a shell calls it: completion is keyed to the program's name.
    script = Path(sys.executable).parent / "briefgen"
    result = subprocess.run([str(script)], cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return [line.split(",", 1)[1] for line in result.stdout.splitlines() if line]


def test_only_completes_briefing_ids_here(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    assert _complete("briefgen build --only n", project) == ["night-shift-2021", "north-quay-2024"]
    assert _complete("briefgen build --only ", project) == [
        "canary-sealed-zq0",
        "night-shift-2021",
        "north-quay-2024",
    ]


def test_only_completes_the_ids_of_the_project_in_path(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    assert _complete(f"briefgen build {project} --only nig", tmp_path) == ["night-shift-2021"]


def test_outside_a_project_nothing_is_offered(tmp_path: Path) -> None:
    assert _complete("briefgen build --only ", tmp_path) == []
