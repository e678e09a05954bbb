"""How the CLI maps command lines onto the pipeline, in process, one table per command.

Each row is a command line and what the command must hand to the pipeline for it. The command
runs as a user runs it (``briefgen.cli.main``: the real group, ``run_guarded`` and its exit
codes) on a real, validated project; only the call into the pipeline is replaced, to record
its arguments: ``briefgen.build.build_validated`` for ``build``, ``briefgen.site.publish``'s
``build_site`` and ``write_site`` for ``publish``. This is the one test that replaces that
seam: it checks the CLI layer, not the pipeline (the pipeline's own tests run it for real).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

import briefgen.build
import briefgen.site.publish
from briefgen.build import BuildOptions, BuildResult
from briefgen.cli import main
from briefgen.errors import EXIT_CONTENT, EXIT_OK, EXIT_USAGE
from briefgen.validate import Validated
from tests.case_runner import Case, make_project

VALIDATE_TESTS = Path(__file__).resolve().parent.parent / "validate"
# A project that validates with no problem even under --strict (one briefing, "halt").
CLEAN = VALIDATE_TESTS / "base"
# The same with two warnings (an unused source, a single-source key point).
WARNINGS = VALIDATE_TESTS / "cases" / "warnings"

AUTO = os.cpu_count() or 1
DEFAULT = BuildOptions()


def _case_id(value: object) -> str | None:
    """A row's id: its command line ("-" for none); pytest numbers the expected values."""
    return " ".join(value) or "-" if isinstance(value, list) else None


