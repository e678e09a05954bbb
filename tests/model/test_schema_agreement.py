"""The editor's JSON Schema and ``briefgen validate`` accept the same documents.

An analyst's editor checks content files against the JSON Schema that ``briefgen schema``
writes (the YAML language server, through a ``# yaml-language-server: $schema=`` line). It reads
YAML by its own rules: YAML 1.2's core schema by default, where a plain ``2023`` or ``1.0`` is a
number, while briefgen keeps every plain scalar but true/false and null as the text written
(briefgen/load/yaml_reader.py). The two must still agree on which documents are valid.

For every field of a complete example of each file kind, a corpus of values as they are written
in YAML (booleans, numbers, nulls, dates, ids, tags, URLs, blank and padded text, lists, maps)
is put in the field's place. Each document is then

- read and validated by briefgen (its loader, then its model), and
- read as an editor reads it (a YAML 1.2 core-schema reader; separately, PyYAML's YAML 1.1,
  with dates turned into text as JSON tools do) and validated with the ``jsonschema`` library,
  patterns read by JavaScript's rules as editors read them.

Only the verdict on the field is compared (is there an error at or under it?), and only for
what a JSON Schema can check: types, patterns, closed lists, required and unknown keys. Every
disagreement must be one of the deliberate exceptions listed here, each with its reason; they
are the ones docs/content-format.md ("What the editor checks") lists.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic import BaseModel, ValidationError

from briefgen.diagnostics import Report
from briefgen.load import read_yaml_file
from briefgen.model.common import LANGUAGE_TAG_PATTERN, SLUG_PATTERN, TEXT_PATTERN, WEB_URL_PATTERN
from briefgen.model.dates import PATTERN as DATE_PATTERN
from briefgen.model.schema_export import FILE_KINDS, json_schema

YamlPath = tuple[str | int, ...]
MARKER = "value-marker-7f3a"

# A complete, valid document of each kind: every key of every model is set (a test checks it),
# so that every field meets the corpus.
EXAMPLES: dict[str, dict[str, Any]] = {
    "project": {
        "title": "Desk briefings",
        "organisation": "Analysis Unit",
        "default_marking": "TLP:AMBER",
        "page_size": "A4",
        "language": "en-GB",
        "publish_ceiling": "TLP:CLEAR",
        "publish_unverified_quotes": False,
        "require_approval": True,
        "site_url": "https://example.org/briefings/",
        "layout": "analyst",
    },
    "actors": {
        "actors": [
            {
                "id": "mahmoud-abbas",
                "name": "Mahmoud Abbas",
                "kind": "person",
                "aliases": ["Abu Mazen"],
                "other_names": [{"name": "محمود عباس", "lang": "ar"}],
                "roles": [
                    {
                        "title": "President",
                        "organization": "palestinian-authority",
                        "from": "2005-01-15",
                        "to": "2030",
                    }
                ],
                "description": "President of the Palestinian Authority.",
            }
        ]
    },
    "sources": {
        "sources": [
            {
                "id": "report-2023-02-04",
                "type": "article",
                "title": "PA reaffirms halt",
                "publisher": "Example News",
                "authors": ["A. Writer"],
                "published": "2023-02-04",
                "url": "https://example.org/news/pa",
                "citation_only": False,
                "accessed": "2023-02-05",
                "language": "en",
                "cites": ["radio-2023-02-03"],
                "reliability": "B",
                "archive": {
                    "path": "content/archive/report.txt",
                    "sha256": "0" * 64,
                    "captured": "2023-02-05T09:30:00Z",
                    "final_url": "https://example.org/news/pa?page=1",
                    "content_type": "text/html",
                    "memento": "https://web.archive.org/web/2023/https://example.org/news/pa",
                },
                "note": "Relays the radio interview.",
                "standing": {"status": "corrected", "date": "2023-02-06", "note": "A date."},
            }
        ]
    },
    "briefing": {
        "title": "PA halts security coordination",
        "marking": "TLP:CLEAR",
        "purpose": "decision",
        "cutoff": "2023-02-04",
        "issued": "2023-02-05",
        "version": "1.0",
        "authors": ["Test Analyst"],
        "summary": "The PA halted security coordination [@report-2023-02-04].",
        "reference": "BN-2023-014",
        "bottom_line": "The halt stands [@report-2023-02-04].",
        "point_of_contact": {
            "name": "Middle East desk",
            "role": "Analyst",
            "email": "desk@example.org",
            "telephone": "+44 20 7946 0000",
        },
        "distribution": ["Minister", "Political Director"],
        "key_points": [
            {
                "text": "The halt remains in effect.",
                "sources": [
                    {
                        "source": "report-2023-02-04",
                        "locator": "paragraph 4",
                        "excerpt": "the halt remains",
                        "via": "radio-2023-02-03",
                        "marking": "TLP:CLEAR",
                    }
                ],
                "marking": "TLP:CLEAR",
            }
        ],
        "background": "Background.",
        "events": [
            {
                "id": "raid",
                "date": "2023-01-26",
                "date_basis": "The report says Thursday.",
                "title": "Raid in Jenin",
                "text": "Details.",
                "location": "Jenin",
                "actors": ["israel-defense-forces"],
                "sources": ["report-2023-02-04"],
                "marking": "TLP:CLEAR",
            }
        ],
        "decisions": [
            {
                "id": "halt",
                "actor": "palestinian-authority",
                "date": "2023-01-26",
                "text": "Halt security coordination.",
                "status": "announced",
                "status_as_of": "2023-02-04",
                "reacts_to": "raid",
                "sources": ["report-2023-02-04"],
                "marking": "TLP:CLEAR",
            }
        ],
        "statements": [
            {
                "id": "abbas-quote",
                "kind": "quote",
                "text": "The decision stands.",
                "speaker": "mahmoud-abbas",
                "attribution": "a senior official",
                "role": "President",
                "date": "2023-02-03",
                "medium": "Voice of Palestine radio",
                "original_language": "ar",
                "quote_language": "ar",
                "reacts_to": "raid",
                "sources": ["report-2023-02-04"],
                "marking": "TLP:CLEAR",
            }
        ],
        "assessments": [
            {
                "text": "The halt will last weeks.",
                "likelihood": "likely",
                "confidence": "moderate",
                "basis": "Reaffirmed a week later.",
                "sources": ["report-2023-02-04"],
                "marking": "TLP:CLEAR",
            }
        ],
        "outlook": "Outlook.",
        "information_gaps": ["Whether it is applied."],
        "recommendations": [
            "Watch the next meeting.",
            {"text": "Keep channels open.", "marking": "TLP:CLEAR"},
        ],
        "editions": ["TLP:CLEAR"],
    },
}

# Values as written in YAML, put where a field's value goes. Each is a flow scalar or a flow
# collection, so that it fits on the key's line.
CORPUS: tuple[str, ...] = (
    # booleans, as YAML 1.2 and YAML 1.1 spell them
    "true",
    "True",
    "FALSE",
    '"true"',
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    # null and empty
    "",
    "~",
    "null",
    "NULL",
    '""',
    "''",
    '"~"',
    '" "',
    '"\\u00a0"',
    '"\\t\\n"',
    '"\\ufeff"',
    # numbers
    "0",
    "7",
    "2023",
    "0001",
    "0999",
    "12345",
    "1.0",
    "1.10",
    "-1",
    "+1",
    "1e3",
    "1E3",
    "1e-3",
    ".5",
    "0x1F",
    "0x1f",
    "0o17",
    "0777",
    "1_000",
    ".inf",
    "-.inf",
    ".nan",
    "12:30",
    '"1.0"',
    # dates, well and badly formed
    "2024-03-14",
    "2024-13-01",
    "2023-02-30",
    "2024-02-29",
    "2023-00",
    "0000",
    "2023-02",
    "2023~",
    "2023-02-04?",
    "2023-02-04%",
    "2023-01-26/2023-01-28",
    "2023-01-28/2023-01-26",
    "2023-1-5",
    "2024-03-14T10:00:00Z",
    "2023-02-04 10:00",
    '" 2023-02-04"',
    '"2023\\n"',
    '"٢٠٢٣"',
    "04/02/2023",
    "2023/..",
    # ids, language tags, closed lists
    "raid",
    "Raid",
    "a--b",
    "-raid",
    "raid-",
    "a_b",
    '"raid\\n"',
    '"raid\\u200b"',
    "x" * 81,
    "ar",
    "en-GB",
    "ar-Latn",
    "es-419",
    "english",
    "en_GB",
    "a",
    '"ar\\n"',
    '"en "',
    "TLP:CLEAR",
    "tlp:clear",
    "TLP:WHITE",
    "information",
    "announced",
    "likely",
    "person",
    "article",
    "A",
    "Letter",
    # text
    "Some words",
    '" padded "',
    "'single'",
    "Ünïcödé",
    '"line\\nbreak"',
    # URLs
    "https://example.org/x",
    "HTTPS://EXAMPLE.ORG",
    "http://",
    "ftp://example.org",
    "example.org",
    '"https:x"',
    '" https://example.org"',
    '"https://example.org/a b"',
    "https://example.org:99999/",
    "https://exa%20mple.org",
    # collections
    "[]",
    "[raid]",
    "[1, 2]",
    "[[]]",
    "{}",
    "{a: b}",
)
# (the long lines above are intended: one family of values per line)

# The deliberate disagreements, each with its reason (docs/content-format.md lists them for
# users), by the kind of field (see _field_kind) and the value as written. For every other
# value and field, briefgen and the schema reach the same verdict.
ONLY_BRIEFGEN = {
    # What no JSON Schema rule says: only `briefgen validate` checks it.
    ("date", "2023-02-30"): "a day that does not exist in its month (the schema checks 01-31)",
    ("date", "2023-01-28/2023-01-26"): "an interval that ends before it starts",
    ("url", "https://example.org:99999/"): "a URL the URL parser refuses: a port out of range",
    ("url", "https://exa%20mple.org"): "a URL the URL parser refuses: a host that is none",
}
NUMBER_SPELLINGS = {
    # YAML 1.2 reads these as numbers: the schema sees the number, briefgen the text written.
    ("id", "1.0"): "the whole number 1 to the schema; '1.0' is no id",
    ("id", "+1"): "the number 1 to the schema; '+1' is no id",
    ("id", "0x1F"): "the number 31 to the schema; '0x1F' is no id (upper case)",
    ("id", "1E3"): "the number 1000 to the schema; '1E3' is no id (upper case)",
    ("id", "1e-3"): "the number 0.001 is no whole number; '1e-3' is an id",
    ("date", "1e3"): "the year 1000 to the schema; '1e3' is no date",
    ("date", "1E3"): "the year 1000 to the schema; '1E3' is no date",
    ("date", "0001"): "the number 1 is no year from 1000 to 9999; '0001' is the year 1",
    ("date", "0777"): "the number 777 is no year from 1000 to 9999; '0777' is the year 777",
    ("date", "0999"): "the number 999 is no year from 1000 to 9999; '0999' is the year 999",
}
YAML_11 = {
    # An editor set to YAML 1.1 (PyYAML's reading here) types more plain scalars than YAML 1.2
    # (which briefgen's loader follows for true/false and null): quote these to be safe.
    "yes": "YAML 1.1 reads yes/no/on/off (any case) as booleans; briefgen keeps the text",
    "No": "as 'yes'",
    "on": "as 'yes'",
    "OFF": "as 'yes'",
    "1_000": "YAML 1.1 reads 1_000 as the number 1000; briefgen keeps the text",
    "12:30": "YAML 1.1 reads 12:30 as the number 750 (base 60); briefgen keeps the text",
    "2024-03-14T10:00:00Z": "YAML 1.1 reads a timestamp, which JSON tools write otherwise",
}


# --- reading as an editor does -----------------------------------------------------------


# libyaml's parser where PyYAML has it (much faster); the resolving below is PyYAML's own.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Core12Loader(_SafeLoader):  # type: ignore[misc]
    """PyYAML resolving plain scalars by YAML 1.2's core schema, as the YAML language server."""


