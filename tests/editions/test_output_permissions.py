"""Built files follow the user's umask (tempfile would otherwise leave them private)."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_cli


def test_outputs_are_readable_by_others_under_umask_022(tmp_path: Path) -> None:
    project = tmp_path / "desk"
    assert run_cli("init", str(project)).returncode == 0
    command = f"umask 022 && '{sys.executable}' -m briefgen build -q --format md,html"
    result = subprocess.run(
        ["bash", "-c", command], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for path in (project / "output").rglob("briefing.*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