@dataclasses.dataclass
class Run:
    """What one command line did: its exit code, its output, and the pipeline calls it made."""

    code: int
    stdout: str
    stderr: str
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]]

    def only_call(self, name: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
        found = [(args, kwargs) for called, args, kwargs in self.calls if called == name]
        assert len(found) == 1, (name, self.calls, self.stderr)
        return found[0]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "desk"
    shutil.copytree(CLEAN, root)
    return root


@pytest.fixture
def warned(tmp_path: Path) -> Path:
    root = tmp_path / "warned"
    make_project(Case.read(WARNINGS), CLEAN, root)
    return root


@pytest.fixture
def seams(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    """Replace the pipeline calls of build and publish by recorders; yield what they record."""
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def build_validated(validated: Validated, options: BuildOptions, *args: Any) -> BuildResult:
        calls.append(("build_validated", (validated, options), {}))
        return BuildResult(validated.report, valid=True)

    def build_site(project: Any, **kwargs: Any) -> Any:
        calls.append(("build_site", (project,), kwargs))
        released = SimpleNamespace(project=project)
        return SimpleNamespace(
            files={},
            released=released,
            withheld=(),
            as_editions=(),
            pdfs_rendered=(),
            pdfs_reused=(),
        )

    def write_site(files: dict[str, bytes], target: Path, **kwargs: Any) -> None:
        calls.append(("write_site", (files, target), kwargs))

    monkeypatch.setattr(briefgen.build, "build_validated", build_validated)
    monkeypatch.setattr(briefgen.site.publish, "build_site", build_site)
    monkeypatch.setattr(briefgen.site.publish, "write_site", write_site)
    return calls


def run(monkeypatch: pytest.MonkeyPatch, calls: list[Any], *args: str) -> Run:
    """``briefgen ARGS`` through the console entry point, in this process."""
    monkeypatch.setattr(sys, "argv", ["briefgen", *args])
    with CliRunner().isolation() as (stdout, stderr, _), pytest.raises(SystemExit) as exit_info:
        main()
    code = exit_info.value.code
    assert isinstance(code, int)
    return Run(code, stdout.getvalue().decode(), stderr.getvalue().decode(), calls)


# --- build: each command line and the BuildOptions it hands to build_validated ---------------

BUILD_CASES: list[tuple[list[str], BuildOptions]] = [
    ([], DEFAULT),
    (["--format", "pdf,md"], dataclasses.replace(DEFAULT, formats=("pdf", "md"))),
    (["-f", "md", "--format", " HTML "], dataclasses.replace(DEFAULT, formats=("html", "md"))),
    (["--only", "a", "--only", "b"], dataclasses.replace(DEFAULT, only=("a", "b"))),
    (["--out", "D"], dataclasses.replace(DEFAULT, out_dir=Path("D"))),
    (["--jobs", "2"], dataclasses.replace(DEFAULT, jobs=2)),
    (["-j", "auto"], dataclasses.replace(DEFAULT, jobs=AUTO)),
    (["--force"], dataclasses.replace(DEFAULT, force=True)),
    (["--strict"], dataclasses.replace(DEFAULT, strict=True)),
    (["-q"], DEFAULT),
    (["-v"], DEFAULT),
    (
        ["-f", "html", "--only", "halt", "--out", "D", "-j", "3", "--force", "--strict", "-q"],
        BuildOptions(("html",), ("halt",), Path("D"), strict=True, jobs=3, force=True),
    ),
]


@pytest.mark.parametrize(("args", "expected"), BUILD_CASES, ids=_case_id)
def test_build_options(
    args: list[str],
    expected: BuildOptions,
    project: Path,
    seams: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = run(monkeypatch, seams, "build", str(project), *args)
    assert result.code == EXIT_OK, result.stderr
    (validated, options), _ = result.only_call("build_validated")
    assert options == expected
    # The project named by PATH, validated once by the command and handed on as it is.
    assert validated.project is not None
    assert validated.project.root == project.resolve()


def test_build_finds_the_project_above_path(
    project: Path, seams: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run(monkeypatch, seams, "build", str(project / "content" / "briefings"))
    assert result.code == EXIT_OK, result.stderr
    (validated, options), _ = result.only_call("build_validated")
    assert validated.project.root == project.resolve()
    assert options == DEFAULT


# --- publish: each command line and what it hands to build_site and write_site ---------------

PUBLISH_CASES: list[tuple[list[str], dict[str, Any]]] = [
    ([], {"pdf": True, "jobs": 1}),
    (["--no-pdf"], {"pdf": False, "jobs": 1}),
    (["--jobs", "2"], {"pdf": True, "jobs": 2}),
    (["-j", "auto"], {"pdf": True, "jobs": AUTO}),
    (["--strict"], {"pdf": True, "jobs": 1}),
    (["--no-pdf", "-j", "4", "--strict", "-q"], {"pdf": False, "jobs": 4}),
]


@pytest.mark.parametrize(("args", "expected"), PUBLISH_CASES, ids=_case_id)
def test_publish_options(
    args: list[str],
    expected: dict[str, Any],
    project: Path,
    seams: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = run(monkeypatch, seams, "publish", str(project), *args)
    assert result.code == EXIT_OK, result.stderr
    (released,), site_options = result.only_call("build_site")
    assert released.root == project.resolve()
    assert {k: site_options[k] for k in expected} == expected
    # The outputs of build (output/<id>/) are where publish reuses PDFs from.
    assert site_options["outputs"] == briefgen.site.publish.project_outputs(project.resolve())
    # Without --out, the site goes to output/site in the project, a folder briefgen chose.
    (_, target), write_options = result.only_call("write_site")
    assert target == project.resolve() / "output" / "site"
    assert write_options == {"root": project.resolve(), "chosen": False}


@pytest.mark.parametrize("args", [["--out", "D"], ["--out=D"], ["--no-pdf", "--out", "D"]])
def test_publish_out_is_the_users_folder(
    args: list[str], project: Path, seams: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run(monkeypatch, seams, "publish", str(project), *args)
    assert result.code == EXIT_OK, result.stderr
    (_, target), write_options = result.only_call("write_site")
    # As given (relative to where the command runs), and chosen: a folder in the way is the
    # user's mistake (exit 2), not briefgen's.
    assert target == Path("D")
    assert write_options == {"root": project.resolve(), "chosen": True}


def test_publish_strict_stops_before_the_pipeline_on_a_warning(
    warned: Path, seams: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run(monkeypatch, seams, "publish", str(warned), "--strict")
    assert result.code == EXIT_CONTENT
    assert "briefgen publish: 2 errors; nothing written" in result.stderr
    assert seams == []


def test_publish_without_strict_goes_on_with_a_warning(
    warned: Path, seams: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run(monkeypatch, seams, "publish", str(warned))
    assert result.code == EXIT_OK, result.stderr
    assert "warning: source 'unused-2023-01-30' is not cited" in result.stdout
    result.only_call("build_site")
    result.only_call("write_site")


# --- usage errors: exit 2, a message naming the option, and nothing handed on ----------------

USAGE_ERRORS: list[tuple[list[str], str]] = [
    (["build", "--format", "doc"], "unknown format doc; choose from pdf, html, md"),
    (["build", "--format", "pdf,doc,odt"], "unknown format doc, odt; choose from pdf, html, md"),
    (["build", "--format", ""], "give at least one of pdf, html, md"),
    (["build", "--format", ","], "give at least one of pdf, html, md"),
    (["build", "--jobs", "0"], "'0' is not a number of processes; give 1, 2, … or auto"),
    (["build", "-j", "two"], "'two' is not a number of processes; give 1, 2, … or auto"),
    (["publish", "--jobs", "0"], "'0' is not a number of processes; give 1, 2, … or auto"),
    (["publish", "--jobs", "-1"], "'-1' is not a number of processes; give 1, 2, … or auto"),
    (["build", "--nope"], "No such option '--nope'"),
    (["publish", "--format", "md"], "No such option '--format'"),
]


@pytest.mark.parametrize(("args", "message"), USAGE_ERRORS, ids=_case_id)
def test_usage_errors(
    args: list[str],
    message: str,
    project: Path,
    seams: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    command, *options = args
    result = run(monkeypatch, seams, command, str(project), *options)
    assert result.code == EXIT_USAGE
    assert message in result.stderr
    assert result.stderr.count("Error:") == 1
    assert "Traceback" not in result.stderr
    assert seams == []
