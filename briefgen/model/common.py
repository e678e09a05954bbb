"""Building blocks shared by every content model: ids, markings, text and citations."""

from __future__ import annotations

import difflib
import re
import unicodedata
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
    field_validator,
)

from briefgen.diagnostics import quoted

_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG_PATTERN = f"^{_ID}$"  # for the JSON Schema
# One id rule for actors, sources and briefings (whose id is the file name): ids become file
# names and URL paths, so they stay short enough for every file system and address bar.
MAX_ID_LENGTH = 80


EMPTY_VALUE_MESSAGE = "the value is empty ('~', 'null' or nothing)"


class StrictModel(BaseModel):
    """Base of every content model: unknown keys are errors and values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_null(cls, value: Any) -> Any:
        # YAML reads '~', 'null' and an empty value as null. Silently treating that as "not
        # given" would hide a half-finished entry, so an empty value is an error everywhere;
        # an optional key is left out instead.
        if value is None:
            raise ValueError(EMPTY_VALUE_MESSAGE)
        return value


_ID_RE = re.compile(_ID)


def is_valid_id(value: str) -> bool:
    """True when ``value`` is an id: lower-case letters, digits, single hyphens, at most 80."""
    # fullmatch, not match: a pattern ending in '$' also accepts a trailing newline ('abc\n').
    return len(value) <= MAX_ID_LENGTH and _ID_RE.fullmatch(value) is not None


def suggest_id(value: str) -> str | None:
    """The id ``value`` most likely meant ('Bad Id' -> 'bad-id', 'Été 2024' -> 'ete-2024').

    Accents are dropped, every run of other characters becomes one hyphen, and an id longer
    than the limit is cut at a hyphen. None when nothing of ``value`` is left (a name in
    another script): there is no id to suggest.
    """
    folded = unicodedata.normalize("NFKD", value)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    suggestion = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if len(suggestion) > MAX_ID_LENGTH:
        cut = suggestion[: MAX_ID_LENGTH + 1]
        suggestion = cut.rsplit("-", 1)[0] if "-" in cut else cut[:MAX_ID_LENGTH]
    return suggestion if suggestion and is_valid_id(suggestion) else None


def id_problem(value: str) -> str:
    """Why ``value`` is not an id, with a suggested id when one can be made, for messages."""
    suggestion = suggest_id(value)
    if len(value) > MAX_ID_LENGTH:
        problem = (
            f"{quoted(value)} is not a valid id: it has {len(value)} characters, "
            f"at most {MAX_ID_LENGTH} are allowed"
        )
        return f"{problem} (for example {quoted(suggestion)})" if suggestion else problem
    rule = "use lower-case letters, digits and single hyphens"
    if suggestion is None:
        return f"{quoted(value)} is not a valid id: {rule} (e.g. 'pa-coordination-2023-02')"
    return f"{quoted(value)} is not a valid id: {rule} (for example {quoted(suggestion)})"


def _check_slug(value: str) -> str:
    if not is_valid_id(value):
        raise ValueError(id_problem(value))
    return value


# White space, for "text must not be empty": what Python's str.isspace() and the \s of
# JavaScript regular expressions (which editors use for the JSON Schema) call white space,
# spelt out so that briefgen and the schema agree character for character.
BLANK_CHARACTERS = (
    r"\t\n\u000b\f\r \u001c-\u001f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f"
    r"\u205f\u3000\ufeff"
)
TEXT_PATTERN = f"[^{BLANK_CHARACTERS}]"  # somewhere, one character that is not white space
_NOT_BLANK = re.compile(TEXT_PATTERN)


def _check_text(value: str) -> str:
    if not _NOT_BLANK.search(value):
        raise ValueError("text must not be empty")
    return value


def yaml_scalar_schema(text: dict[str, Any], number: dict[str, Any] | None) -> dict[str, Any]:
    """The JSON Schema of a text value, as an editor's YAML reading of it can be checked.

    briefgen keeps every plain scalar as the text written (briefgen.load), but YAML 1.2, which
    the YAML language server uses, reads a plain ``2023`` or ``1.0`` as a number. ``number``
    is the schema of the numbers whose text briefgen accepts here (None: no number is).
    """
    string = {"type": "string", **text}
    return string if number is None else {"anyOf": [string, number]}


# Any number: its text is never blank.
_TEXT_SCHEMA = yaml_scalar_schema({"pattern": TEXT_PATTERN}, {"type": "number"})

Slug = Annotated[
    str,
    AfterValidator(_check_slug),
    # A plain 2023 is an id; so, to the schema, is any whole number from 0 (see
    # docs/content-format.md for the spellings where the two can differ).
    WithJsonSchema(
        yaml_scalar_schema(
            {"pattern": SLUG_PATTERN, "maxLength": MAX_ID_LENGTH},
            {"type": "integer", "minimum": 0},
        )
    ),
]
Text = Annotated[
    str, AfterValidator(_check_text), Field(min_length=1), WithJsonSchema(_TEXT_SCHEMA)
]

# A BCP 47 language tag in its common shape: a 2–3 letter language, then subtags of letters
# and digits ('ar', 'he', 'ar-Latn', 'en-GB', 'es-419'). It is printed as a lang attribute and
# as a language name, so anything else (spaces, markup) is refused rather than escaped later.
LANGUAGE_TAG_PATTERN = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$"
_LANGUAGE_TAG_RE = re.compile(LANGUAGE_TAG_PATTERN[1:-1])


def _check_language_tag(value: str) -> str:
    if len(value) > 35 or not _LANGUAGE_TAG_RE.fullmatch(value):
        raise ValueError(
            f"{quoted(value)} is not a language tag: write a BCP 47 tag such as 'ar', 'he', "
            "'en-GB' or 'ar-Latn'"
        )
    return value


LanguageTag = Annotated[
    str,
    AfterValidator(_check_language_tag),
    WithJsonSchema(yaml_scalar_schema({"pattern": LANGUAGE_TAG_PATTERN, "maxLength": 35}, None)),
]
Markdown = Annotated[
    str,
    AfterValidator(_check_text),
    Field(min_length=1),
    WithJsonSchema(
        yaml_scalar_schema({"pattern": TEXT_PATTERN, "format": "markdown"}, {"type": "number"})
    ),
]

# A complete web address: http or https, a host, then a path, query or fragment, and no white
# space anywhere (pydantic's URL parser would drop spaces around it and complete 'https:x').
# The rest (a valid host and port) is checked by the URL parser, not by the JSON Schema.
WEB_URL_PATTERN = (
    rf"^[Hh][Tt][Tt][Pp][Ss]?://[^{BLANK_CHARACTERS}/?#]+(?:[/?#][^{BLANK_CHARACTERS}]*)?$"
)
_WEB_URL_RE = re.compile(WEB_URL_PATTERN)
MAX_URL_LENGTH = 2083  # pydantic's HttpUrl limit


def _complete_url(value: Any, parse: ValidatorFunctionWrapHandler) -> Any:
    url = parse(value)  # the URL parser's own errors first: they say what is wrong
    if isinstance(value, str) and not _WEB_URL_RE.fullmatch(value):
        raise ValueError(
            f"{quoted(value)} is not a complete URL: write it in full, as https://host/path, "
            "with no spaces"
        )
    return url


WebUrl = Annotated[
    HttpUrl,
    WrapValidator(_complete_url),
    WithJsonSchema(
        yaml_scalar_schema(
            {"format": "uri", "pattern": WEB_URL_PATTERN, "maxLength": MAX_URL_LENGTH}, None
        )
    ),
]


def _yaml_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        raise ValueError(f"write true or false, not {quoted(value)}")
    return value


YamlBool = Annotated[bool, BeforeValidator(_yaml_bool)]


class Tlp(StrEnum):
    """Traffic Light Protocol 2.0 labels, exactly as FIRST writes them, lowest first."""

    CLEAR = "TLP:CLEAR"
    GREEN = "TLP:GREEN"
    AMBER = "TLP:AMBER"
    AMBER_STRICT = "TLP:AMBER+STRICT"
    RED = "TLP:RED"

    @property
    def rank(self) -> int:
        """0 for CLEAR up to 4 for RED; a higher rank is more restricted."""
        return list(Tlp).index(self)

    @property
    def css_class(self) -> str:
        """'clear', 'green', 'amber', 'amber-strict' or 'red': the marking's CSS modifier."""
        return self.value.removeprefix("TLP:").replace("+", "-").lower()

    @property
    def colour(self) -> str:
        """FIRST's foreground colour for the label (printed on black)."""
        return {
            "TLP:CLEAR": "#FFFFFF",
            "TLP:GREEN": "#33FF00",
            "TLP:AMBER": "#FFC000",
            "TLP:AMBER+STRICT": "#FFC000",
            "TLP:RED": "#FF2B2B",
        }[self.value]


