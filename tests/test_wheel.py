"""The installed wheel works outside the source tree: templates and scaffold ship inside it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def wheel_site(wheel_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The briefgen wheel unpacked into a folder of its own, as pip would install it."""
    site = tmp_path_factory.mktemp("wheel-site")
    with zipfile.ZipFile(wheel_file) as archive:
        archive.extractall(site)
    return site


def _run_installed(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH puts the unpacked wheel before the editable install of the source tree;
    # dependencies still come from this interpreter's site-packages.
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_wheel_is_used_not_the_source_tree(wheel_site: Path, tmp_path: Path) -> None:
    code = "import briefgen, sys; sys.stdout.write(briefgen.__file__)"
    env = {**os.environ, "PYTHONPATH": str(wheel_site)}
    where = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert Path(where).is_relative_to(wheel_site)


def test_init_then_validate_from_the_wheel(wheel_site: Path, tmp_path: Path) -> None:
    created = _run_installed(wheel_site, tmp_path, "init", "desk")
    assert created.returncode == 0, created.stderr
    assert (tmp_path / "desk/.gitignore").is_file()
    checked = _run_installed(wheel_site, tmp_path / "desk", "validate", "--strict")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no problems" in checked.stderr


def test_build_and_publish_from_the_wheel(wheel_site: Path, tmp_path: Path) -> None:
    # Templates, CSS and the scaffold must ship inside the wheel, not only in the source tree.
    assert _run_installed(wheel_site, tmp_path, "init", "desk").returncode == 0
    project = tmp_path / "desk"
    built = _run_installed(wheel_site, project, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    for name in ("briefing.pdf", "briefing.html", "briefing.md"):
        assert (project / "output/example" / name).stat().st_size > 0
    published = _run_installed(wheel_site, project, "publish", "--no-pdf", "-q")
    assert published.returncode == 0, published.stdout + published.stderr
    assert (project / "output/site/index.html").is_file()
    assert (project / ".github/workflows/publish.yml").is_file()
