"""Salvaging parse: a model of a value that failed the schema, so its other fields are checked.

One bad value must not hide the other problems of the same entry (an event whose date does not
exist still has its actors, sources and quote checked). When pydantic rejects a value, every
error is reported by :mod:`briefgen.validate.schema`; then :func:`salvage` builds the model
anyway, field by field:

- a field that failed is left out when it is optional (its default is used), and otherwise
  given a stand-in that passes the schema (:func:`stand_in`);
- an unknown key is dropped, and so is a list item that is not usable at all (a number where a
  citation mapping belongs);
- every path that failed is recorded in :attr:`Salvaged.invalid`, together with the known key an
  unknown key most likely meant ('sorces' for 'sources'), so that cross-checks skip what was not
  read as written: a stand-in never causes a report of its own, and neither does a left-out
  value ('unknown actor' for an actor id that was itself malformed, 'cites no source' for a
  misspelt 'sources').

Paths are those of the data handed in (a list item keeps its index in the file); for each list
that lost items, :attr:`Salvaged.kept` gives the original index of each item kept.
"""

from __future__ import annotations

import copy
import difflib
import enum
import functools
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from briefgen.load import YamlPath
from briefgen.validate.context import file_path

ModelT = TypeVar("ModelT", bound=BaseModel)

# Values tried, in order, as the stand-in of a required field that failed: the first the
# field's type accepts is used. Text and Markdown take the first, ids the second, dates the
# third, language tags the fourth. Nothing reads a stand-in (cross-checks skip invalid paths);
# it only lets the rest of the entry be built.
_CANDIDATES: tuple[object, ...] = ("(invalid)", "invalid", "9999-12-31", "und", False)


class _Drop:
    """Marks a list item to leave out, until every error of the value has been handled."""


_DROP = _Drop()


@dataclass(frozen=True)
class Salvaged(Generic[ModelT]):
    """A model built from a value with schema errors, and what in it was not read as written."""

    model: ModelT
    invalid: frozenset[YamlPath] = frozenset()
    kept: Mapping[YamlPath, tuple[int, ...]] = field(default_factory=dict)


def salvage(
    model: type[ModelT],
    data: Any,
    errors: Iterable[Mapping[str, Any]],
    vocabulary: Iterable[str] = (),
    overrides: Mapping[YamlPath, Any] | None = None,
) -> Salvaged[ModelT] | None:
    """``model`` built from ``data`` despite ``errors`` (pydantic's for ``data``); None if not.

    ``vocabulary``: every key the model's parts accept, to guess what an unknown key meant.
    ``overrides``: stand-ins to use at some paths instead of the generic ones.
    """
    if not isinstance(data, dict):
        return None
    patched = copy.deepcopy(data)
    invalid: set[YamlPath] = set()
    kept: dict[YamlPath, tuple[int, ...]] = {}
    for _ in range(_ROUNDS):
        for error in errors:
            # Errors of a later round are about the data without the items left out.
            loc = file_path(kept, tuple(error["loc"]))
            if error["type"] == "extra_forbidden":
                _drop_key(patched, loc)
                invalid.add(loc)
                invalid |= _meant(loc, vocabulary)
                continue
            invalid.add(_patch(model, patched, loc, overrides or {}))
        kept = {}
        cleaned = _without_dropped(patched, (), kept)
        try:
            return Salvaged(model.model_validate(cleaned), frozenset(invalid), kept)
        except ValidationError as exc:
            # Leaving items out can make a list too short: then the list is stood in for.
            errors = exc.errors()
    return None  # not foreseen: leave the whole value out (its errors are reported)


# Rounds of patching: a second one stands in for a list that the first left too short.
_ROUNDS = 3


def _meant(loc: YamlPath, vocabulary: Iterable[str]) -> set[YamlPath]:
    """The known key that the unknown key at ``loc`` most likely meant, as a path beside it."""
    close = difflib.get_close_matches(str(loc[-1]), list(vocabulary), n=1, cutoff=0.6)
    return {(*loc[:-1], close[0])} if close else set()


def value_at(data: Any, path: YamlPath) -> Any:
    """The value at ``path`` in plain data, or None when the path does not lead anywhere."""
    for part in path:
        in_mapping = isinstance(data, dict) and isinstance(part, str) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (in_mapping or in_list):
            return None
        data = data[part]
    return data


