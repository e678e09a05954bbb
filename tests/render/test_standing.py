"""A correction notice on every fact resting on a corrected or disputed source, in each edition."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.render.helpers import build, pdf_text

BASE = REPO / "tests" / "validate" / "base"
CORRECTED = "Source corrected on 6 February 2023: The date of the raid was corrected."
RELAYED = "Relayed source Voice of Palestine disputed in February 2023."


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The validation base with its report corrected and the broadcast it relays disputed."""
    project = tmp_path_factory.mktemp("standing") / "project"
    shutil.copytree(BASE, project)
    sources = project / "content" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    text = text.replace(
        "    cites: [radio-2023-02-03]\n",
        "    cites: [radio-2023-02-03]\n    standing:\n      status: corrected\n"
        '      date: "2023-02-06"\n      note: The date of the raid was corrected.\n',
    )
    text = text.replace(
        "    citation_only: true\n",
        '    citation_only: true\n    standing: {status: disputed, date: "2023-02"}\n',
    )
    sources.write_text(text, encoding="utf-8")
    return build(project) / "halt"


class _Notices(HTMLParser):
    """Each standing notice's text, with the id of the nearest element around it that has one."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, str | None, str]] = []
        self.notices: list[tuple[str, str | None]] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        self.open.append((tag, found.get("id"), found.get("class") or ""))
        if "standing-notice" in (found.get("class") or ""):
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            top, _, classes = self.open.pop()
            if "standing-notice" in classes and self._text is not None:
                where = next((i for _, i, _ in reversed(self.open) if i), None)
                self.notices.append(("".join(self._text), where))
                self._text = None
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def test_html_shows_the_notice_beside_each_affected_citation(output: Path) -> None:
    parser = _Notices()
    parser.feed((output / "briefing.html").read_text(encoding="utf-8"))
    # Every fact cites the report: each shows its correction and the relayed dispute.
    beside = [where for text, where in parser.notices if text == CORRECTED]
    assert beside == [
        "key-points",
        "event-raid",
        "decision-halt",
        "statement-abbas-quote",
        "assessments",
    ]
    assert [w for t, w in parser.notices if t == RELAYED] == beside
    endnote = [t for t, where in parser.notices if where == "note-1"]
    assert endnote == ["Corrected on 6 February 2023: The date of the raid was corrected."]


def test_markdown_shows_the_notice(output: Path) -> None:
    markdown = (output / "briefing.md").read_text(encoding="utf-8")
    assert markdown.count(f"**{CORRECTED}**") == 5
    assert markdown.count(f"**{RELAYED}**") == 5
    assert "**Corrected on 6 February 2023: The date of the raid was corrected.**" in markdown


def test_pdf_shows_the_notice(output: Path) -> None:
    text = pdf_text(output / "briefing.pdf")
    assert text.count(CORRECTED) == 5
    assert "Corrected on 6 February 2023" in text


def test_a_retracted_source_is_no_origin_in_the_source_summary(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    sources = project / "content" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    old = "    url: https://example.org/state/briefing\n"
    retracted = '    standing: {status: retracted, date: "2023-02-06", note: Withdrawn.}\n'
    sources.write_text(text.replace(old, old + retracted), encoding="utf-8")
    html = (build(project, "--format", "html") / "halt" / "briefing.html").read_text("utf-8")
    assert (
        "This note cites 2 sources; traced through who reports whom, they go back to 1 "
        "independent origin (Example News)."
    ) in html
    assert "Source retracted on 6 February 2023: Withdrawn." in html
