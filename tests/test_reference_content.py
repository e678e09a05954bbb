"""The reference content is the showcase: its typography is consistent and its quoted words exact.

The quoted-words check needs the reference report's text, which is not in the repository (it is
not ours to publish); CI has it in shared/ beside the clone, as for
tests/provenance/test_archives.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

CONTENT = REPO / "content"
SEED = REPO.parent / "shared" / "seed"
BRIEFINGS = sorted((CONTENT / "briefings").glob("*.yaml"))
# Fields in the analyst's own words, where a quoted phrase claims to be someone else's words.
PROSE = {"summary", "background", "text", "basis", "date_basis", "outlook", "title"}
QUOTED = re.compile(r"[\"“]([^\"“”]{2,}?)[\"”]")


def _strings(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for child_key, child in value.items():
            yield from _strings(child, str(child_key))
    elif isinstance(value, list):
        for child in value:
            yield from _strings(child, key)
    elif isinstance(value, str):
        yield key, value


def _content_strings(path: Path) -> list[tuple[str, str]]:
    return list(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))


def test_titles_and_names_use_one_quotation_style() -> None:
    mixed = []
    for path in sorted(CONTENT.rglob("*.yaml")):
        for key, text in _content_strings(path):
            curly = re.search("[‘’“”]", text)
            if key in ("title", "name") and curly and re.search("['\"]", text):
                mixed.append(f"{path.relative_to(REPO)}: {key}: {text}")
    assert not mixed, "straight and curly quotation marks mixed:\n" + "\n".join(mixed)


def test_words_said_to_be_someone_elses_are_quoted() -> None:
    """'in the PA's words, …' must be followed by the words themselves, in quotation marks."""
    loose = []
    for path in BRIEFINGS:
        for key, text in _content_strings(path):
            for match in re.finditer(r"in (?:the )?[\w’']+ words,?\s*(.{0,2})", text):
                if not re.match('["“]', match.group(1)):
                    loose.append(f"{path.name}: {key}: …{text[match.start() : match.end() + 30]}…")
    assert not loose, "\n".join(loose)


def _normalised(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'}))
    return " ".join(text.split()).casefold()


@pytest.mark.skipif(
    not any(SEED.glob("*.txt")),
    reason=f"no seed text at {SEED} (CI has shared/ beside the clone); the reference report "
    "is third-party text and is not in the repository",
)
def test_quoted_phrases_in_the_briefing_are_the_reports_words() -> None:
    report = _normalised(" ".join(p.read_text(encoding="utf-8") for p in SEED.glob("*.txt")))
    invented = []
    for path in BRIEFINGS:
        for key, text in _content_strings(path):
            if key not in PROSE:
                continue
            for phrase in QUOTED.findall(text):
                if _normalised(phrase).strip(" ,.") not in report:
                    invented.append(f"{path.name}: {key}: “{phrase}”")
    assert not invented, "quoted in the briefing but not in the report:\n" + "\n".join(invented)


def test_every_content_file_names_its_schema_for_editors() -> None:
    """Each file's first line points the YAML language server at the committed schema."""
    from briefgen.model.schema_export import schema_file_name

    kinds = {
        REPO / "briefgen.yaml": "project",
        CONTENT / "actors.yaml": "actors",
        CONTENT / "sources.yaml": "sources",
        **dict.fromkeys(BRIEFINGS, "briefing"),
    }
    for path, kind in kinds.items():
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert target == (REPO / "schemas" / schema_file_name(kind)).resolve(), path


def test_committed_schemas_are_what_briefgen_schema_writes() -> None:
    """schemas/ is generated: after a model change, run 'briefgen schema --out schemas'."""
    from briefgen.model.schema_export import FILE_KINDS, schema_file_name, schema_text

    for kind in FILE_KINDS:
        committed = (REPO / "schemas" / schema_file_name(kind)).read_text(encoding="utf-8")
        assert committed == schema_text(kind), f"schemas/{schema_file_name(kind)} is stale"
