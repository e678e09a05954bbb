"""Narrative Markdown: inline citations become endnote numbers; raw HTML never gets through.

Content Markdown is rendered twice from the same text: to safe HTML (for the HTML and PDF
editions) and to plain Markdown (for the Markdown edition). In both, ``[@source-id]`` becomes
the source's endnote number, which :class:`CitationNumbers` assigns by first use.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from briefgen.model.common import INLINE_CITATION

# What narrative HTML may contain after sanitising. No images, media, forms, frames, styles or
# headings (a heading inside a field would break the document's outline). Tables come from
# Markdown pipe tables, each in a scrolling wrapper (see _Tables).
ALLOWED_TAGS = {
    "p", "br", "em", "strong", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "sup", "sub", "abbr", "hr", "del", "ins", "q", "span",
    "div", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
}
# Attributes kept only with these values (on top of ALLOWED_ATTRIBUTES); classes kept only
# from these sets (nh3 drops any other class, so content cannot borrow the page's classes).
ALLOWED_ATTRIBUTE_VALUES = {
    "th": {"scope": {"col"}},
    "div": {"tabindex": {"0"}, "role": {"group"}, "aria-label": {"Table"}},
}
_ALIGN_CLASSES = {"align-left", "align-center", "align-right"}
ALLOWED_CLASSES = {"th": _ALIGN_CLASSES, "td": _ALIGN_CLASSES, "div": {"table-scroll"}}
SAFE_SCHEMES = {"http", "https", "mailto"}

# Markdown images; link destinations and reference definitions with a scheme other than the
# safe ones.
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_SAFE_HREF = re.compile(r"(?:https?|mailto):", re.IGNORECASE)
# The destination may hold one level of parentheses: [x](javascript:alert('x')).
_UNSAFE_INLINE_LINK = re.compile(
    r"\[([^\]]*)\]\(\s*<?\s*(?!https?:|mailto:)[^()]*(?:\([^()]*\)[^()]*)*\)"
)
_UNSAFE_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?\s*(?!https?:|mailto:)\S.*$", re.MULTILINE)
# A run of inline citations, each with the whitespace before it: "text [@a] [@b]".
_CITATION_RUN = re.compile(r"(?:[ \t\n]*" + INLINE_CITATION.pattern + r")+")
_SPACED_CITATION = re.compile(r"([ \t\n]*)" + INLINE_CITATION.pattern)
# Two marker groups with nothing between them (a field ending in a citation, then the fact's
# own citations): merged into one, so they print "2,3" and never "23".
_GROUP = r'<sup class="cite">(?:,?<a href="#note-\d+" aria-label="endnote \d+">\d+</a>)+</sup>'
_ADJACENT_GROUPS = re.compile(f"(?:{_GROUP}){{2,}}")
_GROUP_NUMBER = re.compile(r'href="#note-(\d+)"')
# Something that an HTML-aware Markdown viewer would take as a tag or comment.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
# What a browser ignores in a URL before reading its scheme (WHATWG URL standard): C0 controls
# and spaces at the start, tabs and line breaks anywhere.
_URL_LEADING_IGNORED = re.compile(r"^[\x00-\x20]+")
_URL_IGNORED = re.compile(r"[\t\n\r]")
# The tags pure Markdown produces in python-markdown and CommonMark, apart from links and
# images. Any other tag in their HTML means raw HTML got through.
_MARKDOWN_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
# Python-markdown's stand-in for '&' in the attributes it obfuscates (autolinked e-mail).
_PY_MARKDOWN_AMP = "\x02amp\x03"


class MarkdownTooDeepError(ValueError):
    """A Markdown text nests lists or block quotes too deeply for python-markdown to parse."""

    def __init__(self, text: str) -> None:
        super().__init__("Markdown nested too deeply to render")
        self.text = text  # as given, so that the caller can tell which field it was


@dataclass
class CitationNumbers:
    """Endnote numbers by first use: the first source cited is 1, and keeps 1 throughout."""

    numbers: dict[str, int] = field(default_factory=dict)

    def cite(self, source_id: str) -> int:
        """The number of ``source_id``, assigning the next one on first use."""
        if source_id not in self.numbers:
            self.numbers[source_id] = len(self.numbers) + 1
        return self.numbers[source_id]

    def cite_inline(self, text: str, known: Callable[[str], bool]) -> None:
        """Number every known source cited inline in ``text``, in reading order."""
        for source_id in INLINE_CITATION.findall(text):
            if known(source_id):
                self.cite(source_id)


class _UnsafeLinksAsText(Treeprocessor):
    """A link to anything but http(s) or mailto becomes its text (a ``<span>``); an image
    becomes ``(image: its alt text)``, whatever syntax wrote it.

    The sanitiser would drop such an ``href`` anyway, but leave an ``<a rel=…>`` without one,
    which is invalid HTML; here the link goes before the sanitiser sees it. It would drop an
    image silently; this way the HTML edition says what the Markdown edition says.
    """

    def run(self, root: Element) -> None:
        for link in root.iter("a"):
            if not is_safe_href(link.get("href", "")):
                link.tag = "span"
                link.attrib.clear()
        for image in root.iter("img"):
            image.text = f"(image: {image.get('alt', '')})"
            image.tag = "span"
            image.attrib.clear()


class _Tables(Treeprocessor):
    """Pipe tables as accessible, scrollable tables.

    A header cell gets ``scope="col"`` (python-markdown writes a bare ``<th>``); a column's
    alignment becomes a class (``align-left``, ``align-center``, ``align-right``) instead of
    an ``align`` attribute or inline style. Each table goes into a ``div.table-scroll`` that
    scrolls sideways on a narrow screen; it is focusable (``tabindex="0"``), so a keyboard
    user can scroll it too, and named as a group so that a screen reader says why it is there.
    """

    def run(self, root: Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "table":
                    self._wrap(parent, index, child)
        for cell in root.iter():
            if cell.tag not in ("th", "td"):
                continue
            align = cell.attrib.pop("align", None) or ""
            cell.attrib.pop("style", None)
            if cell.tag == "th":
                cell.set("scope", "col")
            if f"align-{align}" in _ALIGN_CLASSES:
                cell.set("class", f"align-{align}")

    @staticmethod
    def _wrap(parent: Element, index: int, table: Element) -> None:
        wrapper = Element(
            "div",
            {"class": "table-scroll", "tabindex": "0", "role": "group", "aria-label": "Table"},
        )
        wrapper.tail, table.tail = table.tail, None
        parent.remove(table)
        wrapper.append(table)
        parent.insert(index, wrapper)


def _markdown_engine() -> markdown.Markdown:
    engine = markdown.Markdown(
        extensions=["sane_lists", "tables"],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    # python-markdown passes raw HTML through; without these two processors it is escaped
    # and shown as the text the author typed.
    engine.preprocessors.deregister("html_block")
    engine.inlinePatterns.deregister("html")
    engine.treeprocessors.register(_UnsafeLinksAsText(engine), "unsafe_links", 0)
    engine.treeprocessors.register(_Tables(engine), "tables_markup", 0)
    return engine


# Parsers built once per thread and reused (reset before each text): building one costs more
# than the short text it reads, and a build reads thousands of fields.
_parsers = threading.local()


def _reused(name: str, make: Callable[[], markdown.Markdown]) -> markdown.Markdown:
    engine: markdown.Markdown | None = getattr(_parsers, name, None)
    if engine is None:
        engine = make()
        setattr(_parsers, name, engine)
    return engine.reset()


def _convert(
    name: str, make: Callable[[], markdown.Markdown], text: str
) -> tuple[str, markdown.Markdown]:
    """``text`` as HTML by this thread's parser ``name``, and the parser (its references)."""
    engine = _reused(name, make)
    try:
        return engine.convert(text), engine
    except BaseException:
        setattr(_parsers, name, None)  # a parser that failed half-way is not used again
        raise


