"""A releasable edition leaks nothing of the portions it cuts, in any byte of any output.

The TLP:AMBER briefing of ``tests/editions/canary/`` releases a TLP:CLEAR edition. Every kind
of portion above TLP:CLEAR carries a canary: each fact kind (key point, event, decision,
statement, assessment), an item of information_gaps and of recommendations, a narrative
paragraph (marked, and unmarked, which has the note's marking), a citation marked above its
fact, the actor and the source only removed facts name, and the dates only removed facts hold.
The edition's PDF (raw bytes, decompressed streams, pdftotext, metadata, outline), HTML and
Markdown, and the whole published site (bytes, file names, feed, PDF text), are searched; the
control tests find the same canaries where the portions are kept, so the search can fail.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject

from tests.conftest import run_cli

PROJECT = Path(__file__).parent / "canary"
# One canary per kind of removed portion (every one is in the full note: see the controls).
CANARIES = (
    "Canarybottomline",  # a bottom-line paragraph marked (TLP:AMBER)
    "Canarysummary",  # a summary paragraph marked (TLP:AMBER)
    "Canarykeypoint",  # an unmarked key point (the note's TLP:AMBER)
    "Canarybackground",  # an unmarked background paragraph
    "Canaryevent",  # an event's title
    "Canaryville",  # its location
    "Zephyrine Canaryactor",  # an actor only removed facts name
    "Canarydecision",  # a decision
    "Canaryquote",  # a statement
    "Canarymedium",  # its medium
    "Canaryassessment",  # an assessment
    "Canaryoutlook",  # an outlook paragraph
    "Canarygap",  # an information gap
    "Canaryrecommendation",  # a recommendation
    "Canarysource Gazette",  # a source only a removed fact cites
    "Canarycite Herald",  # a source cited by a kept fact, in a citation marked TLP:AMBER
    "19 January 2023",  # a date only a removed event holds
)
# Anything of a canary, in text: the word, the ids, the removed dates, the note's own marking.
TEXT_CANARY = re.compile(r"canary|2023-01-19|2023-01-20|19 January|20 January|TLP:AMBER", re.I)
BYTES_CANARY = re.compile(rb"canary|TLP:AMBER", re.I)


def _copy(tmp: Path, ceiling: str = "TLP:CLEAR") -> Path:
    root = tmp / "desk"
    shutil.copytree(PROJECT, root)
    settings = root / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8").replace("TLP:CLEAR", ceiling)
    settings.write_text(text, encoding="utf-8")
    return root


def _run(*args: str) -> None:
    done = run_cli(*args)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The canary project, built (note and edition) and published, through the CLI."""
    root = _copy(tmp_path_factory.mktemp("editions"))
    _run("build", str(root))
    _run("publish", str(root))
    return root


@pytest.fixture(scope="module")
def kept_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The control site: the ceiling at TLP:AMBER publishes the full note."""
    root = _copy(tmp_path_factory.mktemp("control"), ceiling="TLP:AMBER")
    _run("publish", str(root))
    return root / "output" / "site"


def pdf_text(path: Path) -> str:
    """The text of a PDF as pdftotext (poppler) extracts it."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def _outline_titles(items: list[object]) -> list[str]:
    titles: list[str] = []
    for item in items:
        if isinstance(item, list):
            titles += _outline_titles(item)
        else:
            titles.append(str(getattr(item, "title", "")))
    return titles


def pdf_parts(path: Path) -> dict[str, str]:
    """What pypdf reads of a PDF: metadata, outline, and every stream decompressed."""
    reader = PdfReader(path)
    numbers = [(n, g) for g, table in reader.xref.items() for n in table]
    numbers += [(n, 0) for n in reader.xref_objStm]
    streams = []
    for number, generation in numbers:
        found = reader.get_object(IndirectObject(number, generation, reader))
        if isinstance(found, StreamObject):
            streams.append(found.get_data().decode("latin-1"))
    assert streams
    return {
        "metadata": " ".join(str(v) for v in (reader.metadata or {}).values()),
        "outline": " | ".join(_outline_titles(reader.outline)),
        "streams": "\n".join(streams),
        "text": "\n".join(page.extract_text() for page in reader.pages),
    }


def _assert_clean_text(where: str, text: str) -> None:
    found = TEXT_CANARY.search(text)
    assert found is None, (where, found and text[max(0, found.start() - 80) : found.end() + 80])


