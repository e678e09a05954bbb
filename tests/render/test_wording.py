"""Wording around the content (issue 10, item 12), in process on a small project.

(a) The preposition before a date follows its precision ('on 4 March 2024', 'in March 2024').
(b) A title that already says its organisation is printed without repeating it.
(c) A locator under a relayed citation is the cited source's, and says so by coming first.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefgen.model import Project
from briefgen.model.dates import EdtfDate, date_with_preposition
from briefgen.model.roles import title_names_organization
from briefgen.render import render_html, render_markdown
from briefgen.validate import validate_project
from tests.render.helpers import FIXTURES

BRIEFING = "water-quotas-2024-03"
BRIEFING_FILE = f"content/briefings/{BRIEFING}.yaml"
# Avi Levin becomes Minister of Water and Irrigation, of the Ministry of Water and Irrigation.
MINISTER = {
    "content/actors.yaml": [
        ("title: Water Commissioner", "title: Minister of Water and Irrigation"),
        ("organization: east-town", "organization: water-ministry"),
        (
            "  - id: east-town\n",
            "  - id: water-ministry\n"
            "    name: Ministry of Water and Irrigation\n"
            "    kind: organization\n"
            "  - id: east-town\n",
        ),
    ]
}


def _project(tmp_path: Path, edits: dict[str, list[tuple[str, str]]] | None = None) -> Project:
    """A copy of the 'full' fixture with ``edits`` (file -> (old, new) pairs), validated."""
    root = tmp_path / "full"
    shutil.copytree(FIXTURES / "full", root)
    for name, pairs in (edits or {}).items():
        path = root / name
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, (name, old)
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    project = validate_project(root).project
    assert project is not None
    return project


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2024-02-04", "on 4 February 2024"),
        ("2024-02", "in February 2024"),
        ("2024", "in 2024"),
        ("2024-02-04~", "around 4 February 2024"),
        ("2024-02~", "around February 2024"),
        ("2024-02?", "in February 2024 (uncertain)"),
        ("2024-02-04%", "around 4 February 2024 (uncertain)"),
        ("2024-02-04/2024-02-06", "between 4 and 6 February 2024"),
        ("2024-01/2024-03", "between January and March 2024"),
        ("2022/2024", "between 2022 and 2024"),
        ("2024-01-30/2024-02-02", "between 30 January and 2 February 2024"),
        ("2023-12~/2024-02", "between c. December 2023 and February 2024"),
    ],
)
def test_date_with_preposition(value: str, words: str) -> None:
    assert date_with_preposition(EdtfDate.parse(value)) == words


def test_decision_date_takes_the_preposition_of_its_precision(tmp_path: Path) -> None:
    review = '    date: "2024-03-04~"\n    text: Ask for a formal review'
    project = _project(
        tmp_path, {BRIEFING_FILE: [(review, review.replace('"2024-03-04~"', '"2024-03"'))]}
    )
    markdown = render_markdown(project, BRIEFING)
    html = render_html(project, BRIEFING)
    assert "Decided by Easttown (מזרחה) in March 2024." in markdown
    assert "מזרחה</bdi>) in March 2024." in html
    assert "on March 2024" not in markdown + html
    assert "on c. March" not in markdown + html
    # A day keeps 'on'.
    assert (
        "Decided by River Basin Council (مجلس حوض النهر) on 5 March 2024, in response" in markdown
    )


@pytest.mark.parametrize(
    ("title", "organization", "repeats"),
    [
        ("Minister of Water and Irrigation", "Ministry of Water and Irrigation", True),
        ("Chair of the River Basin Council", "River Basin Council", True),
        ("Chair", "River Basin Council", False),
        ("Water Commissioner", "Easttown", False),
        ("Director", "Directorate", False),
        ("Minister of Finance", "Ministry of Water and Irrigation", False),
    ],
)
def test_title_names_organization(title: str, organization: str, repeats: bool) -> None:
    assert title_names_organization(title, organization) is repeats


def test_title_and_organisation_that_repeat_print_once(tmp_path: Path) -> None:
    project = _project(tmp_path, MINISTER)
    markdown = render_markdown(project, BRIEFING)
    html = render_html(project, BRIEFING)
    assert "Avi Levin (אבי לוין), Minister of Water and Irrigation; Press conference" in markdown
    assert '<span class="title">Minister of Water and Irrigation</span>;' in html
    assert "Ministry of Water and Irrigation" not in markdown + html
    # A title that does not say its organisation keeps it.
    assert "Chair, River Basin Council" in markdown


def test_locator_of_a_relayed_citation_is_the_cited_sources(tmp_path: Path) -> None:
    project = _project(tmp_path)
    markdown = render_markdown(project, BRIEFING)
    html = render_html(project, BRIEFING)
    assert "  - [2] paragraph 3, citing Delta Radio\n" in markdown
    assert '<a href="#note-2">[2]</a> paragraph 3, citing Delta Radio</li>' in html
    assert "citing Delta Radio, paragraph" not in markdown + html


def test_site_actor_page_links_a_title_that_says_its_organisation(tmp_path: Path) -> None:
    from briefgen.site.views import role_views

    project = _project(tmp_path, MINISTER)
    (minister,) = role_views(project.actors["avi-levin"], project)
    assert minister.says_organization
    assert not any(r.says_organization for r in role_views(project.actors["leila-haddad"], project))
