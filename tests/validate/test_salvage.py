"""The salvaging parse keeps every value but the one that failed (briefgen/validate/salvage.py).

What makes one bad value hide nothing: the cross-checks read the salvaged model, so every other
value of the entry must be in it exactly as a valid parse has it, and the bad one must be
marked invalid (so the checks skip it). Checked here for every value of every entry of the
base project of the validation cases, each made invalid in turn.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from briefgen.model import Actor, Briefing, Citation, Role, Source
from briefgen.model.actors import OtherName
from briefgen.model.briefings import Assessment, Decision, Event, KeyPoint, Statement
from briefgen.model.sources import Archive
from briefgen.validate import PLACEHOLDERS
from briefgen.validate.salvage import field_type, salvage, stand_in, value_at

BASE = Path(__file__).resolve().parent / "base"
YamlPath = tuple[str | int, ...]


def _entries() -> Iterator[tuple[str, type[BaseModel], dict[str, Any]]]:
    def read(relative: str) -> Any:
        return yaml.safe_load((BASE / relative).read_text(encoding="utf-8"))

    for index, actor in enumerate(read("content/actors.yaml")["actors"]):
        yield f"actor {index}", Actor, actor
    for index, source in enumerate(read("content/sources.yaml")["sources"]):
        yield f"source {index}", Source, source
    yield "briefing", Briefing, read("content/briefings/halt.yaml")


def _paths(value: Any, prefix: YamlPath = ()) -> Iterator[YamlPath]:
    items: Any = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        yield (*prefix, key)
        yield from _paths(item, (*prefix, key))


def _remove(data: Any, path: YamlPath) -> None:
    """Remove the value at ``path`` from plain data, if it is there."""
    data = value_at(data, path[:-1])
    if isinstance(data, list) and isinstance(path[-1], int) and path[-1] < len(data):
        del data[path[-1]]
    elif isinstance(data, dict):
        data.pop(path[-1], None)


CASES = [
    pytest.param(model, data, path, id=f"{label}:{'.'.join(map(str, path))}")
    for label, model, data in _entries()
    for path in _paths(data)
]


@pytest.mark.parametrize(("model", "data", "path"), CASES)
def test_salvage_keeps_every_other_value(
    model: type[BaseModel], data: dict[str, Any], path: YamlPath
) -> None:
    valid = model.model_validate(data).model_dump(by_alias=True)
    broken = copy.deepcopy(data)
    target = broken
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = None  # null is refused everywhere (StrictModel._no_null)
    with pytest.raises(ValidationError) as failure:
        model.model_validate(broken)
    overrides = {(key,): value for key, value in PLACEHOLDERS.items()}
    salvaged = salvage(model, broken, failure.value.errors(), (), overrides)
    assert salvaged is not None
    assert path in salvaged.invalid
    kept = salvaged.model.model_dump(by_alias=True)
    # A list item that failed is left out; any other value that failed holds a stand-in or
    # its default (a list left too short by a left-out item is stood in for too). Everything
    # else is as the valid parse has it.
    for gone in sorted(salvaged.invalid, key=len, reverse=True):
        _remove(valid, gone)
        if not isinstance(gone[-1], int):
            _remove(kept, gone)
    assert kept == valid


def test_a_misspelt_key_marks_the_key_it_meant() -> None:
    """'sorces' is dropped, and 'sources' is marked, so 'cites no source' is not reported."""
    data = {"text": "A point.", "sorces": ["a-source"]}
    with pytest.raises(ValidationError) as failure:
        KeyPoint.model_validate(data)
    salvaged = salvage(KeyPoint, data, failure.value.errors(), ["text", "sources"])
    assert salvaged is not None
    assert salvaged.invalid == {("sorces",), ("sources",)}
    assert salvaged.model.text == "A point."


MODELS = (Actor, Role, OtherName, Source, Archive, Citation, Briefing, KeyPoint, Event)
MODELS += (Decision, Statement, Assessment)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_required_field_has_a_stand_in(model: type[BaseModel]) -> None:
    """A required field that fails is given a stand-in that its own type accepts."""
    for name, info in model.model_fields.items():
        if info.is_required():
            annotation = field_type(info)
            value = stand_in(annotation)
            assert value is not None, name
            TypeAdapter(annotation).validate_python(value)
