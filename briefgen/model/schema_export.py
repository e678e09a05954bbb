"""JSON Schema of each content file kind, for editor completion (yaml-language-server)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

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


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one file kind."""
    schema = FILE_KINDS[kind].model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"briefgen {kind} file"
    return schema


def schema_text(kind: str) -> str:
    """The schema as stable, indented JSON text."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def schema_file_name(kind: str) -> str:
    """File name of a kind's schema inside the project's schemas/ folder."""
    return f"{kind}.schema.json"
