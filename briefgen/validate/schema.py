"""Schema stage: turn located raw data into pydantic models, mapping errors to YAML lines."""

from __future__ import annotations

import difflib
import re
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from briefgen.diagnostics import Report, quoted, shorten
from briefgen.load import LoadedFile, YamlPath
from briefgen.model.common import EMPTY_VALUE_MESSAGE
from briefgen.validate.context import Entry
from briefgen.validate.hints import did_you_mean
from briefgen.validate.salvage import Salvaged, salvage

ModelT = TypeVar("ModelT", bound=BaseModel)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    # A value is quoted to point at it, shortened so that a long one does not bury the message.
    return quoted(value)


def _field_names(model: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> set[str]:
    """Every key any model reachable from ``model`` accepts, for did-you-mean on unknown keys."""
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names.add(info.alias or name)
        for candidate in _nested_models(info.annotation):
            names |= _field_names(candidate, seen)
    return names


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in get_args(annotation):
        found.extend(_nested_models(arg))
    return found


def _message(error: Any, vocabulary: set[str]) -> tuple[str, str | None, bool]:
    """(message, hint, point at key rather than value) for one pydantic error."""
    kind = error["type"]
    loc = error["loc"]
    value = error.get("input")
    last = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden":
        return (f"unknown key {quoted(last)}", _unknown_key_hint(last, vocabulary), True)
    if kind == "missing":
        return (f"missing required key {quoted(last)}", None, False)
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        hint = did_you_mean(str(value), re.findall(r"'([^']*)'", expected))
        return (f"{_describe(value)} is not allowed here; expected {expected}", hint, False)
    if kind == "value_error" and EMPTY_VALUE_MESSAGE in str(error["msg"]):
        return (
            f"{quoted(last)} is empty ('~', 'null' or nothing is no value in YAML)",
            _NULL_HINT,
            True,
        )
    if kind == "value_error":
        return (str(error["msg"]).removeprefix("Value error, "), None, False)
    message, hint = _type_message(kind, value, str(error["msg"]))
    return (message, hint, False)


def _unknown_key_hint(key: str, vocabulary: set[str]) -> str | None:
    if key in vocabulary:
        # A key valid elsewhere in the file: usually a line indented under the wrong parent.
        return "it is a key of another part of this file; check the indentation of this line"
    return did_you_mean(key, vocabulary)


def _type_message(kind: str, value: Any, pydantic_message: str) -> tuple[str, str | None]:
    """(message, hint) for a value of the wrong type or shape."""
    if kind in {"string_type", "str_type"}:
        if value is None:
            return ("text is required here, but the value is empty", _NULL_HINT)
        return (f"expected text, got {_describe(value)}", _quote_hint(value))
    if kind == "list_type":
        hint = f"write a list, e.g. [{shorten(value)}]" if isinstance(value, str) else None
        return (f"expected a list, got {_describe(value)}", hint)
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return (f"expected a mapping of keys, got {_describe(value)}", None)
    if kind == "bool_type":
        return (f"expected true or false, got {_describe(value)}", None)
    if kind == "too_short":
        return ("must not be empty", "give at least one item")
    if kind == "url_scheme":
        return (f"{_describe(value)} is not a web address", "only http:// and https:// are allowed")
    if kind.startswith("url"):
        return (f"{_describe(value)} is not a complete URL", "write it in full: https://host/path")
    return (f"{pydantic_message} (got {_describe(value)})", None)


# An empty value, '~' and 'null' all read as nothing; say how to keep them as characters.
_NULL_HINT = (
    "give a value, or leave an optional key out; put '~' or 'null' in quotes to mean the characters"
)


def _quote_hint(value: Any) -> str | None:
    if isinstance(value, bool):
        return f"put it in quotes ('{str(value).lower()}') if you mean the word"
    return None


def parse_file(loaded: LoadedFile, model: type[ModelT], report: Report) -> ModelT | None:
    """Validate one file's data against ``model``; every error is reported at its line."""
    if not isinstance(loaded.data, dict):
        found = _describe(loaded.data)
        report.error(loaded.locate(()), f"the file must hold a mapping of keys, not {found}")
        return None
    try:
        return model.model_validate(loaded.data)
    except ValidationError as exc:
        _report_errors(loaded, (), exc, _field_names(model), report)
        return None


def _misspelt(errors: list[Any], vocabulary: set[str]) -> set[YamlPath]:
    """Paths of missing keys that an unknown key next to them is a misspelling of.

    'titel:' gives both "unknown key 'titel'" and "missing required key 'title'"; the first,
    with its did-you-mean hint, says it all, so the second is left out.
    """
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    explained: set[YamlPath] = set()
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] != "extra_forbidden" or not loc:
            continue
        for candidate in difflib.get_close_matches(str(loc[-1]), list(vocabulary), cutoff=0.6):
            if (*loc[:-1], candidate) in missing:
                explained.add((*loc[:-1], candidate))
    return explained


