"""The Markdown edition holds no live link and no image, as python-markdown or CommonMark read it.

Each hostile snippet goes through :func:`narrative.to_markdown`; the result is then read by
python-markdown and by markdown-it-py (CommonMark, link validation off, so that it shows what
any other viewer would link) in the places the built-in template puts a field: alone, in a
list item, after a label. All fields of the list are also read as one document, since a
reference definition in one field would apply to every other. The check here is written
independently of the one in ``narrative``: it walks markdown-it's tokens and python-markdown's
element tree.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from xml.etree.ElementTree import Element

import markdown
import pytest
from markdown.treeprocessors import Treeprocessor
from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefgen.render import narrative
from briefgen.render.narrative import CitationNumbers
from tests.conftest import run_cli
from tests.render.helpers import build

SITE_FIXTURE = Path(__file__).parent.parent / "site" / "fixture"

# The reviewer's field, verbatim.
REVIEWED = (
    (
        r"A1 [esc\]link](javascript:alert(1)) and [nest [b] c](javascript:alert(2)) and "
        "[deep](javascript:alert((3)))\n"
    )
    + r"""and refs [r1][] [r2][] [r3][] and images ![a [b] c](http://127.0.0.1:9/px.png) ![pix][r4]

> [r1]: javascript:alert(4)

- [r2]: javascript:alert(5)

[r3\]]: javascript:alert(6)

[r4]: http://127.0.0.1:9/track.png"""
)

HOSTILE = [
    REVIEWED,
    "[a](javascript:alert(1))",
    "[esc\\]link](javascript:alert(1))",
    "[nest [b] c](javascript:alert(2))",
    "[deep](javascript:alert((3)))",
    "[deeper](javascript:alert((((4)))))",
    "<javascript:alert(1)>",
    "<JaVaScRiPt:alert(1)>",
    "<data:text/html;base64,PHNjcmlwdD4=>",
    "<vbscript:msgbox(1)>",
    "[x](jav&#x61;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](<java\tscript:alert(1)>)",
    "[x](<java\nscript:alert(1)>)",
    "[x](\u0001javascript:alert(1))",
    "[x](<  javascript:alert(1)>)",
    "[x](%6Aavascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    '[x](javascript:alert(1) "title")',
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](file:///etc/passwd)",
    "[x](//evil.example/)",
    "[x]: <javascript:alert(1)>\n\n[x]",
    "[x]:\njavascript:alert(1)\n\n[x]",
    "[x]: javascript:alert(1) 'title'\n\n[x][]",
    "[x]: https://example.com 'fine'\n[y]: javascript:alert(1)\n\n[x] [y]",
    "   [x]: javascript:alert(1)\n\n[x]",
    "[X Y]: javascript:alert(1)\n\n[x   y]",
    "> > [x]: javascript:alert(1)\n\n[x]",
    "1. [x]: javascript:alert(1)\n\n[x]",
    "Heading\n=======\n[x]: javascript:alert(1)\n\n[x]",
    "[x]: javascript:alert(1)\n===\n\n[x]",
    "[![img](http://127.0.0.1:9/a.png)](https://example.com)",
    "[![img][i]](https://example.com)\n\n[i]: http://127.0.0.1:9/a.png",
    "![](http://127.0.0.1:9/a.png)",
    "![a ![b](http://x/) c](http://127.0.0.1:9/a.png)",
    "!\\[not an image\\](http://x) but ![real](<http://127.0.0.1:9/a b.png>)",
    "![x](http://127.0.0.1:9/a.png 'title')",
    "![pix][]\n\n[pix]: http://127.0.0.1:9/a.png",
    "    [x](javascript:alert(1))",
    "text\n\n    [x](javascript:alert(1))",
    "~~~\n[x](javascript:alert(1))\n~~~",
    "```\n[x](javascript:alert(1))\n```",
    "`[x](javascript:alert(1))`",
    "``[x](javascript:alert(1))``",
    "<a href='javascript:alert(1)'>x</a>",
    "<img src=http://127.0.0.1:9/a.png>",
    "&lt;javascript:alert(1)>",
    "[x]\n(javascript:alert(1))",
    "[x](\njavascript:alert(1))",
    "[x](javascript:alert(1)\n)",
    "[x] (javascript:alert(1))",
    "*[x](javascript:alert(1))*",
    "[*x*](javascript:alert(1)) [`y`](javascript:alert(2))",
    "[x](javascript:alert(1) [@src])",
    "[x [@src]](javascript:alert(1))",
    "- a\n\n      [x](javascript:alert(1))",
]

# What must survive untouched: safe links, citations, formatting.
SAFE = {
    "See [the notice](https://example.com/a?b=1&c=2) [@src].": (
        "See [the notice](https://example.com/a?b=1&c=2) [1]."
    ),
    "Write to [us](mailto:desk@example.com).": "Write to [us](mailto:desk@example.com).",
    "*Emphasis* and `code` [@src][@other].": "*Emphasis* and `code` [1][2].",
    "- one\n- two": "- one\n- two",
}


class _Collect(Treeprocessor):
    """Every ``a`` and ``img`` of python-markdown's tree, with its target."""

    found: list[tuple[str, str]]

    def run(self, root: Element) -> None:
        self.found = [(e.tag, e.get("href") or e.get("src") or "") for e in root.iter()]


def _python_markdown(text: str) -> tuple[list[tuple[str, str]], int, str]:
    engine = markdown.Markdown()
    collect = _Collect(engine)
    engine.treeprocessors.register(collect, "collect", 0)
    out = engine.convert(text)
    return collect.found, len(engine.references), out


