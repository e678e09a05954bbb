"""Quotes not matched against an archive are marked on every site page that shows them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import run_cli

PAGES = ("actors/tom-sample.html", "timeline.html", "briefings/example.html")


def _publish(project: Path) -> Path:
    result = run_cli("publish", "--no-pdf", "-q", str(project))
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "output" / "site"


def _publish_unverified_quotes(project: Path) -> None:
    """Opt in: publish refuses unverified quotes unless the project allows them
    (tests/site/test_quote_gate.py)."""
    settings = project / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8")
    opted = text.replace("# publish_unverified_quotes: true", "publish_unverified_quotes: true")
    assert opted != text, "the scaffold's briefgen.yaml no longer offers the setting"
    settings.write_text(opted, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "desk"
    assert run_cli("init", str(target)).returncode == 0
    return target


def test_verified_quote_carries_no_mark(project: Path) -> None:
    site = _publish(project)
    for page in PAGES:
        assert 'class="unverified"' not in (site / page).read_text(encoding="utf-8"), page


def test_quote_without_archive_is_marked_everywhere(project: Path) -> None:
    (project / "content/archive/radio-north-2024-05-03.txt").unlink()
    _publish_unverified_quotes(project)
    site = _publish(project)
    for page in PAGES:
        assert 'class="unverified"' in (site / page).read_text(encoding="utf-8"), page


VERIFIED = "We want the berths open and the talks to go on."
UNVERIFIED = "The closure ends once the safety checks are done."
# Where the statement a quote belongs to ends: a fact of the site, or a briefing's figure.
_STATEMENT_END = re.compile(r"</li>|</figure>")


def _marked(page: str, quote: str) -> bool:
    """Whether the statement holding ``quote`` carries the unverified mark."""
    start = page.index(quote)
    end = _STATEMENT_END.search(page, start)
    assert end is not None, quote
    return 'class="unverified"' in page[start : end.start()]


def test_the_mark_is_on_the_unverified_quote_and_not_on_the_verified_one(project: Path) -> None:
    """Two quotes side by side: only the one with no archive to check it against is marked."""
    briefing = project / "content/briefings/example.yaml"
    text = briefing.read_text(encoding="utf-8")
    # The paraphrase of the harbour notice (a source with no archive) becomes a direct quote.
    text = text.replace(
        "    kind: paraphrase\n    text: The chief executive said the closure would end once "
        "safety checks were done.",
        f"    kind: quote\n    text: {UNVERIFIED}",
        1,
    )
    briefing.write_text(text, encoding="utf-8")
    _publish_unverified_quotes(project)
    site = _publish(project)
    shown = {
        VERIFIED: ("timeline.html", "briefings/example.html", "actors/tom-sample.html"),
        UNVERIFIED: ("timeline.html", "briefings/example.html", "actors/maria-example.html"),
    }
    for quote, names in shown.items():
        for name in names:
            page = (site / name).read_text(encoding="utf-8")
            assert _marked(page, quote) == (quote == UNVERIFIED), (name, quote)