def _report_errors(
    loaded: LoadedFile, prefix: YamlPath, exc: ValidationError, vocabulary: set[str], report: Report
) -> None:
    """Report every pydantic error of a value found at ``prefix`` in ``loaded``."""
    errors = exc.errors()
    explained = _misspelt(errors, vocabulary)
    for error in errors:
        if tuple(error["loc"]) in explained:
            continue
        loc: YamlPath = (*prefix, *error["loc"])
        message, hint, at_key = _message(error, vocabulary)
        where = loc if error["type"] != "missing" else loc[:-1]
        report.error(loaded.locate(where, key=at_key), message, hint, code="schema")


def parse_items(
    loaded: LoadedFile, key: str, model: type[ModelT], report: Report
) -> list[Entry[ModelT]]:
    """Validate each entry of the list under ``key`` on its own, so one bad entry hides nothing.

    Returns every entry that could be read: valid, or salvaged with its invalid fields marked
    (see :mod:`briefgen.validate.salvage`), so that its other fields are still checked.
    """
    data = loaded.data
    if not isinstance(data, dict):
        report.error(loaded.locate(()), f"the file must hold a mapping with '{key}:' at the top")
        return []
    hints = {extra: did_you_mean(extra, [key]) for extra in sorted(set(data) - {key})}
    for extra, hint in hints.items():
        report.error(loaded.locate((extra,), key=True), f"unknown key {quoted(extra)}", hint)
    items = data.get(key)
    if key not in data:
        if not any(hints.values()):  # else the misspelt key's hint already says it
            report.error(loaded.locate(()), f"missing required key '{key}'")
        return []
    if not isinstance(items, list):
        report.error(loaded.locate((key,)), f"'{key}' must be a list, not {_describe(items)}")
        return []
    return _parse_list(loaded, key, items, model, report)


def _parse_list(
    loaded: LoadedFile, key: str, items: list[Any], model: type[ModelT], report: Report
) -> list[Entry[ModelT]]:
    entries: list[Entry[ModelT]] = []
    vocabulary = _field_names(model)
    for index, item in enumerate(items):
        try:
            entries.append(Entry(model.model_validate(item), loaded, (key, index)))
        except ValidationError as exc:
            _report_errors(loaded, (key, index), exc, vocabulary, report)
            salvaged = salvage(model, item, exc.errors(), vocabulary)
            if salvaged is not None:
                entries.append(
                    Entry(salvaged.model, loaded, (key, index), salvaged.invalid, salvaged.kept)
                )
    return entries


def parse_salvaging(
    loaded: LoadedFile, model: type[ModelT], report: Report, placeholders: dict[str, Any]
) -> Salvaged[ModelT] | None:
    """Validate like :func:`parse_file`; on errors, also build a salvaged model for cross-checks.

    Invalid values are left out or stood in for (``placeholders`` at the top level, generic
    stand-ins below; see :mod:`briefgen.validate.salvage`), so that the other checks still
    run and one run shows every problem. None when the file holds no mapping.
    """
    data = loaded.data
    if not isinstance(data, dict):
        parse_file(loaded, model, report)  # reports the file's shape
        return None
    try:
        return Salvaged(model.model_validate(data))
    except ValidationError as exc:
        vocabulary = _field_names(model)
        _report_errors(loaded, (), exc, vocabulary, report)
        overrides: dict[YamlPath, Any] = {(key,): value for key, value in placeholders.items()}
        return salvage(model, data, exc.errors(), vocabulary, overrides)
