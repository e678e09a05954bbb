"""The standalone pages are valid HTML (Nu checker), and endnote markers are punctuated right.

A comma separates two endnote numbers only when they are adjacent ("force.1,2"), never when
text lies between two markers ("quotas1 despite … Radio2"): the commas are in the markup, so
the HTML, the PDF and a copy-paste of either agree.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.nu_checker import nu_errors
from tests.render.helpers import (
    REFERENCE_ID,
    build,
    copy_fixture,
    pdf_text,
    reference_available,
    reference_copy,
)

FULL_ID = "water-quotas-2024-03"
# Added to a copy of the full fixture: a key point whose text ends with an inline citation,
# followed by the point's own citations (two marker groups that touch).
EXTRA_POINT = """\
  - text: The pumping station runs at half capacity [@agency-wire-2024-03-06]
    sources: [council-notice-2024-02, agency-wire-2024-03-06]
"""


@pytest.fixture(scope="module")
def full_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_fixture("full", tmp_path_factory.mktemp("full"))
    briefing = project / "content" / "briefings" / f"{FULL_ID}.yaml"
    text = briefing.read_text(encoding="utf-8")
    briefing.write_text(text.replace("background: |", EXTRA_POINT + "background: |"), "utf-8")
    return build(project, "--format", "html,pdf") / FULL_ID


def test_standalone_pages_pass_the_nu_html_checker(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    pages = []
    for layout in ("analyst", "reader"):
        chosen = ("--format", "html", "--layout", layout)
        for name, briefing_id in (("full", FULL_ID), ("hostile", "hostile")):
            project = copy_fixture(name, tmp_path_factory.mktemp(f"{name}-{layout}"))
            pages.append(build(project, *chosen) / briefing_id / "briefing.html")
        if reference_available():
            project = reference_copy(tmp_path_factory.mktemp(f"reference-{layout}"))
            out = build(project, *chosen, "--only", REFERENCE_ID)
            pages.append(out / REFERENCE_ID / "briefing.html")
    errors = nu_errors(pages)
    assert not errors, "\n".join(errors)


def _markers(html: str) -> list[str]:
    """Each marker group as its numbers with their separators: ['1', '1,2', ...]."""
    groups = re.findall(r'<sup class="cite">(.*?)</sup>', html)
    return [re.sub(r"<[^>]+>", "", g) for g in groups]


def test_commas_only_between_adjacent_markers_in_html(full_out: Path) -> None:
    html = (full_out / "briefing.html").read_text(encoding="utf-8")
    assert "::before" not in html  # no separator made up by CSS
    # Text between two markers: two groups, no comma.
    assert re.search(r"quotas<sup class=\"cite\">.*?</sup> despite", html)
    # Adjacent citations of a fact: one group, numbers in order.
    assert "1,2" in _markers(html)
    # An inline citation at the end of the text and the fact's own: merged, each number once.
    point = html.split("The pumping station runs at half capacity", 1)[1].split("</li>", 1)[0]
    assert _markers(point) == ["1,3"]
    assert "</sup><sup" not in html


def test_commas_only_between_adjacent_markers_in_pdf(full_out: Path) -> None:
    text = pdf_text(full_out / "briefing.pdf")
    assert "seasonal quotas1 despite" in text
    assert "on Delta Radio2." in text  # no stray comma before a lone marker
    assert "remain in force.1,2" in text
    assert "half capacity1,3" in text
