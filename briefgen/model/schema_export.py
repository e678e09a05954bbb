"""JSON Schema of each content file kind, for editor completion (yaml-language-server)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from briefgen.model.actors import ActorsFile
from briefgen.model.briefings import Briefing
from briefgen.model.project import ProjectSettings
from briefgen.model.sources import SourcesFile

FILE_KINDS: dict[str, type[BaseModel]] = {
    "project": ProjectSettings,
    "actors": ActorsFile,
    "sources": SourcesFile,
    "briefing": Briefing,
}
SCHEMA_DIR = "schemas"


class _AsLoaded(GenerateJsonSchema):
    """The schema of what briefgen's loader accepts: an optional key is left out, never null.

    briefgen reports a null value (``~``, ``null``, nothing) everywhere, also for an optional
    key (see StrictModel._no_null); so the schema offers no null, and no null default.
    """

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        json_schema = super().default_schema(schema)
        if json_schema.get("default", ...) is None:
            del json_schema["default"]
        return json_schema


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one file kind.

    It accepts the documents briefgen accepts, as far as a JSON Schema can tell (types, ids and
    other patterns, closed lists of values, required and unknown keys), read the way the YAML
    language server reads YAML (YAML 1.2: a plain 2023 or 1.0 is a number); docs/content-format.md
    lists what only ``briefgen validate`` checks, and tests/model/test_schema_agreement.py
    compares the two verdicts.
    """
    schema = FILE_KINDS[kind].model_json_schema(
        by_alias=True, mode="validation", schema_generator=_AsLoaded
    )
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"briefgen {kind} file"
    return schema


def schema_text(kind: str) -> str:
    """The schema as stable, indented JSON text."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def schema_file_name(kind: str) -> str:
    """File name of a kind's schema inside the project's schemas/ folder."""
    return f"{kind}.schema.json"