def _commonmark(text: str) -> tuple[list[tuple[str, str]], int]:
    engine = MarkdownIt("commonmark")
    engine.validateLink = lambda url: True  # type: ignore[method-assign] # every target linked
    env: dict[str, dict[str, object]] = {}
    found: list[tuple[str, str]] = []
    stack: list[Token] = list(engine.parse(text, env))
    while stack:
        token = stack.pop()
        stack.extend(token.children or ())
        if token.type in ("link_open", "image", "html_inline", "html_block"):
            found.append((token.type, str(token.attrGet("href") or token.attrGet("src") or "")))
    return found, len(env.get("references", {}))


_NOT_MARKDOWN_TAG = (
    r"<(?!/?(?:p|a|em|strong|code|pre|ul|ol|li|blockquote|hr|br|h\d|img)\b)[a-z/][^>]*>"
)


def _is_safe(target: str) -> bool:
    # Decoded as a browser would (entities; tabs, line breaks, leading controls ignored).
    url = re.sub(r"[\t\n\r]", "", html.unescape(target)).lstrip("".join(map(chr, range(33))))
    return re.match(r"(?:https?|mailto):", url, re.I) is not None


def live_parts(text: str) -> list[str]:
    """Images, raw HTML, links to anything but http(s)/mailto, definitions, in both parsers."""
    py_found, py_refs, py_html = _python_markdown(text)
    cm_found, cm_refs = _commonmark(text)
    live = [
        f"{kind} {target!r}"
        for kind, target in py_found + cm_found
        if kind in ("img", "image", "html_inline", "html_block")
        or (kind in ("a", "link_open") and not _is_safe(target))
    ]
    # Raw HTML in python-markdown's output: any tag that pure Markdown does not make.
    live += re.findall(_NOT_MARKDOWN_TAG, py_html)
    live += ["reference definition"] * (py_refs + cm_refs)
    return live


def _in_contexts(field: str) -> list[str]:
    """The places the built-in Markdown template puts a field."""
    indented = field.replace("\n", "\n  ")
    return [field, "- " + indented, "1. " + field.replace("\n", "\n   "), "*Basis:* " + field]


def _numbers() -> CitationNumbers:
    return CitationNumbers({"src": 1, "other": 2})


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_is_inert_in_both_parsers(text: str) -> None:
    out = narrative.to_markdown(text, _numbers())
    for document in _in_contexts(out):
        assert not live_parts(document), (text, out, live_parts(document))


def test_definitions_in_one_field_do_not_reach_another() -> None:
    fields = [narrative.to_markdown(text, _numbers()) for text in HOSTILE]
    fields += [narrative.to_markdown(f"[{n}] [r{n}] [x] [i] [pix]", _numbers()) for n in (1, 2)]
    document = "\n\n".join(fields)
    assert not live_parts(document)


@pytest.mark.parametrize(("text", "expected"), SAFE.items())
def test_safe_markdown_is_kept(text: str, expected: str) -> None:
    assert narrative.to_markdown(text, _numbers()) == expected


def test_unsafe_field_keeps_its_words_and_citations() -> None:
    out = narrative.to_markdown("[deep](javascript:alert((3))) cited [@src].", _numbers())
    assert "deep" in out
    assert out.endswith("[1].")


def test_html_edition_shows_every_image_as_text() -> None:
    out = narrative.to_html("![a [b] c](http://127.0.0.1:9/px.png) ![pix][r]\n\n[r]: http://x/",
                            _numbers())  # fmt: skip
    assert "<img" not in out
    assert "(image: a [b] c)" in out
    assert "(image: pix)" in out


def test_reviewed_briefing_builds_an_inert_markdown_edition(tmp_path: Path) -> None:
    project = tmp_path / "site"
    shutil.copytree(SITE_FIXTURE, project)
    shutil.rmtree(project / "output", ignore_errors=True)
    briefing = project / "content" / "briefings" / "north-quay-2024.yaml"
    field = "background: |-\n" + "".join(f"  {line}\n" if line else "\n"
                                         for line in REVIEWED.splitlines())  # fmt: skip
    text = briefing.read_text(encoding="utf-8")
    old = re.search(r"^background: .*\n(?:  .*\n)*", text, re.M)
    assert old
    briefing.write_text(text.replace(old[0], field), encoding="utf-8")
    out = build(project, "--format", "md", "--only", "north-quay-2024")
    document = (out / "north-quay-2024" / "briefing.md").read_text(encoding="utf-8")
    assert "A1 " in document
    assert not live_parts(document), live_parts(document)


def test_an_excerpt_alone_does_not_make_a_reference_definition(tmp_path: Path) -> None:
    """'  - [1]: “word”' would define [1] for the whole edition; the template writes no colon."""
    from tests.site.conftest import FIXTURE

    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    briefing = project / "content/briefings/north-quay-2024.yaml"
    text = briefing.read_text(encoding="utf-8")
    text = text.replace(
        "    sources: [board-notice-2024, coast-radio-2024]",
        "    sources: [{source: board-notice-2024, excerpt: closed}, coast-radio-2024]",
        1,
    )
    briefing.write_text(text, encoding="utf-8")
    # The analyst layout prints each citation's excerpt; the reader layout prints none.
    result = run_cli("build", "--format", "md", "--layout", "analyst", str(project))
    assert result.returncode == 0, result.stdout + result.stderr
    edition = (project / "output/north-quay-2024/briefing.md").read_text(encoding="utf-8")
    assert "  - [1] “closed”" in edition
    assert narrative.markdown_is_inert(edition)