def _tlp_letters(value: str) -> str:
    """'tlp: amber strict' and 'TLP:AMBER+STRICT' both become 'AMBERSTRICT'."""
    bare = re.sub(r"^\s*TLP(?![A-Z])", "", value.upper())
    return re.sub(r"[^A-Z]", "", bare)


def _tlp_before(value: Any) -> Any:
    if not isinstance(value, str) or value in {t.value for t in Tlp}:
        return value
    letters = _tlp_letters(value)
    if letters == "WHITE":
        raise ValueError(f"{quoted(value)} is the TLP 1.0 name; TLP 2.0 calls it TLP:CLEAR")
    for tlp in Tlp:
        if _tlp_letters(tlp.value) == letters:
            raise ValueError(f"{quoted(value)} is not written as FIRST writes it: use {tlp.value}")
    close = difflib.get_close_matches(value.upper(), [t.value for t in Tlp], n=1, cutoff=0.7)
    if close:
        raise ValueError(f"{quoted(value)} is not a TLP 2.0 label; did you mean {close[0]}?")
    choices = ", ".join(t.value for t in Tlp)
    raise ValueError(f"{quoted(value)} is not a TLP 2.0 label; use one of {choices}")


Marking = Annotated[Tlp, BeforeValidator(_tlp_before)]


def _citation_before(value: Any) -> Any:
    return {"source": value} if isinstance(value, str) else value


class Citation(StrictModel):
    """A reference from a fact to a source, optionally with where in it and what it says."""

    source: Slug = Field(description="Id of a source in content/sources.yaml.")
    locator: Text | None = Field(
        None, description="Where in the source: a page, paragraph, timestamp or section."
    )
    excerpt: Text | None = Field(
        None, description="The passage of the source that supports the fact, verbatim."
    )
    via: Slug | None = Field(
        None,
        description="Id of the source that the cited source relays for this fact "
        "(must be among the sources it cites); counts as the fact's origin.",
    )
    marking: Marking | None = Field(
        None,
        description="TLP 2.0 label of this citation, when citing the source is more "
        "restricted than the fact (an edition below it leaves the citation out).",
    )


CitationRef = Annotated[
    Citation, BeforeValidator(_citation_before, json_schema_input_type=Slug | Citation)
]
Citations = Annotated[
    list[CitationRef],
    Field(
        description="Sources supporting this fact: source ids, or mappings with source, "
        "locator, excerpt and via.",
    ),
]

# An inline citation in Markdown text: [@source-id]. Anything after '@' up to ']' is the id,
# so that a malformed id is reported rather than printed as literal text.
INLINE_CITATION = re.compile(r"\[@([^\]\s]*)\]")
