"""One bad value is reported once, and hides nothing: a sweep over every value of the base project.

The base project (base/) validates with no problem, even under --strict. Each test here makes
exactly one value of it invalid (nothing, a list, a mapping: no field takes all three) and
validates again. Everything then reported must be a schema error at or inside that value: any
other diagnostic would be a cascade (a cross-check reporting a consequence of the first error,
such as "unknown actor" for a malformed actor id, or "cites no source" for a 'sources' that
failed), which the salvaging parse exists to prevent (briefgen/validate/salvage.py).

That the other problems of the same entry are still found is shown by the entry-errors-* cases
under cases/, which a generic sweep cannot show (the base has no other problem to find).

Left out of the sweep, by design: an entry replaced whole, or an entry's own ``id``. The entry
then has no id, so references to it are unknown, and are reported (a malformed id is another
matter: references to the id it most likely meant are not reported, see the
entry-errors-actor-role case).
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefgen.diagnostics import Report
from briefgen.load import read_yaml_file
from briefgen.validate import validate_project

BASE = Path(__file__).resolve().parent / "base"
FILES = (
    "briefgen.yaml",
    "content/actors.yaml",
    "content/sources.yaml",
    "content/briefings/halt.yaml",
)
BAD_VALUES: dict[str, Any] = {"null": None, "list": ["x y"], "mapping": {"x": "y"}}
YamlPath = tuple[str | int, ...]


def _paths(value: Any, prefix: YamlPath = ()) -> Iterator[YamlPath]:
    """Every path to a value inside ``value`` (keys and list items, at any depth)."""
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return
    for key, item in items:
        yield (*prefix, key)
        yield from _paths(item, (*prefix, key))


def _swept(relative: str, path: YamlPath, bad: str) -> bool:
    """False for an entry's own id, an entry replaced whole (also by a list of one text in
    place of the events), and a registry's whole list (the shape of a registry file has cases
    of its own: yaml-list-for-mapping and others)."""
    entry = len(path) == 2 and isinstance(path[1], int)
    entry = entry or (path == ("events",) and bad == "list")
    registry_list = relative.startswith("content/") and "briefings" not in relative
    return path[-1] != "id" and not entry and not (registry_list and len(path) == 1)


def _read(relative: str) -> Any:
    return yaml.safe_load((BASE / relative).read_text(encoding="utf-8"))


SWEEP = [
    pytest.param(relative, path, name, id=f"{relative}:{'.'.join(map(str, path))}={name}")
    for relative in FILES
    for path in _paths(_read(relative))
    for name in BAD_VALUES
    if _swept(relative, path, name)
]


def _set(data: Any, path: YamlPath, value: Any) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the base, each test rewriting one file and restoring it after."""
    target = tmp_path_factory.mktemp("one-bad-value") / "project"
    shutil.copytree(BASE, target)
    return target


def _positions_inside(project: Path, relative: str, path: YamlPath) -> set[tuple[int, int]]:
    """Line and column of the value at ``path`` and of every key and value inside it."""
    loaded = read_yaml_file(project / relative, relative, Report(), root=project)
    assert loaded is not None
    tables = (loaded.value_positions, loaded.key_positions)
    return {at for table in tables for p, at in table.items() if p[: len(path)] == path}


@pytest.mark.parametrize(("relative", "path", "bad"), SWEEP)
def test_one_bad_value_gives_only_its_own_errors(
    project: Path, relative: str, path: YamlPath, bad: str
) -> None:
    data = copy.deepcopy(_read(relative))
    _set(data, path, BAD_VALUES[bad])
    target = project / relative
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    try:
        inside = _positions_inside(project, relative, path)
        _, report = validate_project(project)
    finally:
        shutil.copyfile(BASE / relative, target)
    found = report.promoted(True)
    shown = "\n".join(d.text() for d in found)
    if bad == "list" and path[-1] in {"aliases", "authors", "actors", "cites", "sources"}:
        # ["x y"] is a list of one item: valid where a list of text belongs, else one error.
        assert all(d.code == "schema" for d in found), shown
        return
    assert found, f"no problem reported for {bad} at {path}"
    assert all(d.code == "schema" for d in found), shown
    where = {(d.location.path, d.location.line, d.location.column) for d in found}
    assert where <= {(relative, *at) for at in inside}, shown
