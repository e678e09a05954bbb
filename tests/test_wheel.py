"""The installed wheel works outside the source tree: templates and scaffold ship inside it.

The built-in templates live in the repository's top-level ``templates/``; the wheel maps them
into the package as ``briefgen/templates/`` (``pyproject.toml``), where an installed briefgen
looks for them first.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from email.parser import HeaderParser
from pathlib import Path

import pytest

from tests.conftest import REPO


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


def _files_under(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_wheel_holds_every_module_of_the_source_tree(wheel_file: Path) -> None:
    # pyproject.toml lists the packages by name (package-dir maps briefgen.templates): a new
    # package folder missing from that list would be left out of the wheel.
    with zipfile.ZipFile(wheel_file) as archive:
        names = set(archive.namelist())
    modules = {
        f"briefgen/{name}" for name in _files_under(REPO / "briefgen") if name.endswith(".py")
    }
    assert modules - names == set()


def test_the_wheel_carries_the_license_and_names_the_authors(wheel_file: Path) -> None:
    # pyproject.toml says MIT; the licence text must travel with the wheel (license-files),
    # and its metadata must name who holds the copyright.
    with zipfile.ZipFile(wheel_file) as archive:
        names = archive.namelist()
        (metadata_name,) = (n for n in names if n.endswith(".dist-info/METADATA"))
        dist_info = metadata_name.rsplit("/", 1)[0]
        licence = archive.read(f"{dist_info}/licenses/LICENSE").decode("utf-8")
        metadata = HeaderParser().parsestr(archive.read(metadata_name).decode("utf-8"))
    assert licence == (REPO / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License\n")
    assert "Copyright (c) 2026 briefgen maintainers" in licence
    assert "Permission is hereby granted, free of charge" in licence
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert metadata["Author"] == "briefgen maintainers"
    classifiers = set(metadata.get_all("Classifier") or [])
    assert {
        "Development Status :: 3 - Alpha",
        "Operating System :: POSIX",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
    } <= classifiers
    assert any(c.startswith("Topic :: ") for c in classifiers)
    # A licence classifier beside an SPDX License-Expression is refused by PyPI (PEP 639).
    assert not any(c.startswith("License :: ") for c in classifiers)


@pytest.fixture(scope="module")
def wheel_venv(wheel_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the wheel installed by pip (no editable install in it).

    Dependencies come from this interpreter's site-packages through a ``.pth`` line, which adds
    the folder only: its own ``.pth`` files (the editable install's finder) are not run.
    """
    venv = tmp_path_factory.mktemp("wheel-venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    scheme = {"base": str(venv), "platbase": str(venv)}
    purelib = Path(sysconfig.get_path("purelib", vars=scheme))
    (purelib / "dependencies.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8"
    )
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
    subprocess.run(
        [*install, "--no-deps", "--no-index", str(wheel_file)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return venv


def _venv_run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(
        [str(venv / "bin" / args[0]), *args[1:]],
        cwd=cwd,
        env={**env, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_installed_wheel_carries_the_top_level_templates(wheel_venv: Path) -> None:
    code = (
        "import sys, briefgen.render.environment as e\n"
        "sys.stdout.write(e.__file__ + '\\n' + str(e.builtin_templates_dir()))"
    )
    found = _venv_run(wheel_venv, wheel_venv, "python", "-c", code)
    assert found.returncode == 0, found.stderr
    module, templates = (Path(line) for line in found.stdout.splitlines())
    package = module.parent.parent
    assert package.is_relative_to(wheel_venv), "briefgen was imported from outside the venv"
    assert templates == package / "templates"
    # The same files at the same paths, byte for byte, and nothing else.
    expected = _files_under(REPO / "templates")
    assert "site/macros.html" in expected
    assert _files_under(templates) == expected


def test_build_from_the_installed_wheel_outside_the_repository(
    wheel_venv: Path, tmp_path: Path
) -> None:
    assert not tmp_path.resolve().is_relative_to(REPO)
    created = _venv_run(wheel_venv, tmp_path, "briefgen", "init", "desk")
    assert created.returncode == 0, created.stdout + created.stderr
    project = tmp_path / "desk"
    assert not (project / "templates").exists()  # every template comes from the package
    built = _venv_run(wheel_venv, project, "briefgen", "build")
    assert built.returncode == 0, built.stdout + built.stderr
    for name in ("briefing.pdf", "briefing.html", "briefing.md"):
        assert (project / "output/example" / name).stat().st_size > 0
    css = (REPO / "templates/briefing.css").read_text(encoding="utf-8")
    page = (project / "output/example/briefing.html").read_text(encoding="utf-8")
    assert css in page
