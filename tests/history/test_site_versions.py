"""Issued versions on the published site: a page and PDF each, the feed, the ceiling."""

from __future__ import annotations

from pathlib import Path

import feedparser
from pypdf import PdfReader

from tests.conftest import run_cli
from tests.history.gitrepo import commit_all, edit, new_project, second_version, two_versions

CANARY = "CANARYOLDAMBER7731"


def _publish(root: Path, *args: str) -> Path:
    result = run_cli("publish", str(root), "--quiet", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "output/site"


def test_both_versions_on_the_site(init_template: Path, tmp_path: Path) -> None:
    site = _publish(two_versions(init_template, tmp_path / "desk"))
    current = (site / "briefings/example.html").read_text()
    assert '<a href="example/v/1.0.html">1.0</a>' in current
    old = (site / "briefings/example/v/1.0.html").read_text()
    assert "This is version 1.0, an earlier issue." in old
    assert '<a href="../../example.html">Read the current version.</a>' in old
    assert "once safety checks were done" in old  # the old wording
    assert "Changes since" not in old  # 1.0 was the first issue
    pdf = PdfReader(site / "briefings/example/v/1.0.pdf")
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "once safety checks were done" in " ".join(text.split())
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    titles = sorted(entry.title for entry in feed.entries)
    assert titles == [
        "Partial closure of the port of Northport",
        "Partial closure of the port of Northport (version 1.0)",
    ]
    links = {entry.link for entry in feed.entries}
    assert links == {"briefings/example.html", "briefings/example/v/1.0.html"}


def test_same_commit_publishes_the_same_bytes(init_template: Path, tmp_path: Path) -> None:
    sites = [_publish(two_versions(init_template, tmp_path / name), "--no-pdf") for name in "ab"]
    files = sorted(p.relative_to(sites[0]) for p in sites[0].rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(sites[1]) for p in sites[1].rglob("*") if p.is_file())
    for relative in files:
        assert (sites[0] / relative).read_bytes() == (sites[1] / relative).read_bytes(), relative


def test_old_version_above_the_ceiling_leaks_nothing(init_template: Path, tmp_path: Path) -> None:
    # Version 1.0 was TLP:AMBER and held a fact that 1.1 (TLP:CLEAR) dropped.
    root = new_project(init_template, tmp_path / "desk")
    edit(root, "marking: TLP:CLEAR", "marking: TLP:AMBER")
    edit(root, "title: Harbour authority closes berths 4 to 6", f"title: {CANARY} closes berths")
    commit_all(root, "Version 1.0 (AMBER)", 0)
    edit(root, "marking: TLP:AMBER", "marking: TLP:CLEAR")
    edit(root, f"title: {CANARY} closes berths", "title: Harbour authority closes berths 4 to 6")
    second_version(root)
    commit_all(root, "Version 1.1 (CLEAR)", 1)
    # A build first: its PDF (for the desk, not the site) says what changed since the AMBER
    # 1.0; publish must not reuse it (the build key counts the versions shown).
    built = run_cli("build", str(root), "--format", "pdf")
    assert built.returncode == 0, built.stderr
    desk = " ".join(p.extract_text() for p in PdfReader(root / "output/example/briefing.pdf").pages)
    assert "Changes since version 1.0" in desk
    site = _publish(root)
    for path in site.rglob("*"):
        assert "/v/" not in str(path.relative_to(site)) and "1.0" not in path.name, path
        if path.is_file():
            data = path.read_bytes()
            assert CANARY.encode() not in data, path
            assert b"version 1.0" not in data.lower(), path
    current = (site / "briefings/example.html").read_text()
    assert "Earlier versions" not in current and "Changes since" not in current
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert len(feed.entries) == 1
    text = " ".join(p.extract_text() for p in PdfReader(site / "briefings/example.pdf").pages)
    assert CANARY not in text and "Changes since" not in text
