"""The reader and analyst layouts, read back from the files a real build wrote.

The reader layout is what a decision-maker reads: no dating notes, locators, source notes or
media of statements; key judgements with likelihood and confidence; a source summary whose
numbers are those ``briefgen sources`` reports; a printed contents list only when the note, laid
out with it, runs over four pages; contact and distribution only when given. The layout is a
setting that ``--layout`` overrides, part of the build key, and the site always shows the reader
layout.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import REPO, run_cli
from tests.render.helpers import (
    REFERENCE_ID,
    copy_fixture,
    page_runs,
    reference_available,
    reference_copy,
)

FULL_ID = "water-quotas-2024-03"
PROVENANCE_BASE = REPO / "tests" / "provenance" / "base"

pytestmark = pytest.mark.skipif(not reference_available(), reason="no reference content")

# Working notes of the reference briefing, each only in the analyst layout: a dating note and
# its label, locators, a source's note, a statement's medium with its remark, an event's actors.
WORKING_NOTES = (
    "Dating:",
    "26 January 2023 was a Thursday",
    "paragraphs 4 to 6",
    "paragraph 12, citing Axios",
    "the report does not name the medium",
    "Whether the two officials spoke in one programme",
    "Israel Defense Forces",
)


def pdftotext(pdf: Path, page: int | None = None) -> str:
    """The text of a PDF (or of one page) as poppler's pdftotext extracts it."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


def flat(text: str) -> str:
    """Whitespace collapsed: line breaks are layout, not content."""
    return re.sub(r"\s+", " ", text)


def page_text(page: str) -> str:
    """The words of an HTML page: tags dropped, entities read, whitespace collapsed."""
    return flat(html.unescape(re.sub(r"<[^>]+>", " ", page)))


