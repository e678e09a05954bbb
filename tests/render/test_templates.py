"""Project templates override the built-in ones; template errors name the file and line."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli
from tests.render.helpers import build, copy_fixture

FULL_ID = "water-quotas-2024-03"


def test_override_extends_builtin(tmp_path: Path) -> None:
    project = copy_fixture("full", tmp_path)
    (project / "templates").mkdir()
    (project / "templates" / "briefing.html").write_text(
        '{% extends "builtin/briefing.html" %}'
        '{% block head %}<meta name="x-desk" content="custom">{% endblock %}',
        encoding="utf-8",
    )
    out = build(project, "--format", "html,pdf")
    html = (out / FULL_ID / "briefing.html").read_text(encoding="utf-8")
    assert '<meta name="x-desk" content="custom">' in html
    assert "River Basin Council keeps seasonal water quotas" in html


def test_override_markdown_template(tmp_path: Path) -> None:
    project = copy_fixture("full", tmp_path)
    (project / "templates").mkdir()
    (project / "templates" / "briefing.md").write_text(
        "{{ view.marking }} {{ view.title }} {{ view.issued }}\n", encoding="utf-8"
    )
    out = build(project, "--format", "md")
    text = (out / FULL_ID / "briefing.md").read_text(encoding="utf-8")
    assert text == "TLP:AMBER+STRICT River Basin Council keeps seasonal water quotas 8 March 2024\n"


def test_template_error_names_file_and_line(tmp_path: Path) -> None:
    project = copy_fixture("full", tmp_path)
    (project / "templates").mkdir()
    (project / "templates" / "briefing.md").write_text(
        "line one\n{{ view.no_such_field }}\n", encoding="utf-8"
    )
    result = run_cli("build", str(project), "--format", "md")
    assert result.returncode == 1
    assert "briefing.md:2" in result.stderr, result.stderr
    assert "no_such_field" in result.stderr
    assert "Traceback" not in result.stderr


def test_template_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    project = copy_fixture("full", tmp_path)
    (project / "templates").mkdir()
    (project / "templates" / "briefing.md").write_text("ok\n\n{% if %}\n", encoding="utf-8")
    result = run_cli("build", str(project), "--format", "md")
    assert result.returncode == 1
    assert "briefing.md:3" in result.stderr, result.stderr


NO_SOURCES = """\
title: Talks resume in Cairo
marking: TLP:CLEAR
purpose: information
cutoff: "2024-03-01"
issued: "2024-03-02"
version: "0.1"
authors: [First Analyst]
summary: Talks resume in Cairo next week.
"""


def test_a_briefing_citing_nothing_prints_no_empty_list(tmp_path: Path) -> None:
    project = copy_fixture("full", tmp_path)
    (project / "content/briefings/talks.yaml").write_text(NO_SOURCES, encoding="utf-8")
    out = build(project, "--format", "html,md")
    html = (out / "talks" / "briefing.html").read_text(encoding="utf-8")
    markdown = (out / "talks" / "briefing.md").read_text(encoding="utf-8")
    for text in (html, markdown):
        assert "This note cites no sources." in text
        assert "()" not in text
        assert "independent origin" not in text
    assert '<ol class="endnotes">' not in html  # no empty list either
