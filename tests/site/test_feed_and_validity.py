"""The Atom feed parses with feedparser; every HTML page passes the Nu HTML checker (vnu)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import feedparser

from briefgen.render import make_environment
from briefgen.site.ceiling import apply_ceiling
from briefgen.site.collect import newest_first
from briefgen.site.feed import build_feed
from briefgen.validate import validate_project
from tests.nu_checker import VNU_JAR, nu_errors
from tests.site.conftest import FIXTURE, html_pages

# Errors that come from the renderer's briefing body (templates/briefing/body.html),
# not from the site. Remove each entry as soon as the renderer is fixed; nothing else is
# tolerated.
KNOWN_RENDERER_ERRORS: tuple[str, ...] = ()


def test_the_feed_parses_and_lists_the_published_briefings(site: Path) -> None:
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Harbour Desk briefings"
    assert [e.title for e in feed.entries] == [
        'Closure of the north quay — "safety first" & <what next>',
        "Eastbay port trials a night shift",
    ]
    newest = feed.entries[0]
    assert newest.id == "https://example.org/harbour-desk/briefings/north-quay-2024.html"
    assert newest.link == newest.id
    assert newest.published == "2024-03-07T00:00:00Z"  # from the content, not the clock
    assert feed.entries[1].updated == "2021-06-01T00:00:00Z"  # a month: its first day
    assert [t.term for t in newest.tags] == ["TLP:CLEAR"]
    assert "The port board has closed the north quay" in newest.summary
    assert feed.feed.updated == "2024-03-07T00:00:00Z"


def test_feed_ids_without_a_site_url_are_stable_name_based_uuids() -> None:
    project, _ = validate_project(FIXTURE)
    assert project is not None
    settings = project.settings.model_copy(update={"site_url": None})
    released = apply_ceiling(replace(project, settings=settings)).project
    env = make_environment(released.root)
    first = build_feed(released, newest_first(released), env)
    assert first == build_feed(released, newest_first(released), env)
    feed = feedparser.parse(first)
    assert not feed.bozo
    assert all(e.id.startswith("urn:uuid:") for e in feed.entries)
    assert len({e.id for e in feed.entries}) == 2
    assert feed.entries[0].link == "briefings/north-quay-2024.html"


def test_every_page_passes_the_nu_html_checker(site: Path) -> None:
    errors = nu_errors(html_pages(site), ignore=KNOWN_RENDERER_ERRORS)
    assert not errors, "\n".join(errors)


def test_the_checker_does_find_errors(tmp_path: Path) -> None:
    # The control: a broken page fails, so a pass above means something.
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html><head><title>x</title></head><body><p><b>x</i></body>")
    java = shutil.which("java") or "java"
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", str(broken)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode != 0 and "Stray end tag" in result.stderr + result.stdout
