"""Schema stage: turn located raw data into pydantic models, mapping errors to YAML lines."""

from __future__ import annotations

import difflib
import re
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from briefgen.diagnostics import Report, quoted, shorten
from briefgen.load import LoadedFile, YamlPath
from briefgen.model.common import EMPTY_VALUE_MESSAGE
from briefgen.validate.hints import did_you_mean

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
) -> list[tuple[int, ModelT]]:
    """Validate each entry of the list under ``key`` on its own, so one bad entry hides nothing.

    Returns (index in the file, model) for every entry that is valid.
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
) -> list[tuple[int, ModelT]]:
    valid: list[tuple[int, ModelT]] = []
    vocabulary = _field_names(model)
    for index, item in enumerate(items):
        try:
            valid.append((index, model.model_validate(item)))
        except ValidationError as exc:
            _report_errors(loaded, (key, index), exc, vocabulary, report)
    return valid


def parse_salvaging(
    loaded: LoadedFile, model: type[ModelT], report: Report, placeholders: dict[str, Any]
) -> tuple[ModelT | None, set[str], dict[str, list[int]]]:
    """Validate like :func:`parse_file`; on errors, also build a partial model for cross-checks.

    Invalid list entries are left out and invalid top-level values are replaced by
    ``placeholders``, so that the other checks still run and one run shows every problem.
    Returns (model or partial model or None, replaced top-level keys, for each list key the
    original index of every entry kept).
    """
    parsed = parse_file(loaded, model, report)
    data = loaded.data
    if parsed is not None or not isinstance(data, dict):
        return parsed, set(), {}
    try:
        model.model_validate(data)
    except ValidationError as exc:
        bad = [tuple(e["loc"]) for e in exc.errors()]
    salvaged = dict(data)
    replaced: set[str] = set()
    kept: dict[str, list[int]] = {}
    for loc in bad:
        key = str(loc[0]) if loc else ""
        if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(data.get(key), list):
            kept.setdefault(key, list(range(len(data[key]))))
            if loc[1] in kept[key]:
                kept[key].remove(loc[1])
        elif key in placeholders:
            salvaged[key] = placeholders[key]
            replaced.add(key)
        else:
            salvaged.pop(key, None)
            replaced.add(key)
    for key, indices in kept.items():
        salvaged[key] = [data[key][i] for i in indices]
    try:
        return model.model_validate(salvaged), replaced, kept
    except ValidationError:
        return None, replaced, kept