def build_into(project: Path, out: Path, *args: str) -> Path:
    """``briefgen build`` of ``project`` into ``out``; must pass. Returns ``out``."""
    result = run_cli("build", str(project), "--out", str(out), *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the reference project (no archive: its quotes are unverified)."""
    return reference_copy(tmp_path_factory.mktemp("layouts"), layout=None)


@pytest.fixture(scope="module")
def reader_files(reference: Path) -> Path:
    """The reference briefing built with the default layout (reader)."""
    return build_into(reference, reference / "out-reader") / REFERENCE_ID


@pytest.fixture(scope="module")
def analyst_files(reference: Path) -> Path:
    """The reference briefing built with ``--layout analyst``."""
    return build_into(reference, reference / "out-analyst", "--layout", "analyst") / REFERENCE_ID


def _texts(folder: Path) -> dict[str, str]:
    # The PDF prints some headings and labels in capitals (CSS): compared case-blind.
    return {
        "pdf": flat(pdftotext(folder / "briefing.pdf")).casefold(),
        "html": page_text((folder / "briefing.html").read_text(encoding="utf-8")),
        "md": flat((folder / "briefing.md").read_text(encoding="utf-8")),
    }


def test_reader_layout_leaves_out_every_working_note(reader_files: Path) -> None:
    for fmt, text in _texts(reader_files).items():
        for note in WORKING_NOTES:
            note = note.casefold() if fmt == "pdf" else note
            assert note not in text, f"{fmt}: working note {note!r} in the reader layout"


def test_analyst_layout_keeps_every_working_note(analyst_files: Path) -> None:
    # The control: the same strings are there when the layout keeps them.
    for fmt, text in _texts(analyst_files).items():
        for note in WORKING_NOTES:
            note = note.casefold() if fmt == "pdf" else note
            assert note in text, f"{fmt}: working note {note!r} missing from the analyst layout"


def test_reader_layout_leads_with_key_judgements(reader_files: Path) -> None:
    for fmt, text in _texts(reader_files).items():
        wanted = [
            "Key judgements",
            "keep the halt formally in place",
            "Likely (55–80%)",
            "Low confidence",
            "keep pressing the PA",
            "Very likely (80–95%)",
            "Moderate confidence",
        ]
        for words in wanted:
            assert (words.casefold() if fmt == "pdf" else words) in text, (fmt, words)
    first_page = flat(pdftotext(reader_files / "briefing.pdf", 1)).casefold()
    for words in ("Bottom line", "Key judgements", "Likely (55–80%)", "Reference", "BG-2023-014"):
        assert words.casefold() in first_page, words


def test_each_fact_keeps_its_endnote_numbers(reader_files: Path, analyst_files: Path) -> None:
    # The same view numbers both layouts: every endnote is the same source under one number.
    def endnotes(folder: Path) -> list[str]:
        page = (folder / "briefing.html").read_text(encoding="utf-8")
        return re.findall(
            r'<li id="note-(\d+)"><span class="note-number">\d+\. </span>'
            r'\s*<span class="publisher">([^<]+)</span>',
            page,
        )

    assert endnotes(reader_files) == endnotes(analyst_files)
    assert len(endnotes(reader_files)) == 5


def _sources_report(project: Path) -> dict[str, object]:
    result = run_cli("sources", str(project), "--format", "json")
    assert result.returncode == 0, result.stderr
    (briefing,) = json.loads(result.stdout)["briefings"]
    return briefing  # type: ignore[no-any-return]


def _independent_origins(facts: list[dict[str, object]]) -> set[str]:
    """Origins as `briefgen sources` traces them: sources on a chain that relay no other."""
    chains = [list(c) for f in facts for c in f["chains"]]  # type: ignore[attr-defined]
    involved = {s for c in chains for s in c}
    relaying = {c[i] for c in chains for i in range(len(c) - 1)}
    return involved - relaying


@pytest.mark.parametrize("which", ["reference", "provenance-base"])
def test_source_summary_numbers_are_those_of_briefgen_sources(
    which: str, reference: Path, tmp_path: Path
) -> None:
    if which == "reference":
        project, briefing_id = reference, REFERENCE_ID
    else:
        project = tmp_path / "base"
        shutil.copytree(PROVENANCE_BASE, project)
        briefing_id = "water"
    report = _sources_report(project)
    quotes: dict[str, int] = report["quotes"]  # type: ignore[assignment]
    verified, total = quotes["verified"], sum(quotes.values())
    origins = _independent_origins(report["facts"])  # type: ignore[arg-type]
    out = build_into(project, tmp_path / "out", "--format", "md,pdf") / briefing_id
    md = (out / "briefing.md").read_text(encoding="utf-8")
    figures = re.search(
        r"\*\*(\d+)\*\* sources? · \*\*(\d+)\*\* independent origins? · "
        r"\*\*(\d+) of (\d+)\*\* direct quotes verified",
        md,
    )
    assert figures, md
    cited = len(re.findall(r"^\d+\. ", md.split("## Sources", 1)[1], flags=re.MULTILINE))
    assert [int(g) for g in figures.groups()] == [cited, len(origins), verified, total]
    if which == "provenance-base":
        assert verified > 0  # the archive copies are there: some quotes verify
    else:
        assert (verified, total) == (0, 6)  # the copy holds no archive
    pdf = flat(pdftotext(out / "briefing.pdf"))
    assert f"{len(origins)} independent origin" in pdf
    assert f"{verified} of {total} direct quotes verified" in pdf


def _long_briefing(project: Path) -> None:
    """Make the fixture's briefing run well over four pages (a long background)."""
    path = project / "content" / "briefings" / f"{FULL_ID}.yaml"
    text = path.read_text(encoding="utf-8")
    paragraph = (
        "  The Council's record of each season's allocation, the towns' objections and the "
        "appeal panel's rulings is summarised here at length, so that the note runs well over "
        "four printed pages and its reader needs a list of contents to find their way.\n\n"
    )
    long_background = "background: |\n" + paragraph * 40
    path.write_text(text.replace("background: |\n", long_background, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full fixture with a long background, in the reader layout."""
    project = copy_fixture("full", tmp_path_factory.mktemp("long"))
    _long_briefing(project)
    out = build_into(project, project / "output", "--format", "pdf", "--layout", "reader")
    return out / FULL_ID / "briefing.pdf"


@pytest.fixture(scope="module")
def short_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full fixture as it is (under four pages), in the reader layout."""
    project = copy_fixture("full", tmp_path_factory.mktemp("short"))
    out = build_into(project, project / "output", "--format", "pdf", "--layout", "reader")
    return out / FULL_ID / "briefing.pdf"


def test_no_contents_up_to_four_pages(short_pdf: Path) -> None:
    assert len(PdfReader(short_pdf).pages) <= 4
    assert "Contents" not in pdftotext(short_pdf)


def test_contents_with_true_page_numbers_over_four_pages(long_pdf: Path) -> None:
    pages = len(PdfReader(long_pdf).pages)
    assert pages > 4
    first = pdftotext(long_pdf, 1)
    assert "CONTENTS" in first
    entries = dict(re.findall(r"^([A-Z][A-Za-z ]+?)\s*\.{3,}\s*(\d+)\s*$", first, re.MULTILINE))
    # A note for decision gives its recommendations up front, on page 1, not in the contents.
    assert "RECOMMENDATIONS" in first.split("CONTENTS", 1)[0]
    assert "Recommendations" not in entries
    for heading in ("Background", "Timeline", "What was said", "Outlook", "Sources"):
        assert heading in entries, (heading, first)
        page = int(entries[heading])
        assert 1 <= page <= pages
        # The heading is on the page the contents names (and not only there in the text).
        assert re.search(rf"^{heading}$", pdftotext(long_pdf, page), re.MULTILINE), heading
    assert int(entries["Sources"]) > int(entries["Background"])


def test_contact_and_distribution_shown_when_given(reader_files: Path, analyst_files: Path) -> None:
    wanted = ("Contact and distribution", "Point of contact", "reference content desk",
              "Distribution", "briefgen contributors")  # fmt: skip
    for folder in (reader_files, analyst_files):
        for fmt, text in _texts(folder).items():
            for words in wanted:
                assert (words.casefold() if fmt == "pdf" else words) in text, (fmt, words)


def test_contact_and_distribution_absent_when_not_given(short_pdf: Path) -> None:
    text = pdftotext(short_pdf).casefold()
    assert "contact and distribution" not in text
    assert "point of contact" not in text
    assert "distribution" not in text


def _set_layout(project: Path, layout: str | None) -> None:
    settings = project / "briefgen.yaml"
    lines = [
        line
        for line in settings.read_text(encoding="utf-8").splitlines()
        if not line.startswith("layout:")
    ]
    if layout:
        lines.append(f"layout: {layout}")
    settings.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _markdown_layout(out: Path) -> str:
    md = (out / FULL_ID / "briefing.md").read_text(encoding="utf-8")
    reader, analyst = "## Key judgements" in md, "*Dating:*" in md
    assert reader != analyst, md
    return "reader" if reader else "analyst"


@pytest.mark.parametrize(
    ("setting", "option", "expected"),
    [
        (None, None, "reader"),
        ("analyst", None, "analyst"),
        ("reader", None, "reader"),
        ("analyst", "reader", "reader"),
        ("reader", "analyst", "analyst"),
        (None, "analyst", "analyst"),
    ],
)
def test_layout_option_wins_over_the_setting(
    setting: str | None, option: str | None, expected: str, tmp_path: Path
) -> None:
    project = copy_fixture("full", tmp_path)
    _set_layout(project, setting)
    args = ["--format", "md", *(["--layout", option] if option else [])]
    out = build_into(project, tmp_path / "out", *args)
    assert _markdown_layout(out) == expected


def test_unknown_layout_is_a_usage_error(tmp_path: Path) -> None:
    project = copy_fixture("full", tmp_path)
    result = run_cli("build", str(project), "--layout", "minister")
    assert result.returncode == 2
    assert "'minister' is not one of 'reader', 'analyst'" in result.stderr


def test_layout_setting_is_validated(tmp_path: Path) -> None:
    project = copy_fixture("full", tmp_path)
    _set_layout(project, "minister")
    result = run_cli("validate", str(project))
    assert result.returncode == 1
    assert re.search(r"briefgen\.yaml:\d+:\d+: error: 'minister' is not allowed here; expected "
                     "'reader' or 'analyst'", result.stdout), result.stdout  # fmt: skip


def test_switching_layout_renders_again(tmp_path: Path) -> None:
    project = copy_fixture("full", tmp_path)
    _set_layout(project, None)  # the default: reader
    out = tmp_path / "out"

    def run(*args: str) -> str:
        result = run_cli("build", str(project), "--out", str(out), "--format", "md", *args)
        assert result.returncode == 0, result.stderr
        return result.stderr

    run()
    assert "up to date, skipped" in run()
    assert "skipped" not in run("--layout", "analyst")
    assert _markdown_layout(out) == "analyst"
    assert "up to date, skipped" in run("--layout", "analyst")
    assert "skipped" not in run()
    assert _markdown_layout(out) == "reader"


@pytest.mark.parametrize("path", ["reference", "full-reader", "full-analyst", "long"])
def test_marking_on_every_page_in_both_layouts(
    path: str, reader_files: Path, analyst_files: Path, long_pdf: Path, tmp_path: Path
) -> None:
    if path == "reference":
        pdfs = [
            (reader_files / "briefing.pdf", "TLP:CLEAR"),
            (analyst_files / "briefing.pdf", "TLP:CLEAR"),
        ]
    elif path == "long":
        pdfs = [(long_pdf, "TLP:AMBER+STRICT")]
    else:
        project = copy_fixture("full", tmp_path)
        layout = path.split("-")[1]
        out = build_into(project, tmp_path / "out", "--format", "pdf", "--layout", layout)
        pdfs = [(out / FULL_ID / "briefing.pdf", "TLP:AMBER+STRICT")]
    for pdf, label in pdfs:
        height = float(PdfReader(pdf).pages[0].mediabox.height)
        for number, runs in enumerate(page_runs(pdf), start=1):
            labels = [r for r in runs if r.text == label]
            top = [r for r in labels if r.y > height * 0.9]
            bottom = [r for r in labels if r.y < height * 0.1]
            assert top and bottom, f"{pdf}: page {number}: marking missing in header or footer"
            assert all(r.size >= 12 - 0.01 for r in top + bottom), f"{pdf}: page {number} size"


def test_site_shows_the_reader_layout(reference: Path, tmp_path: Path) -> None:
    project = tmp_path / "site-project"
    shutil.copytree(reference, project, ignore=shutil.ignore_patterns("out-*", "output"))
    _set_layout(project, "analyst")
    built = build_into(project, project / "output", "--format", "md") / REFERENCE_ID
    analyst_md = (built / "briefing.md").read_bytes()
    result = run_cli("publish", str(project))
    assert result.returncode == 0, result.stderr
    site = project / "output" / "site" / "briefings"
    page = (site / f"{REFERENCE_ID}.html").read_text(encoding="utf-8")
    md = (site / f"{REFERENCE_ID}.md").read_text(encoding="utf-8")
    pdf = flat(pdftotext(site / f"{REFERENCE_ID}.pdf")).casefold()
    for fmt, text in (("page", page), ("md", md), ("pdf", pdf)):
        for words in ("Key judgements", *WORKING_NOTES):
            words = words.casefold() if fmt == "pdf" else words
            assert (words in text) == (words.casefold() == "key judgements"), (fmt, words)
    # The analyst build of the project is left as build wrote it.
    assert (built / "briefing.md").read_bytes() == analyst_md
