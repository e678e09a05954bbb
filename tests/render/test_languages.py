"""Words in another language or script: lang and dir in HTML, read back with an HTML parser.

The full fixture has a quote given in Arabic (``quote_language: ar``) and names in Arabic and
Hebrew. A quote's lang comes from its ``quote_language``; its dir from that language or, when
none is given, from the first letter of the words. The quotation marks are inside the words'
direction, so in a right-to-left quote the opening mark is beside the first word. (The PDF's
``/Lang`` and logical-order text are read back in tests/pdf/test_pdf_languages.py.)
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import tinyhtml5

from briefgen.model.briefings import Statement
from briefgen.model.languages import script_direction, text_direction
from briefgen.render import build_view, make_environment, render_html, render_markdown
from briefgen.render.view import words_language
from briefgen.validate import validate_project
from tests.render.helpers import build, copy_fixture

FULL_ID = "water-quotas-2024-03"
ARABIC_QUOTE = "تبقى الحصص كما هي حتى يرتفع منسوب النهر."
HEBREW_QUOTE = "לא נקבל קיץ יבש."
XHTML = "{http://www.w3.org/1999/xhtml}"


def _parse(html: str) -> ET.Element:
    root: ET.Element = tinyhtml5.parse(html)
    return root


def _find(root: ET.Element, tag: str, **attrs: str) -> list[ET.Element]:
    return [
        e
        for e in root.iter(XHTML + tag)
        if all(e.get(name.rstrip("_")) == value for name, value in attrs.items())
    ]


def _text(element: ET.Element) -> str:
    return "".join(element.itertext())


@pytest.fixture(scope="module")
def full_page(tmp_path_factory: pytest.TempPathFactory) -> ET.Element:
    project = copy_fixture("full", tmp_path_factory.mktemp("full"))
    out = build(project, "--format", "html")
    return _parse((out / FULL_ID / "briefing.html").read_text(encoding="utf-8"))


def _statement(root: ET.Element, statement_id: str) -> ET.Element:
    (found,) = [e for e in root.iter() if e.get("id") == f"statement-{statement_id}"]
    return found


def test_quote_in_arabic_has_lang_and_dir(full_page: ET.Element) -> None:
    figure = _statement(full_page, "chair-quote-arabic")
    (quote,) = _find(figure, "blockquote")
    assert quote.get("lang") == "ar"
    assert quote.get("dir") == "rtl"
    # The marks are inside the right-to-left block: the opening one before the first word.
    assert _text(quote).strip() == f"“{ARABIC_QUOTE}”"
    # The caption (the briefing's own words) keeps the briefing's language and direction.
    (caption,) = _find(figure, "figcaption")
    assert caption.get("lang") is None and caption.get("dir") is None


def test_quotes_in_the_briefings_language_are_not_marked(full_page: ET.Element) -> None:
    for statement_id in ("chair-quote", "official-quote"):
        (quote,) = _find(_statement(full_page, statement_id), "blockquote")
        assert quote.get("lang") is None and quote.get("dir") is None, statement_id
    # A paraphrase is in the briefing's own words: only the speaker's Hebrew name is marked.
    paraphrase = _statement(full_page, "commissioner-paraphrase")
    marked = [(e.get("lang"), _text(e)) for e in paraphrase.iter() if e.get("dir")]
    assert marked == [("he", "אבי לוין")]


def test_names_in_other_scripts_have_lang_and_dir(full_page: ET.Element) -> None:
    names = {_text(e): (e.get("lang"), e.get("dir")) for e in _find(full_page, "bdi")}
    assert names["ليلى حداد"] == ("ar", "rtl")
    assert names["אבי לוין"] == ("he", "rtl")
    assert names["مجلس حوض النهر"] == ("ar", "rtl")


def _with_statements(tmp_path: Path, replacements: dict[str, str]) -> Path:
    project = copy_fixture("full", tmp_path)
    briefing = project / "content" / "briefings" / f"{FULL_ID}.yaml"
    text = briefing.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    briefing.write_text(text, encoding="utf-8")
    return project


def test_direction_follows_the_words_when_no_language_is_given(tmp_path: Path) -> None:
    # A Hebrew quote without quote_language (validation warns), and a paraphrase whose words
    # start with a Hebrew letter: each gets dir="rtl" and no lang.
    project_root = _with_statements(
        tmp_path,
        {
            "text: We will not accept a dry summer.": f"text: {HEBREW_QUOTE}",
            "text: The commissioner said": "text: ועדת הערר - the commissioner said",
        },
    )
    project = validate_project(project_root).project
    assert project is not None
    page = _parse(render_html(project, FULL_ID))
    (quote,) = _find(_statement(page, "official-quote"), "blockquote")
    assert (quote.get("lang"), quote.get("dir")) == (None, "rtl")
    assert _text(quote).strip() == f"“{HEBREW_QUOTE}”"
    paraphrase = _statement(page, "commissioner-paraphrase")
    (words,) = [e for e in _find(paraphrase, "bdi") if e.get("dir") and not e.get("lang")]
    assert words.get("dir") == "rtl"
    assert _text(words).startswith("ועדת הערר")
    # Markdown has nothing to mark: the words are there as written, in logical order.
    markdown = render_markdown(project, FULL_ID)
    assert f"> “{HEBREW_QUOTE}”" in markdown


def test_site_statement_macro_marks_the_words(tmp_path: Path) -> None:
    project = validate_project(copy_fixture("full", tmp_path)).project
    assert project is not None
    view = build_view(project, FULL_ID)
    env = make_environment(project.root)
    template = env.from_string('{% import "site/macros.html" as m %}{{ m.statement(s, "../") }}')
    by_id = {s.id: s for s in view.statements}
    page = _parse(template.render(s=by_id["chair-quote-arabic"]))
    (said,) = _find(page, "q", class_="said")
    assert (said.get("lang"), said.get("dir")) == ("ar", "rtl")
    assert _text(said) == f"“{ARABIC_QUOTE}”"
    page = _parse(template.render(s=by_id["chair-quote"]))
    (said,) = _find(page, "q", class_="said")
    assert (said.get("lang"), said.get("dir")) == (None, None)


def _quote(**fields: str) -> Statement:
    return Statement.model_validate(
        {"id": "q", "kind": "quote", "date": "2024-03-05", "medium": "radio", **fields}
    )


@pytest.mark.parametrize(
    ("fields", "document", "expected"),
    [
        ({"text": ARABIC_QUOTE, "quote_language": "ar"}, "en", ("ar", "rtl")),
        ({"text": "al-hisas baqiya", "quote_language": "ar-Latn"}, "en", ("ar-Latn", "ltr")),
        ({"text": "Les quotas restent.", "quote_language": "fr"}, "en", ("fr", "ltr")),
        ({"text": HEBREW_QUOTE}, "en", (None, "rtl")),
        ({"text": "“" + HEBREW_QUOTE}, "en", (None, "rtl")),  # neutral marks are skipped
        ({"text": "The quotas stay."}, "en", (None, None)),
        ({"text": "The quotas stay."}, "ar", (None, "ltr")),  # in an Arabic-language series
        ({"text": ARABIC_QUOTE}, "ar", (None, None)),
        ({"text": "2024"}, "en", (None, None)),  # no letter: no direction of its own
    ],
)
def test_words_language(
    fields: dict[str, str], document: str, expected: tuple[str | None, str | None]
) -> None:
    assert words_language(_quote(**fields), document) == expected


def test_directions() -> None:
    assert [script_direction(t) for t in ("ar", "he", "fa-IR", "ur", "yi", "ps")] == ["rtl"] * 6
    assert [script_direction(t) for t in ("en", "ar-Latn", "az-Arab", "ku")] == [
        "ltr",
        "ltr",
        "rtl",
        "ltr",
    ]
    assert text_direction("… ليلى") == "rtl"
    assert text_direction("(2024) Haddad") == "ltr"
    assert text_direction("“…” 12") is None