def test_the_edition_is_written_in_every_format_beside_the_note(built: Path) -> None:
    edition = built / "output" / "halt" / "edition-tlp-clear"
    assert sorted(p.name for p in edition.iterdir() if p.is_file()) == [
        ".briefgen-key",
        "briefing.html",
        "briefing.md",
        "briefing.pdf",
    ]
    markdown = (edition / "briefing.md").read_text(encoding="utf-8")
    assert markdown.startswith("**TLP:CLEAR**")
    assert "Releasable edition TLP:CLEAR of this note" in markdown
    assert "The halt remains in effect." in markdown  # what is released is there


@pytest.mark.parametrize("name", ["briefing.html", "briefing.md"])
def test_no_canary_in_the_edition_html_or_markdown(built: Path, name: str) -> None:
    path = built / "output" / "halt" / "edition-tlp-clear" / name
    _assert_clean_text(name, path.read_text(encoding="utf-8"))


def test_no_canary_in_any_part_of_the_edition_pdf(built: Path) -> None:
    path = built / "output" / "halt" / "edition-tlp-clear" / "briefing.pdf"
    assert not BYTES_CANARY.search(path.read_bytes())
    _assert_clean_text("pdftotext", pdf_text(path))
    parts = pdf_parts(path)
    assert "PA halts security coordination" in parts["metadata"]  # metadata is read
    assert "Key points" in parts["outline"]  # the outline is read
    for where, text in parts.items():
        _assert_clean_text(where, text)
    assert "Outlook" not in parts["outline"]  # the outlook was all TLP:AMBER


def test_control_every_canary_is_in_the_full_note(built: Path) -> None:
    folder = built / "output" / "halt"
    html = (folder / "briefing.html").read_text(encoding="utf-8")
    markdown = (folder / "briefing.md").read_text(encoding="utf-8")
    text = " ".join(pdf_text(folder / "briefing.pdf").split())
    parts = pdf_parts(folder / "briefing.pdf")
    for canary in CANARIES:
        assert canary in html, canary
        assert canary in markdown, canary
        assert canary in text, canary
    assert "TLP:AMBER" in parts["metadata"]
    assert "Outlook" in parts["outline"]
    # The raw bytes are compressed (so the edition's are searched decompressed too).
    assert TEXT_CANARY.search(parts["streams"])


def _site_findings(site: Path) -> list[str]:
    """Every place of the site where a canary is found: names, bytes, text, PDF text."""
    found = []
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if TEXT_CANARY.search(relative):
            found.append(f"name {relative}")
        if not path.is_file():
            continue
        data = path.read_bytes()
        if BYTES_CANARY.search(data):
            found.append(f"bytes {relative}")
        text = pdf_text(path) if path.suffix == ".pdf" else data.decode("utf-8", "replace")
        if TEXT_CANARY.search(text):
            found.append(f"text {relative}")
    return found


def test_nothing_of_a_removed_portion_reaches_the_site(built: Path) -> None:
    site = built / "output" / "site"
    assert (site / "briefings" / "halt.pdf").is_file()
    assert (site / "feed.xml").is_file()
    assert _site_findings(site) == []
    page = (site / "briefings" / "halt.html").read_text(encoding="utf-8")
    assert "Releasable edition TLP:CLEAR of this note" in page


def test_control_the_full_note_on_the_site_holds_the_canaries(kept_site: Path) -> None:
    found = _site_findings(kept_site)
    assert "text briefings/halt.pdf" in found
    assert "text feed.xml" in found
    assert "text briefings/halt.html" in found
    assert "name actors/zcanary-actor.html" in found


def test_the_full_note_shows_each_portion_marking(built: Path) -> None:
    markdown = (built / "output" / "halt" / "briefing.md").read_text(encoding="utf-8")
    assert "- (TLP:AMBER) Canarykeypoint" in markdown
    assert "- (TLP:CLEAR) The halt remains in effect." in markdown
    assert "(TLP:AMBER) In substance: Canaryquote" in markdown
    assert "1. (TLP:CLEAR) Keep channels open" in markdown
    assert "Releasable edition" not in markdown


def test_a_change_to_a_cut_portion_leaves_the_edition_up_to_date(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _run("build", str(root), "--format", "md")
    briefing = root / "content" / "briefings" / "halt.yaml"
    text = briefing.read_text(encoding="utf-8")
    briefing.write_text(text.replace("Canaryoutlook for", "Canaryoutlook, changed, for"), "utf-8")
    done = run_cli("build", str(root), "--format", "md", "-v")
    assert done.returncode == 0, done.stderr
    assert "up to date halt/edition-tlp-clear" in done.stderr
    assert "wrote " in done.stderr and "halt/briefing.md" in done.stderr
