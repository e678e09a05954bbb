"""What one briefing's outputs depend on, digested into a key: the same key, the same bytes.

A build is a pure function of its inputs, so a briefing whose key has not changed since its
outputs were written need not be rendered again. The key covers:

- the tools: the briefgen version and the versions of the libraries that shape the output
  (WeasyPrint and its PDF writer, Jinja2, Markdown, nh3);
- the briefing file's bytes;
- the actors and sources it uses, resolved: the ones it names (including ``[@id]`` in its
  text), then everything those name in turn (a role's organisation, a source's ``cites``);
- the project settings the briefing pages use (not the site-only ones);
- the quote status of its statements (which follows the archived source texts);
- every file of the built-in templates and of the project's ``templates/`` folder;
- the formats requested, and ``SOURCE_DATE_EPOCH`` when a PDF is among them.

A project that overrides a template gets a key over all of its content: the template may read
anything in ``project``, so no subset can be known to be enough.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.load.project_files import BRIEFINGS_DIR
from briefgen.model import Project
from briefgen.model.common import INLINE_CITATION
from briefgen.render.environment import TEMPLATES_DIR, builtin_templates_dir

KEY_VERSION = 1

# Libraries whose version can change the bytes of an output.
OUTPUT_LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "jinja2", "markdown", "nh3")
# Settings that only the static site reads.
SITE_ONLY_SETTINGS = frozenset({"publish_ceiling", "site_url"})
# Built-in templates that briefing outputs never use (the site's own).
SITE_TEMPLATES = "site"


@cache
def tool_versions() -> dict[str, str]:
    """briefgen's version and those of the libraries that shape its output."""
    versions = {"briefgen": __version__}
    for name in OUTPUT_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _files(folder: Path, skip: str | None = None) -> Iterator[tuple[str, Path]]:
    """(relative POSIX path, path) of every regular file under ``folder``, in name order."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        skipped = skip is not None and relative.startswith(f"{skip}/")
        if path.is_file() and "__pycache__" not in path.parts and not skipped:
            yield relative, path


def templates_digest(project_root: Path) -> str:
    """One digest of the built-in templates and the project's ``templates/`` folder."""
    digest = hashlib.sha256()
    folders = (
        ("builtin", builtin_templates_dir(), SITE_TEMPLATES),
        ("project", project_root / TEMPLATES_DIR, None),
    )
    for label, folder, skip in folders:
        for relative, path in _files(folder, skip):
            digest.update(f"{label}/{relative}\0".encode())
            digest.update(_sha256(path.read_bytes()).encode())
    return digest.hexdigest()


def has_template_overrides(project_root: Path) -> bool:
    """True when the project's ``templates/`` folder holds any file."""
    return next(_files(project_root / TEMPLATES_DIR), None) is not None


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a JSON-like value (keys included)."""
    if isinstance(value, str):
        yield value
        yield from INLINE_CITATION.findall(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def used_registry_entries(project: Project, briefing_id: str) -> dict[str, dict[str, Any]]:
    """The actors and sources a briefing uses, directly or through the ones it uses.

    Any string equal to an actor or source id counts as a use: a few extra entries only cost
    a rebuild now and then, a missing one would leave an output stale.
    """
    dumps: dict[str, dict[str, Any]] = {"actors": {}, "sources": {}}
    registries: dict[str, Mapping[str, Any]] = {
        "actors": project.actors,
        "sources": project.sources,
    }
    pending = list(_strings(project.briefings[briefing_id].model_dump(mode="json")))
    while pending:
        name = pending.pop()
        for kind, registry in registries.items():
            if name in registry and name not in dumps[kind]:
                dump = registry[name].model_dump(mode="json")
                dumps[kind][name] = dump
                pending.extend(_strings(dump))
    return {kind: dict(sorted(found.items())) for kind, found in dumps.items()}


def _whole_content(project: Project) -> dict[str, Any]:
    """Every actor, source, briefing and quote status (for projects with own templates)."""
    return {
        "actors": {k: v.model_dump(mode="json") for k, v in sorted(project.actors.items())},
        "sources": {k: v.model_dump(mode="json") for k, v in sorted(project.sources.items())},
        "briefings": {k: v.model_dump(mode="json") for k, v in sorted(project.briefings.items())},
        "quote_status": sorted([*key, status] for key, status in project.quote_status.items()),
    }


def briefing_inputs(
    project: Project, briefing_id: str, formats: Sequence[str], templates: str
) -> dict[str, Any]:
    """Everything one briefing's outputs depend on, as a JSON-like value.

    ``templates`` is :func:`templates_digest` of the project (computed once per build).
    """
    settings = project.settings.model_dump(mode="json")
    briefing_file = project.root / BRIEFINGS_DIR / f"{briefing_id}.yaml"
    inputs: dict[str, Any] = {
        "key_version": KEY_VERSION,
        "tools": tool_versions(),
        "formats": sorted(formats),
        "briefing": _sha256(briefing_file.read_bytes()),
        "settings": {k: v for k, v in sorted(settings.items()) if k not in SITE_ONLY_SETTINGS},
        "quote_status": sorted(
            [statement, status]
            for (owner, statement), status in project.quote_status.items()
            if owner == briefing_id
        ),
        "templates": templates,
    }
    if has_template_overrides(project.root):
        inputs["settings"] = dict(sorted(settings.items()))
        inputs["content"] = _whole_content(project)
    else:
        inputs.update(used_registry_entries(project, briefing_id))
    if "pdf" in formats:
        inputs["source_date_epoch"] = os.environ.get("SOURCE_DATE_EPOCH", "")
    return inputs


def briefing_key(project: Project, briefing_id: str, formats: Sequence[str], templates: str) -> str:
    """The digest of :func:`briefing_inputs`: equal keys mean equal outputs."""
    inputs = briefing_inputs(project, briefing_id, formats, templates)
    text = json.dumps(inputs, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return _sha256(text.encode("ascii"))
