"""Nothing of a withheld briefing reaches the site: not a byte, not a file name.

Every field of the TLP:AMBER fixture briefing, and of the actor and source only it cites,
carries a canary ("Zqcanary…", ids with "canary-…-zqN", dates in July 1999). The published
site is searched for them in every file, in every file name, and in the text of every PDF
(PDF streams are compressed, so their bytes alone prove little).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from briefgen.model import Tlp
from briefgen.site.publish import build_site
from briefgen.validate import validate_project
from tests.site.conftest import AMBER_ID, FIXTURE, site_files

# In text: any canary word or id. In raw PDF bytes only the long word, so that compressed data
# cannot match by chance.
TEXT_CANARY = re.compile(r"zqcanary|canary-|zq[0-9]|1999|זקנרי", re.IGNORECASE)
BYTES_CANARY = re.compile(rb"zqcanary", re.IGNORECASE)


def pdf_text(path: Path) -> str:
    """The text of a PDF as pdftotext (poppler) extracts it."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def test_no_canary_in_any_file_name(site: Path) -> None:
    for path in site.rglob("*"):
        relative = path.relative_to(site).as_posix()
        assert not TEXT_CANARY.search(relative), relative
        assert AMBER_ID not in relative


def test_no_canary_in_any_byte_of_any_file(site: Path) -> None:
    files = site_files(site)
    assert len(files) > 10
    for path in files:
        data = path.read_bytes()
        assert not BYTES_CANARY.search(data), path
        if path.suffix != ".pdf":
            text = data.decode("utf-8")
            assert not TEXT_CANARY.search(text), (path, TEXT_CANARY.search(text))


def test_no_canary_in_the_text_of_any_pdf(site: Path) -> None:
    pdfs = [p for p in site_files(site) if p.suffix == ".pdf"]
    assert len(pdfs) == 2
    for path in pdfs:
        text = pdf_text(path)
        assert "Eastbay" in text  # the extraction works
        assert not TEXT_CANARY.search(text), (path, TEXT_CANARY.search(text))


def test_the_canaries_are_found_when_the_ceiling_lets_the_briefing_through(
    tmp_path: Path,
) -> None:
    # The control: the same searches do find the canaries once the briefing is released.
    project, _ = validate_project(FIXTURE)
    assert project is not None
    files = build_site(project, ceiling=Tlp.AMBER).files
    assert f"briefings/{AMBER_ID}.html" in files
    pdf = tmp_path / "amber.pdf"
    pdf.write_bytes(files[f"briefings/{AMBER_ID}.pdf"])
    assert TEXT_CANARY.search(pdf_text(pdf))
    for path in (
        "index.html",
        "timeline.html",
        "sources.html",
        "feed.xml",
        "actors/lena-probe.html",
    ):
        assert TEXT_CANARY.search(files[path].decode("utf-8")), path
    assert "actors/canary-actor-zq1.html" in files
