"""The change box and the version history as built, in PDF, HTML and Markdown."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.history.gitrepo import two_versions
from tests.render.helpers import build, pdf_text

BOX = [
    "No longer cites Radio North: Berths 4 to 6 are closed until further notice.",
    "New: Dockworkers' union calls a members' meeting",
    "Reworded: The chief executive said the closure would end as soon as the safety checks "
    "were complete.",
    "Now likely (was roughly even chance): The berths will reopen within two weeks.",
]


# The heading each layout gives the bottom line, which the change box comes before.
BOTTOM_LINE = {"reader": "Bottom line", "analyst": "Bottom line up front"}


@pytest.fixture(scope="module", params=["reader", "analyst"])
def layout(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="module")
def built(init_template: Path, tmp_path_factory: pytest.TempPathFactory, layout: str) -> Path:
    """The two-version project, built once per layout; its output folder."""
    root = two_versions(init_template, tmp_path_factory.mktemp("rendered") / "desk")
    return build(root, "--layout", layout)


def test_markdown_box_lists_exactly_the_changes(built: Path, layout: str) -> None:
    text = (built / "example/briefing.md").read_text()
    box = text.split("## Changes since version 1.0\n\n", 1)[1].split("\n\n", 1)[0]
    assert box.splitlines() == [f"- {line}" for line in BOX]
    assert text.index("## Changes since version 1.0") < text.index(f"## {BOTTOM_LINE[layout]}\n")
    history = text.split("## Version history\n\n", 1)[1]
    assert "| 1.1 | 6 May 2024 | 1 source removed, 1 new, 1 reworded, 1 re-graded | — |" in history
    assert "| 1.0 | 4 May 2024 | First issue | — |" in history


def test_html_box_and_history(built: Path) -> None:
    html = (built / "example/briefing.html").read_text()
    box = html.split('<aside class="changes"', 1)[1].split("</aside>", 1)[0]
    items = [part.split("</li>", 1)[0] for part in box.split("<li>")[1:]]
    escaped = [line.replace("'", "&#39;") for line in BOX]
    assert items == escaped
    assert '<h2 id="h-version-history">Version history</h2>' in html


def test_pdf_box_and_history(built: Path, layout: str) -> None:
    text = pdf_text(built / "example/briefing.pdf")
    assert "Changes since version 1.0" in text
    for line in BOX:
        assert line in text
    assert "Version history" in text
    # The reader's headings are set in capitals by its stylesheet.
    lower = text.lower()
    assert lower.index("changes since version 1.0") < lower.index(BOTTOM_LINE[layout].lower())


def test_without_git_no_box_and_said_once(init_template: Path, tmp_path: Path) -> None:
    root = tmp_path / "desk"
    shutil.copytree(init_template, root)
    result = run_cli("build", str(root), "--format", "md")
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "no version history" in line]
    assert notes == [
        "briefgen build: no version history: the project is not a git repository "
        "(no .git folder in the project root)"
    ]
    text = (root / "output/example/briefing.md").read_text()
    assert "Changes since" not in text and "Version history" not in text


def test_same_commit_builds_the_same_bytes(init_template: Path, tmp_path: Path) -> None:
    # Two clones of one history, built apart: every output byte-identical.
    outputs = []
    for name in ("one", "two"):
        root = two_versions(init_template, tmp_path / name)
        outputs.append(build(root))
    for file in ("briefing.pdf", "briefing.html", "briefing.md"):
        first = (outputs[0] / "example" / file).read_bytes()
        assert first == (outputs[1] / "example" / file).read_bytes(), file


def test_an_approval_alone_rebuilds(init_template: Path, tmp_path: Path) -> None:
    # The briefing is unchanged; the approval shows in the version history, so the build key
    # must count it and the Markdown is written again.
    root = two_versions(init_template, tmp_path / "desk")
    build(root, "--format", "md")
    result = run_cli("approve", "example", str(root), "--by", "Rita Reviewer")
    assert result.returncode == 0, result.stderr
    build(root, "--format", "md")
    text = (root / "output/example/briefing.md").read_text()
    row = "| 1.1 | 6 May 2024 | 1 source removed, 1 new, 1 reworded, 1 re-graded | Rita Reviewer |"
    assert row in text