# The plain python-markdown parsers markdown_is_inert reads a text with: without, with tables.
_PLAIN_PARSERS: dict[bool, Callable[[], markdown.Markdown]] = {
    False: lambda: markdown.Markdown(extensions=[]),
    True: lambda: markdown.Markdown(extensions=["tables"]),
}


def _commonmark(tables: bool) -> MarkdownIt:
    name = f"commonmark_{tables}"
    parser: MarkdownIt | None = getattr(_parsers, name, None)
    if parser is None:
        parser = _CommonMark()
        if tables:
            parser.enable("table")
        setattr(_parsers, name, parser)
    return parser


def sanitise(html: str) -> str:
    """Keep only harmless markup: no script, style, frames, images or unsafe URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=ALLOWED_ATTRIBUTE_VALUES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=SAFE_SCHEMES,
        url_relative="deny",
        link_rel="noopener noreferrer",
    )


def citation_link_html(number: int) -> str:
    """One endnote reference link (without its superscript)."""
    return f'<a href="#note-{number}" aria-label="endnote {number}">{number}</a>'


def citation_group_html(numbers: Iterable[int]) -> Markup:
    """Adjacent endnote references as one superscript, in number order: ``1,3``.

    The commas are in the markup, not in CSS, so a comma appears only between adjacent
    numbers and never between two markers that have text between them.
    """
    links = ",".join(citation_link_html(n) for n in sorted(set(numbers)))
    return Markup(f'<sup class="cite">{links}</sup>' if links else "")


def join_adjacent_citations(html: str) -> str:
    """Merge marker groups that touch into one group, with a comma between their numbers.

    Content cannot forge the pattern: the sanitiser drops ``class`` from ``<sup>``.
    """
    return _ADJACENT_GROUPS.sub(
        lambda m: citation_group_html(int(n) for n in _GROUP_NUMBER.findall(m[0])), html
    )


def to_html(text: str, numbers: CitationNumbers, *, inline: bool = False) -> Markup:
    """Safe HTML for a Markdown field, with ``[@id]`` as endnote references.

    ``inline`` drops the surrounding paragraph of one-paragraph text (for table cells, lists).
    """
    # Images are never shown (they would be fetched from wherever they point); say so instead.
    shown = _IMAGE.sub(lambda m: f"(image: {m[1]})", text)
    try:
        html = sanitise(_convert("html", _markdown_engine, shown)[0])
    except RecursionError as exc:
        # python-markdown parses nested lists recursively; validation limits the nesting, and
        # this keeps a text that gets past it from crashing the build.
        raise MarkdownTooDeepError(text) from exc
    if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]

    # "text [@id]." prints as "text¹." (a superscript needs no space before it).
    return Markup(_CITATION_RUN.sub(lambda m: _citation_run_html(m[0], numbers), html))


def _citation_run_html(run: str, numbers: CitationNumbers) -> str:
    """'[@a] [@b][@nope]' as one marker group for the known ids; unknown ones stay as text."""
    parts: list[str] = []
    group: list[int] = []
    for match in _SPACED_CITATION.finditer(run):
        number = numbers.numbers.get(match[2])
        if number:
            group.append(number)
            continue
        parts += [citation_group_html(group), escape(match[0])]
        group = []
    parts.append(citation_group_html(group))
    return "".join(parts)


def to_markdown(text: str, numbers: CitationNumbers) -> str:
    """The field as Markdown for the Markdown edition: ``[@id]`` as ``[n]``, nothing live.

    The regular expressions below keep the usual cases readable (an image becomes
    ``(image: alt)``, an unsafe link its text); they do not parse Markdown, so they are not
    what makes the result safe. :func:`markdown_is_inert` is: it reads the result as
    python-markdown and a CommonMark parser do, and a field that still holds an image, a link
    to anything but http(s) or mailto, a reference definition or raw HTML is printed as plain
    escaped text instead (its formatting is lost, its words are kept).
    """
    # Images are never shown (they would be fetched from wherever they point).
    shown = _IMAGE.sub(lambda m: f"(image: {m[1]})", text)
    shown = _UNSAFE_INLINE_LINK.sub(lambda m: m[1], shown)
    shown = _UNSAFE_REF_DEF.sub("", shown)
    shown = _TAG_START.sub("&lt;", shown)

    def replace(match: re.Match[str]) -> str:
        number = numbers.numbers.get(match[1])
        return f"[{number}]" if number else match[0]

    candidate = INLINE_CITATION.sub(replace, shown).strip()
    if markdown_is_inert(candidate):
        return candidate
    return _as_plain_text(text, numbers)


def _as_plain_text(text: str, numbers: CitationNumbers) -> str:
    """The field as escaped text, with its known inline citations as ``[n]`` markers.

    Escaped text has no ``[`` and no ``<`` left, so no parser can read a link, an image, a
    reference definition or a tag in it; a marker is a bare number in brackets.
    """
    parts: list[str] = []
    position = 0
    for match in INLINE_CITATION.finditer(text):
        number = numbers.numbers.get(match[1])
        if number:
            parts += [escape_markdown_text(text[position : match.start()]), f"[{number}]"]
            position = match.end()
    parts.append(escape_markdown_text(text[position:]))
    return "".join(parts).strip()


def is_safe_href(href: str) -> bool:
    """True if a link target is http(s) or mailto as a browser reads it, encoded or not.

    ``href`` is an attribute value after entity decoding. A browser ignores leading controls
    and spaces and any tab or line break before it reads the scheme; a percent-encoded scheme
    is checked decoded too, in case a viewer decodes it.
    """
    for url in (href, unquote(href)):
        url = _URL_IGNORED.sub("", _URL_LEADING_IGNORED.sub("", url))
        if not _SAFE_HREF.match(url):
            return False
    return True


class _LiveMarkup(HTMLParser):
    """Collects what is live in HTML: images, unsafe links, tags pure Markdown never makes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") or ""
        if tag == "a" and is_safe_href(href.replace(_PY_MARKDOWN_AMP, "&")):
            return
        if tag not in _MARKDOWN_TAGS:
            self.found.append(f"<{tag} {attrs}>")


def _live_markup(html: str) -> list[str]:
    parser = _LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.found


class _CommonMark(MarkdownIt):
    """CommonMark that links every target, so that the check sees what another viewer would."""

    def __init__(self) -> None:
        super().__init__("commonmark")

    def validateLink(self, url: str) -> bool:  # noqa: N802 - markdown-it's name
        return True


def _flattened(text: str) -> str:
    """``text`` with its code blocks and spans undone: each line unindented, no ` or ~.

    A link inside code is harmless where it is, but the Markdown edition puts a field into a
    list item (indented) or after a label, where an indented block or a fence may stop being
    code; checking this form too makes the verdict hold in any of those places.
    """
    lines = (line.lstrip() for line in text.replace("`", "").replace("~", "").splitlines())
    return "\n".join(lines)


def markdown_is_inert(text: str) -> bool:
    """True if neither python-markdown nor CommonMark reads anything live in ``text``.

    Live is: an image, a link to anything but http(s) or mailto, raw HTML, or a reference
    definition (definitions are global to a document: one field's would turn another field's
    ``[1]`` or ``[text]`` into a link). A pipe table is not live; its cells are checked like
    any other text, and the text is read with and without pipe tables.
    """
    # Each parser reads the text twice: as is, and with pipe tables (GitHub-flavoured viewers
    # split a table's cells before they read links, so a cell may read differently).
    for variant in (text, _flattened(text)):
        for tables in (False, True):
            commonmark_env: dict[str, object] = {}
            try:
                html, python_markdown = _convert(f"check_{tables}", _PLAIN_PARSERS[tables], variant)
            except RecursionError:
                return False
            html += _commonmark(tables).render(variant, commonmark_env)
            references = python_markdown.references or commonmark_env.get("references")
            if references or _live_markup(html):
                return False
    return True


def escape_markdown_text(text: str) -> str:
    """Plain text (a title, a quote) made safe to place in Markdown: no tags, no links."""
    text = _TAG_START.sub("&lt;", text)
    return re.sub(r"([\\`*_\[\]])", r"\\\1", text)