_Core12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("bool", r"true|True|TRUE|false|False|FALSE", list("tTfF")),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", list("-+0123456789")),
    (
        "float",
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        list("-+0123456789."),
    ),
):
    _Core12Loader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(rf"^(?:{_pattern})$"), _first
    )


def _int12(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    if text.startswith(("0x", "0o")):
        return int(text[2:], 16 if text[1] == "x" else 8)
    return int(text, 10)  # YAML 1.2: a leading 0 is not octal


def _float12(loader: yaml.SafeLoader, node: yaml.Node) -> float:
    text = str(loader.construct_scalar(node)).lower()  # type: ignore[arg-type]
    return float(text.replace(".inf", "inf").replace(".nan", "nan"))


_Core12Loader.add_constructor("tag:yaml.org,2002:int", _int12)
_Core12Loader.add_constructor("tag:yaml.org,2002:float", _float12)


def _as_json(value: Any) -> Any:
    """Dates and times (YAML 1.1 timestamps) as the text JSON tools make of them."""
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def _read_as_editor(text: str, version: str) -> Any:
    if version == "1.2":
        return yaml.load(text, Loader=_Core12Loader)
    return _as_json(yaml.load(text, Loader=_SafeLoader))


def _ecma(pattern: str) -> re.Pattern[str]:
    """A JSON Schema pattern as JavaScript reads it: \\d is ASCII, and $ ends the text only."""
    pattern = pattern.replace(r"\d", "[0-9]")
    return re.compile(re.sub(r"(?<!\\)\$$", r"\\Z", pattern))


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    if validator.is_type(instance, "string") and not _ecma(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _pattern})


