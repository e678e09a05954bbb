"""The CLI's contract: exit codes, help, init, schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

from briefgen.model import placeholders
from tests.conftest import run_cli


def test_help_lists_commands_and_exit_codes() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for word in ("init", "validate", "schema", "Exit codes"):
        assert word in result.stdout


def test_init_then_validate_is_clean(tmp_path: Path) -> None:
    target = tmp_path / "desk"
    created = run_cli("init", str(target))
    assert created.returncode == 0, created.stderr
    assert (target / "schemas" / "briefing.schema.json").is_file()
    first_line = (target / "content/briefings/example.yaml").read_text().splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../../schemas/briefing.schema.json"
    checked = run_cli("validate", "--strict", str(target))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no problems" in checked.stderr


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = run_cli("init", str(tmp_path))
    assert result.returncode == 2
    assert "not empty" in result.stderr
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_no_project_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 2
    assert "no briefgen.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_schema_is_json_with_every_briefing_key() -> None:
    result = run_cli("schema", "briefing")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    for key in ("marking", "cutoff", "statements", "assessments", "summary"):
        assert key in schema["properties"]
    assert schema["additionalProperties"] is False


def test_new_makes_a_valid_briefing_and_never_overwrites(tmp_path: Path) -> None:
    project = tmp_path / "desk"
    assert run_cli("init", str(project)).returncode == 0
    made = run_cli("new", "talks-2024", "--purpose", "decision", "--title", "yes: no", cwd=project)
    assert made.returncode == 0, made.stderr
    text = (project / "content/briefings/talks-2024.yaml").read_text()
    assert 'title: "yes: no"' in text
    assert "marking: TLP:AMBER" in text  # the scaffold's default_marking
    checked = run_cli("validate", cwd=project)  # it parses: the errors are its placeholders
    assert checked.returncode == 1, checked.stdout
    errors = [line for line in checked.stdout.splitlines() if ": error: " in line]
    assert errors and all("placeholder text from 'briefgen new'" in line for line in errors)
    assert "left in 'recommendations'" in checked.stdout
    again = run_cli("new", "talks-2024", cwd=project)
    assert again.returncode == 2
    assert "already exists" in again.stderr


def test_new_takes_the_project_as_path_like_every_command(tmp_path: Path) -> None:
    project = tmp_path / "desk"
    assert run_cli("init", str(project)).returncode == 0
    made = run_cli("new", "talks-2024", str(project), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert (project / "content/briefings/talks-2024.yaml").is_file()
    old_style = run_cli("new", "talks-2025", "--project", str(project), cwd=tmp_path)
    assert old_style.returncode == 0, old_style.stderr  # still accepted, no longer listed
    assert "--project" not in run_cli("new", "--help").stdout
    both = run_cli("new", "talks-2026", str(project), "--project", str(project))
    assert both.returncode == 2 and "give the project folder once" in both.stderr


CRASHING = """
import sys, click
from briefgen.cli.errors import run_guarded

@click.command()
def boom() -> None:
    raise RuntimeError("simulated bug")

sys.exit(run_guarded(boom))
"""


def test_a_bug_gives_exit_3_a_saved_traceback_and_none_on_screen(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {"TMPDIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", CRASHING], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 3
    assert "internal error (RuntimeError: simulated bug)" in result.stderr
    assert "Traceback" not in result.stderr
    (saved,) = tmp_path.glob("briefgen-crash-*.txt")
    assert "Traceback" in saved.read_text()
    assert str(saved) in result.stderr


def test_new_with_a_bad_id_suggests_one_and_writes_nothing(tmp_path: Path) -> None:
    project = tmp_path / "desk"
    assert run_cli("init", str(project)).returncode == 0
    long_title = "Security coordination " * 5  # 110 characters
    for written, suggested in (
        ("Bad Id", "'bad-id'"),
        ("Été 2024", "'ete-2024'"),  # accents dropped, not the letter
        # cut to 80 characters at a hyphen
        (long_title, f"'{'-'.join(['security-coordination'] * 3)}-security'"),
    ):
        result = run_cli("new", written, cwd=project)
        assert result.returncode == 2, result.stderr
        assert "is not a valid id" in result.stderr
        assert f"(for example {suggested})" in result.stderr, result.stderr
    arabic = run_cli("new", "محمود", cwd=project)  # nothing to make an id of: no fake suggestion
    assert arabic.returncode == 2
    assert "'an-id'" not in arabic.stderr
    assert "e.g. 'pa-coordination-2023-02'" in arabic.stderr
    briefings = sorted(p.name for p in (project / "content/briefings").glob("*.yaml"))
    assert briefings == ["example.yaml"]  # init's example only: nothing was written


def test_untouched_new_briefing_reports_each_placeholder_where_it_is(tmp_path: Path) -> None:
    project = tmp_path / "desk"
    assert run_cli("init", str(project)).returncode == 0
    assert run_cli("new", "x", cwd=project).returncode == 0
    path = project / "content/briefings/x.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    checked = run_cli("validate", cwd=project)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    pattern = re.compile(
        r"content/briefings/x\.yaml:(\d+):(\d+): error: placeholder text from 'briefgen new' "
        r"left in '(\w+)' \(replace it with .*\)"
    )
    output = checked.stdout.splitlines()
    errors = [line for line in output if ": error: " in line]
    found = {}
    for line in errors:
        match = pattern.fullmatch(line)
        assert match, line
        row, column, key = int(match[1]), int(match[2]), match[3]
        at = lines[row - 1][column - 1 :]
        if at.startswith(">-"):  # a folded block: the text is on the next line
            at = lines[row].strip()
        assert lines[row - 1].startswith(f"{key}: "), line  # on the line of its key
        found[key] = at.strip('"[]')
    written = {"title", "authors", "summary", "background", "outlook"}  # purpose: information
    assert set(found) == written, checked.stdout
    for key, text in found.items():
        assert text == placeholders.PLACEHOLDERS[key], (key, text)
    others = [line for line in output if line not in errors and "x.yaml" in line]
    assert len(others) == 1 and "warning: this briefing states no facts" in others[0], others

    text = path.read_text(encoding="utf-8")
    for placeholder in placeholders.PLACEHOLDERS.values():
        text = text.replace(placeholder, "Talks resume in Cairo")
    path.write_text(text, encoding="utf-8")
    again = run_cli("validate", cwd=project)
    assert again.returncode == 0, again.stdout
    assert "placeholder" not in again.stdout
