"""The published site: its files, page structure, links, markings and reproducibility."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefgen.site.recall import MEMO_FILE as PUBLISH_MEMO
from tests.conftest import run_cli
from tests.site.conftest import copy_fixture, html_pages, site_files

EXPECTED_FILES = [
    "404.html",
    "actors.html",
    "actors/crane-guild.html",
    "actors/lena-probe.html",
    "actors/omar-test.html",
    "actors/port-board.html",
    "assets/briefing.css",
    "assets/site.css",
    "briefings/night-shift-2021.html",
    "briefings/night-shift-2021.md",
    "briefings/night-shift-2021.pdf",
    "briefings/north-quay-2024.html",
    "briefings/north-quay-2024.md",
    "briefings/north-quay-2024.pdf",
    "feed.xml",
    "index.html",
    "sources.html",
    "timeline.html",
]


class Outline(HTMLParser):
    """Headings, landmarks, ids, links and the lang attribute of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.urls: list[tuple[str, str]] = []  # (tag, url) of href and src attributes
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "html":
            self.lang = values.get("lang")
        if "id" in values:
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if name in values:
                self.urls.append((tag, values[name]))


def outline(path: Path) -> Outline:
    parser = Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_the_site_has_exactly_the_expected_files(site: Path) -> None:
    assert sorted(p.relative_to(site).as_posix() for p in site_files(site)) == EXPECTED_FILES


@pytest.mark.parametrize("name", [n for n in EXPECTED_FILES if n.endswith(".html")])
def test_every_page_is_accessible_and_marked(site: Path, name: str) -> None:
    page = outline(site / name)
    text = (site / name).read_text(encoding="utf-8")
    assert page.lang == "en"
    assert page.headings and page.headings[0] == 1 and page.headings.count(1) == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"heading h{after} after h{before}"
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in page.tags or (name == "404.html" and landmark == "nav")
    assert 'class="skip-link" href="#main"' in text and "main" in page.ids
    # The page's marking, in the header and again in the footer.
    assert text.count('<span class="site-tlp site-tlp--clear">TLP:CLEAR</span>') >= 2
    assert "<script" not in text  # the site needs no JavaScript


@pytest.mark.parametrize("name", [n for n in EXPECTED_FILES if n.endswith(".html")])
def test_local_links_are_relative_and_resolve(site: Path, name: str) -> None:
    page = site / name
    for tag, url in outline(page).urls:
        if url == "data:,":
            assert tag == "link"  # the empty icon
            continue
        if url.startswith(("https://", "http://", "mailto:")):
            # Only ordinary links may leave the site (a source's address, the 404 home link).
            assert tag == "a", (name, url)
            continue
        assert not url.startswith("/"), f"{name}: {url} is not relative"
        target, _, fragment = url.partition("#")
        resolved = (page.parent / target).resolve() if target else page
        assert resolved.is_file(), f"{name}: {url} does not resolve"
        if fragment:
            assert fragment in outline(resolved).ids, f"{name}: no #{fragment} in {target}"


def test_css_loads_nothing_from_elsewhere(site: Path) -> None:
    for css in (site / "assets").glob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert "@import" not in text and not re.search(r"url\(\s*['\"]?(https?:)?//", text)


def test_the_index_lists_the_newest_briefing_first(site: Path) -> None:
    text = (site / "index.html").read_text(encoding="utf-8")
    newer = text.index("briefings/north-quay-2024.html")
    older = text.index("briefings/night-shift-2021.html")
    assert newer < older
    assert "The port board has closed the north quay for repairs" in text
    assert '<time datetime="2021-06">June 2021</time>' in text  # a month stays a month


def test_text_is_escaped_not_interpreted(site: Path) -> None:
    text = (site / "index.html").read_text(encoding="utf-8")
    assert "&lt;what next&gt;" in text and "<what next>" not in text


def test_the_briefing_page_embeds_the_body_and_links_its_editions(site: Path) -> None:
    text = (site / "briefings/north-quay-2024.html").read_text(encoding="utf-8")
    assert 'href="north-quay-2024.pdf"' in text and 'href="north-quay-2024.md"' in text
    assert 'id="statement-director-on-closure"' in text  # the renderer's body partial
    assert (site / "briefings/north-quay-2024.pdf").read_bytes().startswith(b"%PDF-")
    markdown = (site / "briefings/north-quay-2024.md").read_text(encoding="utf-8")
    assert "Safety comes before speed." in markdown


def test_an_actor_page_gives_the_title_held_at_each_date(site: Path) -> None:
    text = (site / "actors/lena-probe.html").read_text(encoding="utf-8")
    early = text.index("10 June 2021")
    assert "as Deputy Director, Eastbay Port Board" in text[early : early + 300]
    late = text.index("4 March 2024")
    assert "as Director, Eastbay Port Board" in text[late : late + 300]
    assert '<span lang="ar" dir="rtl">لينا بروب</span>' in text
    assert "night-shift-2021.html#statement-deputy-on-trial" in text


def test_timeline_and_sources_pages(site: Path) -> None:
    timeline = (site / "timeline.html").read_text(encoding="utf-8")
    assert timeline.index("Night-shift trial begins") < timeline.index("Port board closes")
    sources = (site / "sources.html").read_text(encoding="utf-8")
    assert 'id="bay-gazette-2024"' in sources and 'href="#coast-radio-2024"' in sources


def test_the_404_page_stands_alone(site: Path) -> None:
    text = (site / "404.html").read_text(encoding="utf-8")
    # Served for missing addresses at any depth: its styles are inline and it links home by
    # the configured site_url.
    assert "<style>" in text and 'rel="stylesheet"' not in text
    assert 'href="https://example.org/harbour-desk/index.html"' in text


def test_publishing_twice_gives_the_same_bytes(site: Path, tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    again = tmp_path / "again"
    result = run_cli("publish", str(project), "--out", str(again), "-q")
    assert result.returncode == 0, result.stderr
    for path in site_files(site):
        relative = path.relative_to(site)
        assert (again / relative).read_bytes() == path.read_bytes(), relative


def test_a_failed_publish_leaves_the_previous_site(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    assert run_cli("publish", str(project), "-q", "--no-pdf").returncode == 0
    index = project / "output/site/index.html"
    before = index.read_bytes()
    broken = project / "templates/site/index.html"
    broken.parent.mkdir(parents=True)
    broken.write_text("{% extends 'site/base.html' %}{% block main %}{{ nope( }}{% endblock %}")
    result = run_cli("publish", str(project), "--no-pdf")
    assert result.returncode == 1
    assert "templates/site/index.html" in result.stderr and "previous site" in result.stderr
    assert index.read_bytes() == before
    assert sorted(p.name for p in (project / "output").iterdir()) == [PUBLISH_MEMO, "site"]


def test_publish_never_replaces_a_folder_it_did_not_write(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    result = run_cli("publish", str(project), "--out", str(precious), "--no-pdf")
    assert result.returncode == 2
    assert "does not look like a site briefgen wrote" in result.stderr
    assert (precious / "notes.txt").read_text() == "keep me"


def test_html_pages_helper_sees_every_page(site: Path) -> None:
    assert len(html_pages(site)) == len([n for n in EXPECTED_FILES if n.endswith(".html")])