@cache
def _validator(kind: str) -> Any:
    schema = json_schema(kind)
    _Validator.check_schema(schema)
    return _Validator(schema)


# --- the two verdicts --------------------------------------------------------------------


# The documents differ from a valid example in one value only, so the verdict on the whole
# document is the verdict on that value.


def _editor_accepts(kind: str, text: str) -> bool | None:
    """The schema's verdict; None when the editor cannot read the YAML."""
    try:
        data = _read_as_editor(text, "1.2")
    except (yaml.YAMLError, ValueError):
        return None
    return bool(_validator(kind).is_valid(data))


def _editor_11_accepts(kind: str, text: str) -> bool | None:
    """The schema's verdict on YAML 1.1's reading; None when that cannot be read."""
    try:
        data = _read_as_editor(text, "1.1")
    except (yaml.YAMLError, ValueError):  # e.g. YAML 1.1's date 2023-02-30
        return None
    return bool(_validator(kind).is_valid(data))


def _briefgen_accepts(kind: str, text: str, tmp: Path) -> bool | None:
    """briefgen's verdict: its loader, then its model; None when the loader reports the file
    (a YAML problem, not a value: nothing to compare)."""
    target = tmp / "file.yaml"
    target.write_text(text, encoding="utf-8")
    report = Report()
    loaded = read_yaml_file(target, "file.yaml", report, root=tmp)
    if loaded is None or report.items:
        return None
    try:
        FILE_KINDS[kind].model_validate(loaded.data)
    except ValidationError:
        return False
    return True


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """The models that a field's type holds (itself, its list items, its optional value)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _models_in(arg)


# --- the corpus ----------------------------------------------------------------------------


def _leaves(value: Any, prefix: YamlPath = ()) -> Iterator[YamlPath]:
    """The path of every value in ``value``: scalars, lists and mappings alike."""
    items: Any = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        yield (*prefix, key)
        yield from _leaves(item, (*prefix, key))


def _model_at(model: Any, part: str | int) -> Any:
    """The model (or list of models) one step down from ``model``, or None."""
    if isinstance(model, type) and issubclass(model, BaseModel) and isinstance(part, str):
        for name, info in model.model_fields.items():
            if part in (name, info.alias):
                return info.annotation
    if isinstance(part, int):
        for inner in _models_in(model):
            return inner
    return None


def _minimal(kind: str, path: YamlPath) -> Any:
    """The example cut down to what the value at ``path`` needs: the required keys of each
    mapping on the way to it, and the one list item on the way (smaller files read faster)."""

    def cut(data: Any, model: Any, rest: YamlPath) -> Any:
        if not rest:
            return data
        part, inner = rest[0], _model_at(model, rest[0])
        if isinstance(data, list):
            return [cut(data[int(part)], inner, rest[1:])]
        owner = next(_models_in(model), None)
        required = (
            {info.alias or name for name, info in owner.model_fields.items() if info.is_required()}
            if owner
            else set()
        )
        kept = {k: v for k, v in data.items() if k in required or k == part}
        kept[str(part)] = cut(data[part], _model_at(owner, part), rest[1:])
        return kept

    return cut(EXAMPLES[kind], FILE_KINDS[kind], path)


def _with_marker(data: Any, path: YamlPath) -> str:
    changed = copy.deepcopy(data)
    target = changed
    for part in path[:-1]:
        target = target[0 if isinstance(part, int) else part]
    target[0 if isinstance(path[-1], int) else path[-1]] = MARKER
    return yaml.safe_dump(changed, allow_unicode=True, sort_keys=False, width=1000)


def _variants(data: Any, path: YamlPath) -> Iterator[str]:
    """Each value of the corpus at ``path`` (and the original, padded and in other digits)."""
    original = _value_at(data, path)
    extra: list[str] = []
    if isinstance(original, str):
        arabic = original.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        extra = [
            _quoted(original),
            _quoted(f" {original}"),
            _quoted(f"{original}\n"),
            _quoted(arabic),
        ]
    yield from dict.fromkeys((*CORPUS, *extra))


def _quoted(text: str) -> str:
    """``text`` as a double-quoted YAML scalar on one line."""
    dumped = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=10**6)
    return dumped.removesuffix("\n...\n").strip()


def _value_at(data: Any, path: YamlPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _schema_at(kind: str, path: YamlPath) -> dict[str, Any]:
    """The JSON Schema of the value at ``path`` in a file of ``kind`` ($refs followed)."""
    root = json_schema(kind)

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        return node

    node = resolve(root)
    for part in path:
        key = "properties" if isinstance(part, str) else "items"
        branches = [resolve(b) for b in node.get("anyOf", [node])]
        node = resolve(next(b for b in branches if key in b)[key])
        if isinstance(part, str):
            node = resolve(node[part])
    return node


def _patterns(node: dict[str, Any]) -> set[str]:
    found = {node["pattern"]} if "pattern" in node else set()
    for branch in node.get("anyOf", []):
        found |= _patterns(branch)
    return found


def _field_kind(kind: str, path: YamlPath) -> str:
    """What the field holds, as the exception tables name it: id, date, url, text..."""
    node = _schema_at(kind, path)
    names = {
        SLUG_PATTERN: "id",
        DATE_PATTERN: "date",
        WEB_URL_PATTERN: "url",
        LANGUAGE_TAG_PATTERN: "language tag",
        TEXT_PATTERN: "text",
    }
    found = [names.get(p, "pattern") for p in sorted(_patterns(node))]
    if found:
        return found[0]
    return "boolean" if node.get("type") == "boolean" else str(node.get("type", "choice"))


def _signature(kind: str, path: YamlPath) -> str:
    """What decides the verdicts at ``path``: its schema, and the model's field (type and
    validators) that holds it."""
    node = {k: v for k, v in _schema_at(kind, path).items() if k not in {"title", "description"}}
    model: Any = FILE_KINDS[kind]
    field: Any = None
    for part in path:
        owner = next(_models_in(model), None)
        if isinstance(part, str) and owner is not None:
            field = next(i for n, i in owner.model_fields.items() if part in (n, i.alias))
        model = _model_at(model, part)
    held = (field.annotation, field.metadata) if field is not None else None
    return json.dumps(node, sort_keys=True) + repr(held) + str(isinstance(path[-1], int))


def _fields() -> Iterator[Any]:
    """One field of each distinct type per file kind: the first stands for the others."""
    for kind, example in EXAMPLES.items():
        seen: set[str] = set()
        for path in _leaves(example):
            signature = _signature(kind, path)
            if signature not in seen:
                seen.add(signature)
                yield pytest.param(kind, path, id=f"{kind}:{'.'.join(map(str, path))}")


@pytest.mark.parametrize(("kind", "path"), list(_fields()))
def test_schema_and_briefgen_agree_on_every_value_of_a_field(
    kind: str, path: YamlPath, tmp_path: Path
) -> None:
    template = _with_marker(_minimal(kind, path), path)
    assert template.count(MARKER) == 1
    field = _field_kind(kind, path)
    differ: dict[str, list[str]] = {"1.2": [], "1.1": []}
    for raw in _variants(EXAMPLES[kind], path):
        text = template.replace(MARKER, raw)
        ours = _briefgen_accepts(kind, text, tmp_path)
        if ours is None:
            continue  # not YAML briefgen reads (a syntax error, a tab...): nothing to compare
        for version, read in (("1.2", _editor_accepts), ("1.1", _editor_11_accepts)):
            theirs = read(kind, text)
            if theirs is not None and theirs != ours:
                differ[version].append(raw)
    allowed = {raw for (k, raw) in ONLY_BRIEFGEN | NUMBER_SPELLINGS if k == field}
    assert [raw for raw in differ["1.2"] if raw not in allowed] == [], f"a {field} field"
    allowed |= set(YAML_11)
    assert [raw for raw in differ["1.1"] if raw not in allowed] == [], f"a {field} field"


# --- keys: unknown and missing -------------------------------------------------------------


def _mappings(value: Any, prefix: YamlPath = ()) -> Iterator[YamlPath]:
    if isinstance(value, dict):
        yield prefix
    items: Any = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        yield from _mappings(item, (*prefix, key))


def _both(kind: str, data: Any, tmp: Path) -> tuple[bool | None, bool | None]:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return _briefgen_accepts(kind, text, tmp), _editor_accepts(kind, text)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_schema_and_briefgen_agree_on_unknown_and_missing_keys(kind: str, tmp_path: Path) -> None:
    example = EXAMPLES[kind]
    for path in _mappings(example):
        with_extra = copy.deepcopy(example)
        _value_at(with_extra, path)["unknown_key"] = "x"
        assert _both(kind, with_extra, tmp_path) == (False, False), path
        for key in list(_value_at(example, path)):
            without = copy.deepcopy(example)
            del _value_at(without, path)[key]
            ours, theirs = _both(kind, without, tmp_path)
            assert ours == theirs, (path, key)


def _fields_not_set(model: type[BaseModel], data: Any, path: YamlPath = ()) -> Iterator[str]:
    """Every key of ``model`` (and the models inside it) that the example leaves out."""
    for name, info in model.model_fields.items():
        key = info.alias or name
        if not isinstance(data, Mapping) or key not in data:
            yield ".".join(map(str, (*path, key)))
            continue
        value = data[key]
        for inner in _models_in(info.annotation):
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items[:1]):
                at = (*path, key, index) if isinstance(value, list) else (*path, key)
                if isinstance(item, Mapping):
                    yield from _fields_not_set(inner, item, at)


def test_examples_set_every_key_of_every_model() -> None:
    """A key added to a model must be added to EXAMPLES, so that the corpus reaches it."""
    for kind, model in FILE_KINDS.items():
        missing = list(_fields_not_set(model, EXAMPLES[kind]))
        assert missing == [], f"add these keys to EXAMPLES[{kind!r}]: {missing}"


def test_every_listed_disagreement_is_real(tmp_path: Path) -> None:
    """The exception tables hold no value on which the two verdicts in fact agree."""
    first_of_kind: dict[str, tuple[str, YamlPath]] = {}
    for param in _fields():
        kind, path = param.values
        first_of_kind.setdefault(_field_kind(kind, path), (kind, path))
    for field, raw in ONLY_BRIEFGEN | NUMBER_SPELLINGS:
        kind, path = first_of_kind[field]
        text = _with_marker(_minimal(kind, path), path).replace(MARKER, raw)
        ours, theirs = _briefgen_accepts(kind, text, tmp_path), _editor_accepts(kind, text)
        assert ours is not None and theirs is not None and ours != theirs, (field, raw)
