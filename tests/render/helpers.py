"""Shared helpers of the render tests: build a fixture with the real CLI, read real PDFs."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from tests import golden
from tests.conftest import REPO, run_cli

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"
REFERENCE_ID = "pa-security-coordination-2023-02"


@dataclass(frozen=True)
class Run:
    """Text drawn on a PDF page: its position (points, from the bottom left) and size."""

    text: str
    x: float
    y: float
    size: float


def copy_fixture(name: str, tmp_path: Path) -> Path:
    """A fresh copy of a fixture project (so output/ and templates/ never touch the repo)."""
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


def build(project: Path, *args: str, env: dict[str, str] | None = None) -> Path:
    """Run ``briefgen build`` on ``project`` and return its output folder; the build must pass."""
    out = project / "output"
    result = run_cli("build", str(project), "--out", str(out), *args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def reference_copy(tmp_path: Path, layout: str | None = "analyst") -> Path:
    """A copy of the repository's own project without ``content/archive/`` and ``output/``.

    The copy builds ``layout`` (``layout:`` added to its settings): the analyst layout unless
    told otherwise, since the golden files and most tests read the analyst's working notes;
    None keeps the project's own setting (the reader layout).

    A developer may keep the report's text in content/archive/ (git-ignored, see
    docs/provenance.md), which turns the reference quotes from 'unverified' to verified; the
    tests must not depend on whether that copy is in place, so they build this copy instead.
    """
    target = tmp_path / "reference"
    target.mkdir()
    shutil.copy(REPO / "briefgen.yaml", target / "briefgen.yaml")
    if layout is not None:
        settings = target / "briefgen.yaml"
        kept = [
            line
            for line in settings.read_text(encoding="utf-8").splitlines()
            if not line.startswith("layout:")
        ]
        settings.write_text("\n".join([*kept, f"layout: {layout}"]) + "\n", encoding="utf-8")
    shutil.copytree(REPO / "content", target / "content", ignore=shutil.ignore_patterns("archive"))
    if (REPO / "templates").is_dir():
        shutil.copytree(REPO / "templates", target / "templates")
    return target


def reference_available() -> bool:
    """True once the reference content (content/ at the repository root) exists."""
    return (REPO / "content" / "briefings" / f"{REFERENCE_ID}.yaml").is_file()


def page_runs(pdf: Path) -> list[list[Run]]:
    """Every text run of every page, with position and font size in points."""
    pages: list[list[Run]] = []
    for page in PdfReader(pdf).pages:
        runs: list[Run] = []
        page.extract_text(visitor_text=_collector(runs))
        pages.append(runs)
    return pages


def _collector(runs: list[Run]) -> Callable[..., None]:
    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x = cm[4] + cm[0] * tm[4]
            y = cm[5] + cm[3] * tm[5]
            runs.append(Run(text.strip(), x, y, abs(size * tm[3] * cm[3])))

    return visit


def pdf_text(pdf: Path) -> str:
    """The whole text of a PDF, whitespace collapsed (line breaks are layout, not content)."""
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    return re.sub(r"\s+", " ", text)


def without_stylesheet(html: str) -> str:
    """The page with its embedded stylesheet replaced by a placeholder.

    Golden HTML is about the markup: a change to briefing.css alone must not rewrite it. A
    separate test checks that the embedded stylesheet is briefing.css, whole.
    """
    before, style_open, rest = html.partition("<style>\n")
    assert style_open, "the page embeds no stylesheet"
    _css, style_close, after = rest.partition("</style>")
    assert style_close, "unterminated <style>"
    return f"{before}<style>\n/* briefing.css, embedded */\n</style>{after}"


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/render/golden/<name>, or rewrite it under ``--update-golden``."""
    path = GOLDEN / name
    if golden.UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {name}: run pytest tests/render --update-golden"
    assert actual == path.read_text(encoding="utf-8"), (
        f"{name} differs from its golden file; if the change is intended, run "
        "pytest tests/render --update-golden and review the diff"
    )