def _drop_key(data: Any, loc: YamlPath) -> None:
    parent = value_at(data, loc[:-1])
    if isinstance(parent, dict):
        parent.pop(loc[-1], None)


def _patch(
    model: type[BaseModel], data: Any, loc: YamlPath, overrides: Mapping[YamlPath, Any]
) -> YamlPath:
    """Make the value at ``loc`` pass the schema; the path that was not read as written.

    An invalid list item is dropped (it was no usable item); a key of a mapping that is not
    one (a string where a citation mapping belongs) moves the problem up to that item.
    """
    while loc:
        parent = value_at(data, loc[:-1])
        last = loc[-1]
        if isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            parent[last] = _DROP
            return loc
        if isinstance(parent, dict) and isinstance(last, str):
            if loc in overrides:
                parent[last] = overrides[loc]
            elif _has_default(model, loc):
                parent.pop(last, None)
            else:
                parent[last] = stand_in(_annotation_at(model, loc))
            return loc
        loc = loc[:-1]
    return loc


def _without_dropped(value: Any, path: YamlPath, kept: dict[YamlPath, tuple[int, ...]]) -> Any:
    """``value`` without the list items marked to drop; ``kept`` records the rest of each list."""
    if isinstance(value, dict):
        return {k: _without_dropped(v, (*path, k), kept) for k, v in value.items()}
    if not isinstance(value, list):
        return value
    indices = tuple(i for i, item in enumerate(value) if item is not _DROP)
    if len(indices) != len(value):
        kept[path] = indices
    return [_without_dropped(value[i], (*path, i), kept) for i in indices]


def _bare(annotation: Any) -> Any:
    """The type inside ``Annotated[...]`` and ``X | None``."""
    while True:
        if get_origin(annotation) is Annotated:
            annotation = get_args(annotation)[0]
        elif get_origin(annotation) in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _field(model: type[BaseModel], key: str) -> FieldInfo | None:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info
    return None


def field_type(info: FieldInfo) -> Any:
    """A field's type with its validators and constraints, as a TypeAdapter takes it."""
    if not info.metadata:
        return info.annotation
    return Annotated[(info.annotation, *info.metadata)]


def _annotation_at(model: type[BaseModel], loc: YamlPath) -> Any:
    """The declared type of the value at ``loc`` inside ``model``; None when not found."""
    annotation: Any = model
    for part in loc:
        bare = _bare(annotation)
        if isinstance(part, str) and isinstance(bare, type) and issubclass(bare, BaseModel):
            info = _field(bare, part)
            if info is None:
                return None
            annotation = field_type(info)
        elif isinstance(part, int) and get_origin(bare) is list:
            annotation = get_args(bare)[0]
        else:
            return None
    return annotation


def _has_default(model: type[BaseModel], loc: YamlPath) -> bool:
    """True when the key at ``loc`` is optional: leaving it out is valid."""
    owner = _bare(_annotation_at(model, loc[:-1]))
    if not (isinstance(owner, type) and issubclass(owner, BaseModel)):
        return False
    info = _field(owner, str(loc[-1]))
    return info is not None and not info.is_required()


@functools.cache
def _adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


def stand_in(annotation: Any) -> Any:
    """A value that ``annotation`` accepts, to stand in for one that failed; None if none."""
    bare = _bare(annotation)
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        return {
            info.alias or name: stand_in(field_type(info))
            for name, info in bare.model_fields.items()
            if info.is_required()
        }
    candidates: tuple[object, ...] = _CANDIDATES
    if get_origin(bare) is Literal:
        candidates = get_args(bare)
    elif isinstance(bare, type) and issubclass(bare, enum.Enum):
        candidates = tuple(member.value for member in bare)
    elif get_origin(bare) is list:
        candidates = ([], [stand_in(get_args(bare)[0])])
    try:
        adapter = _adapter(annotation)
    except TypeError:  # an annotation that cannot be hashed: build the adapter each time
        adapter = TypeAdapter(annotation)
    for candidate in candidates:
        try:
            adapter.validate_python(candidate)
        except ValidationError:
            continue
        return candidate
    return None
