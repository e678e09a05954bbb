"""Ordinary mishaps end in clear messages and documented exit codes, never "internal error".

Every test runs the real CLI in a fresh interpreter. Some inject a fault the CLI cannot be
driven into from outside (a file-size limit, a disabled check, a failing function) by running
it through a small ``python -c`` prelude or with a resource limit.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

BRIEFING = Path("content/briefings/example.yaml")


def _clean(result: subprocess.CompletedProcess[str]) -> None:
    assert "internal error" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh ``briefgen init`` project (one briefing, ``example``)."""
    target = tmp_path / "desk"
    created = run_cli("init", str(target))
    assert created.returncode == 0, created.stderr
    return target


def _edit(project: Path, old: str, new: str) -> None:
    path = project / BRIEFING
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _outputs(project: Path) -> dict[str, bytes]:
    folder = project / "output" / "example"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _limited(max_bytes: int) -> None:
    # Runs in the child before exec: a write past max_bytes fails with EFBIG (the signal that
    # would kill the process instead is ignored, and stays ignored across exec).
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))


def _run_limited(max_bytes: int, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *args],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        preexec_fn=lambda: _limited(max_bytes),
    )


def _run_patched(prelude: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI after ``prelude`` (Python) has run in the same interpreter."""
    code = f"{prelude}\nfrom briefgen.cli import main\nmain()\n"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


# --- build: file-system conditions -------------------------------------------------------


def test_output_folder_that_is_a_file_fails_the_briefing(project: Path) -> None:
    (project / "output").mkdir()
    (project / "output" / "example").write_text("in the way")
    result = run_cli("build", "--format", "md", cwd=project)
    _clean(result)
    assert result.returncode == 1
    assert "example: error: output/example is a file, not a folder" in result.stderr
    assert (project / "output" / "example").read_text() == "in the way"


def test_output_file_that_is_a_folder_replaces_none_of_the_briefing(project: Path) -> None:
    assert run_cli("build", "--format", "md,html", cwd=project).returncode == 0
    before = _outputs(project)
    _edit(project, "outlook: Talks", "outlook: New talks")
    (project / "output" / "example" / "briefing.pdf").mkdir()
    result = run_cli("build", cwd=project)
    _clean(result)
    assert result.returncode == 1
    assert "output/example/briefing.pdf is a folder" in result.stderr
    # Not a mixed set: the HTML and Markdown are still those of the previous build.
    assert _outputs(project) == before


def test_a_write_that_fails_midway_replaces_nothing(project: Path) -> None:
    # The analyst layout: its page, one stylesheet, stays under the limit below.
    assert run_cli("build", "--layout", "analyst", cwd=project).returncode == 0
    before = _outputs(project)
    assert len(before["briefing.pdf"]) > 20_000 > len(before["briefing.html"])
    _edit(project, "outlook: Talks", "outlook: New talks")
    # The Markdown and HTML fit under the limit; the PDF does not.
    result = _run_limited(20_000, "build", "--layout", "analyst", cwd=project)
    _clean(result)
    assert result.returncode == 1
    assert "example: error: cannot write output/example/" in result.stderr
    assert "File too large" in result.stderr
    assert _outputs(project) == before
    leftovers = [p.name for p in (project / "output" / "example").iterdir() if ".tmp" in p.name]
    assert leftovers == []


def test_empty_format_is_a_usage_error(project: Path) -> None:
    for value in ("", ","):
        result = run_cli("build", "--format", value, cwd=project)
        _clean(result)
        assert result.returncode == 2
        assert "give at least one of pdf, html, md" in result.stderr
    assert not (project / "output").exists()


def test_only_an_unknown_id_is_reported_as_one(project: Path) -> None:
    unknown = run_cli("build", "--only", "nope", cwd=project)
    assert unknown.returncode == 2
    assert "no briefing 'nope'" in unknown.stderr
    # A KeyError from inside the build is a bug, not a missing briefing.
    prelude = (
        "import briefgen.build as b\n"
        "def broken(*args, **kwargs):\n"
        "    raise KeyError('internal-key')\n"
        "b.render_all = broken"
    )
    result = _run_patched(prelude, "build", cwd=project)
    assert result.returncode == 3
    assert "no briefing" not in result.stderr
    assert "internal error (KeyError" in result.stderr


# --- init -----------------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_init_where_nothing_can_be_created(tmp_path: Path) -> None:
    result = run_cli("init", "/proc/nope")
    _clean(result)
    assert result.returncode == 2
    assert "cannot create a project in /proc/nope" in result.stderr


def test_init_below_a_file(tmp_path: Path) -> None:
    (tmp_path / "briefgen.yaml").write_text("mine")
    result = run_cli("init", str(tmp_path / "briefgen.yaml" / "sub"))
    _clean(result)
    assert result.returncode == 2
    assert f"{tmp_path / 'briefgen.yaml'} is a file, not a folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefgen.yaml"]


def test_failed_init_leaves_no_half_project(tmp_path: Path) -> None:
    # A limit below the size of the JSON schemas: init fails part-way through writing.
    result = _run_limited(2_000, "init", "new/desk", cwd=tmp_path)
    _clean(result)
    assert result.returncode == 2
    assert "cannot create a project in new/desk: File too large" in result.stderr
    assert list(tmp_path.iterdir()) == []  # not even the folders it made on the way
    (tmp_path / "empty").mkdir()
    result = _run_limited(2_000, "init", "empty", cwd=tmp_path)
    assert result.returncode == 2
    assert list((tmp_path / "empty").iterdir()) == []
    # Without the limit, the same folder becomes a whole project.
    assert run_cli("init", "empty", cwd=tmp_path).returncode == 0
    assert (tmp_path / "empty" / "briefgen.yaml").is_file()


# --- deeply nested Markdown ---------------------------------------------------------------


def _nested_list(levels: int) -> str:
    lines = "\n".join("  " + "    " * i + "- x" for i in range(levels))
    return f"outlook: |\n{lines}\n"


def test_markdown_nested_too_deeply_is_a_located_validation_error(project: Path) -> None:
    _edit(project, "outlook: Talks", _nested_list(400) + "background: Talks")
    result = run_cli("build", cwd=project)
    _clean(result)
    assert result.returncode == 1
    line = 1 + (project / BRIEFING).read_text().splitlines().index("outlook: |")
    expected = f"content/briefings/example.yaml:{line}:10: error: Markdown nested too deeply"
    assert expected in result.stdout
    assert not (project / "output").exists()


def test_twenty_levels_of_nesting_build(project: Path) -> None:
    _edit(project, "outlook: Talks", _nested_list(20) + "background: Talks")
    result = run_cli("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "output" / "example" / "briefing.pdf").is_file()


def test_render_recursion_is_a_build_error_naming_the_field(project: Path) -> None:
    # The second line of defence: with the validation check taken out, the renderer's own
    # RecursionError becomes a failure of this briefing, naming its field.
    _edit(project, "outlook: Talks", _nested_list(400) + "background: Talks")
    prelude = (
        "import briefgen.validate as v\n"
        "v.BRIEFING_CHECKS = tuple(c for c in v.BRIEFING_CHECKS"
        " if c.__name__ != 'check_markdown_nesting')"
    )
    result = _run_patched(prelude, "build", "--format", "html", cwd=project)
    _clean(result)
    assert result.returncode == 1
    assert "example: error: outlook: Markdown nested too deeply to render" in result.stderr


# --- templates ------------------------------------------------------------------------------


def test_template_linked_outside_the_project_is_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("SECRET-OUTSIDE-THE-PROJECT\n")
    (project / "templates").mkdir()
    (project / "templates" / "briefing.md").symlink_to(outside)
    result = run_cli("build", "--format", "md", cwd=project)
    _clean(result)
    assert result.returncode == 1
    # Refused with the content (every link in templates/ is checked), before anything renders.
    assert "templates/briefing.md:1:1: error: file is a symbolic link to" in result.stdout
    assert "outside the project" in result.stdout
    written = [p for p in (project / "output").rglob("*") if p.is_file()]
    assert all(b"SECRET-OUTSIDE" not in p.read_bytes() for p in written)


def test_template_linked_inside_the_templates_folder_is_used(project: Path) -> None:
    templates = project / "templates"
    templates.mkdir()
    (templates / "mine.md").write_text("# {{ view.title }} (linked template)\n")
    (templates / "briefing.md").symlink_to("mine.md")
    # briefing.md is the analyst layout's Markdown template.
    result = run_cli("build", "--format", "md", "--layout", "analyst", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "(linked template)" in (project / "output/example/briefing.md").read_text()


def test_templates_folder_linked_elsewhere_is_refused(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "theme"
    elsewhere.mkdir()
    (elsewhere / "briefing.md").write_text("SECRET-THEME\n")
    (project / "templates").symlink_to(elsewhere)
    result = run_cli("build", "--format", "md", cwd=project)
    _clean(result)
    assert result.returncode == 1
    assert "templates:1:1: error: 'templates' is a symbolic link to" in result.stdout


def test_template_error_names_the_template_relative_to_the_project(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "briefing.html").write_text("<p>{{ nope }}</p>\n")
    result = run_cli("build", str(project), "--format", "html")
    _clean(result)
    assert result.returncode == 1
    assert "template error: templates/briefing.html:1: 'nope' is undefined" in result.stderr
    assert str(project) not in result.stderr
