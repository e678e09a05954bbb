"""Markup and script in every text field: no output turns it into live content.

Every text value of the site fixture (briefings, actors, sources, settings) is given a payload
of HTML, script and Markdown links, one field at a time; each field that still validates keeps
its payload in one combined project. That project is built (HTML, Markdown) and published, and
every HTML page, every HTML summary of the Atom feed and every Markdown file is checked: the
payload is shown as text, never as an element, an event handler or a javascript: link.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefgen.diagnostics import Severity
from briefgen.validate import validate_project
from tests.conftest import run_cli
from tests.site.conftest import FIXTURE

PAYLOAD = (
    ' <script>alert("zqx")</script><img src=zqx onerror=alert(1)>'
    "[zqx](javascript:alert(1)) <a href='javascript:alert(2)'>zqx</a> \"' & <b"
)
CONTENT_FILES = ("briefgen.yaml", "content/actors.yaml", "content/sources.yaml")
Leaf = tuple[str, tuple[Any, ...]]  # (file, path inside it)


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    elif isinstance(value, str):
        yield path


def _load(project: Path) -> dict[str, Any]:
    files = [
        *CONTENT_FILES,
        *(
            f"content/briefings/{p.name}"
            for p in sorted((project / "content/briefings").glob("*.yaml"))
        ),
    ]
    return {f: yaml.safe_load((project / f).read_text(encoding="utf-8")) for f in files}


def _write(project: Path, data: dict[str, Any]) -> None:
    for name, value in data.items():
        text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=1000)
        (project / name).write_text(text, encoding="utf-8")


def _poisoned(data: dict[str, Any], leaves: list[Leaf]) -> dict[str, Any]:
    copy: dict[str, Any] = yaml.safe_load(yaml.safe_dump(data))
    for name, path in leaves:
        parent = copy[name]
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = parent[path[-1]] + PAYLOAD
    return copy


def _valid(project: Path) -> bool:
    _, report = validate_project(project)
    return not any(d.severity is Severity.ERROR for d in report.sorted())


@pytest.fixture(scope="module")
def poisoned_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The fixture with the payload in every field that accepts it; and how many do."""
    project = tmp_path_factory.mktemp("poisoned") / "project"
    shutil.copytree(FIXTURE, project)
    data = _load(project)
    accepted: list[Leaf] = []
    for name, value in data.items():
        for path in _leaves(value):
            _write(project, _poisoned(data, [(name, path)]))
            if _valid(project):
                accepted.append((name, path))
    _write(project, _poisoned(data, accepted))
    assert _valid(project)
    return project, len(accepted)


class _ActiveContent(HTMLParser):
    """Collects what a browser would run or load from the payload."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" or (tag == "img" and dict(attrs).get("src") == "zqx"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")


def _active(html: str) -> list[str]:
    parser = _ActiveContent()
    parser.feed(html)
    parser.close()
    return parser.found


def test_payload_reaches_many_fields(poisoned_project: tuple[Path, int]) -> None:
    # The test means something only if the payload really is in the content.
    assert poisoned_project[1] >= 40


def test_no_output_makes_the_payload_live(poisoned_project: tuple[Path, int]) -> None:
    project = poisoned_project[0]
    for command in (("build", "--format", "html,md"), ("publish", "--no-pdf")):
        result = run_cli(*command, str(project))
        assert result.returncode == 0, result.stdout + result.stderr
    output = project / "output"
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "zqx" in text or page.name == "404.html" or "actors" in page.parts
        assert _active(text) == [], page
    feed = ET.parse(output / "site/feed.xml").getroot()
    summaries = [e for e in feed.iter() if e.get("type") == "html"]
    assert summaries
    for element in summaries:
        assert _active(element.text or "") == [], element.text
    for markdown in sorted(output.rglob("*.md")):
        # An autolink (<https://…>) is one link whatever its characters; the rest is Markdown.
        text = re.sub(r"<https?://[^<>\s]*>", "", markdown.read_text(encoding="utf-8"))
        assert not re.search(r"<(script|img|a)\b", text, re.I), markdown
        # An escaped bracket ("\\](") is text; an unescaped one would make a link.
        assert not re.search(r"(?<!\\)\]\(\s*javascript:", text, re.I), markdown
