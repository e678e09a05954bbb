"""Colour of the CLI's output: ``--color/--no-color`` and ``NO_COLOR`` (https://no-color.org).

``briefgen validate`` runs in process (click's ``CliRunner``) on a project with an error, whose
diagnostic line is coloured (``click.style``) when colour is on. ``CliRunner(color=True)``
stands for a terminal (click keeps ANSI codes), ``color=False`` for a pipe or a file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import cli
from briefgen.cli.errors import Invocation
from briefgen.errors import EXIT_CONTENT

BASE = Path(__file__).resolve().parent.parent / "validate" / "base"
ANSI = "\x1b["


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clean base project with one error: an event names an actor that does not exist."""
    root = tmp_path_factory.mktemp("colour") / "desk"
    shutil.copytree(BASE, root)
    briefing = root / "content" / "briefings" / "halt.yaml"
    text = briefing.read_text(encoding="utf-8")
    assert "    actors: [palestinian-authority]\n" in text
    briefing.write_text(
        text.replace("    actors: [palestinian-authority]\n", "    actors: [no-such-actor]\n"),
        encoding="utf-8",
    )
    return root


def _validate(
    project: Path, *options: str, terminal: bool, no_color: str | None = None
) -> tuple[str, str]:
    """``briefgen [OPTIONS] validate PROJECT``: its standard output and standard error."""
    # env: None removes the variable, so that the developer's own NO_COLOR cannot leak in.
    runner = CliRunner(env={"NO_COLOR": no_color})
    result = runner.invoke(
        cli,
        [*options, "validate", str(project)],
        color=terminal,
        obj=Invocation(),
        standalone_mode=False,
        catch_exceptions=False,
    )
    assert result.return_value == EXIT_CONTENT, result.output
    assert "no-such-actor" in result.stdout
    return result.stdout, result.stderr


def test_a_terminal_is_coloured_by_default(broken: Path) -> None:
    stdout, _ = _validate(broken, terminal=True)
    assert ANSI in stdout


def test_a_pipe_is_not_coloured_by_default(broken: Path) -> None:
    stdout, stderr = _validate(broken, terminal=False)
    assert ANSI not in stdout + stderr


@pytest.mark.parametrize("value", ["1", "true", "0", "no"])
def test_no_color_set_to_anything_turns_colour_off_in_a_terminal(broken: Path, value: str) -> None:
    # no-color.org: any non-empty value, "0" and "no" included.
    stdout, stderr = _validate(broken, terminal=True, no_color=value)
    assert ANSI not in stdout + stderr


def test_an_empty_no_color_is_ignored(broken: Path) -> None:
    stdout, _ = _validate(broken, terminal=True, no_color="")
    assert ANSI in stdout


def test_no_color_option_turns_colour_off_in_a_terminal(broken: Path) -> None:
    stdout, stderr = _validate(broken, "--no-color", terminal=True)
    assert ANSI not in stdout + stderr


def test_color_option_colours_a_pipe(broken: Path) -> None:
    stdout, _ = _validate(broken, "--color", terminal=False)
    assert ANSI in stdout


def test_color_option_wins_over_no_color(broken: Path) -> None:
    stdout, _ = _validate(broken, "--color", terminal=False, no_color="1")
    assert ANSI in stdout


def test_the_option_is_in_the_help() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "--color / --no-color" in result.output
    assert "NO_COLOR" in result.output
