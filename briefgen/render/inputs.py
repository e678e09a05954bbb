"""What one briefing's outputs depend on, digested into a key: the same key, the same bytes.

A build is a pure function of its inputs, so a briefing whose key has not changed since its
outputs were written need not be rendered again. The key covers:

- the tools: the briefgen version and the versions of the libraries that shape the output
  (WeasyPrint and its PDF writer, Jinja2, Markdown, nh3);
- the briefing's id and its validated content (its model dump, not the file's bytes: the file
  was read once, by validation, under the project's confinement rule);
- the actors and sources it refers to (:mod:`briefgen.model.references`: the ones it names,
  including ``[@id]`` in its text, then a source's ``cites`` and a role's organisation, at any
  depth), the same ids the publish ceiling keeps;
- the quote status of its statements (which follows the archived source texts);
- the project settings: all of them when the project overrides templates, else those the
  briefing pages use (the built-in briefing templates never read the site-only ones);
- every file of the built-in templates and of the project's ``templates/`` folder;
- ``SOURCE_DATE_EPOCH`` (the PDF's dates follow it), whatever the formats.

Why that is complete, project templates included: the renderers hand a template ``view``,
built from the briefing and the entries it refers to, and ``project`` cut down by
:func:`briefgen.model.references.scoped_to` to the briefing and what it refers to. That cut holds
the settings, the briefing, the referenced actors and sources and the briefing's quote statuses,
and nothing else: exactly the entries above. A template, however written, can read nothing of
other briefings or entries, so no edit to them can change this briefing's bytes.

The formats requested are not in the key: the record beside the outputs names the files written
(:mod:`briefgen.editions.outputs`), so ``publish`` can reuse the PDF and Markdown a full
``build`` wrote, and a build of fewer formats sees which files it has.

The key is the same for the whole project and for the publish ceiling's cut of it: both are
``scoped_to`` of a project holding the briefing, and cutting twice keeps the same entries.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.load.confine import ConfineError, read_inside, walk_inside
from briefgen.load.project_files import TEMPLATES_DIR
from briefgen.model import Project
from briefgen.model.references import scoped_to
from briefgen.render.environment import builtin_templates_dir

KEY_VERSION = 3

# Libraries whose version can change the bytes of an output.
OUTPUT_LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "jinja2", "markdown", "nh3")
# Settings that only the static site reads.
SITE_ONLY_SETTINGS = frozenset({"publish_ceiling", "site_url"})
# Built-in templates that briefing outputs never use (the site's own).
SITE_TEMPLATES = "site"
# The most of one template file that is read to digest it (no template comes near it).
TEMPLATE_LIMIT = 64 * 1024 * 1024


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


def _files(
    root: Path, folder: str | None = None, skip: str | None = None
) -> Iterator[tuple[str, Path | str]]:
    """Every file under ``root/folder`` by the project-file rule (:func:`walk_inside`).

    Each is (relative POSIX path, real path), or (relative path, why it is not read: a link
    out of ``root``, a loop). ``skip`` leaves out a top-level folder.
    """
    for relative, found in walk_inside(root, folder):
        if skip is None or not relative.startswith(f"{skip}/"):
            yield relative, found if isinstance(found, Path) else found.message


def _file_digest(root: Path, path: Path | str) -> str:
    """The digest of one file's bytes, read by the project's rule; or of why it is not read."""
    if isinstance(path, str):
        return _sha256(path.encode())
    base = root.resolve()
    try:
        return _sha256(read_inside(base, path.relative_to(base), TEMPLATE_LIMIT))
    except (ConfineError, OSError) as exc:
        # Not a regular file (a FIFO), or too large: the template loader reports it when the
        # template is used; here it only has to change the key when it changes.
        return _sha256(f"unreadable: {exc}".encode())


def templates_digest(project_root: Path) -> str:
    """One digest of the built-in templates and the project's ``templates/`` folder.

    Nothing outside the project is read: a link in ``templates/`` that leads out counts by
    its target's path, not its content (the template loader refuses it when it is used).
    """
    digest = hashlib.sha256()
    folders = (
        ("builtin", builtin_templates_dir(), None, SITE_TEMPLATES),
        ("project", project_root, TEMPLATES_DIR, None),
    )
    for label, root, folder, skip in folders:
        for relative, path in _files(root, folder, skip):
            digest.update(f"{label}/{relative}\0".encode())
            digest.update(_file_digest(root, path).encode())
    return digest.hexdigest()


def has_template_overrides(project_root: Path) -> bool:
    """True when the project's ``templates/`` folder holds any file (or is a link out)."""
    return next(_files(project_root, TEMPLATES_DIR), None) is not None


def used_registry_entries(project: Project, briefing_id: str) -> dict[str, dict[str, Any]]:
    """The dumps of the actors and sources a briefing refers to, closure included.

    "Refers to" is :func:`briefgen.model.references.scoped_to`, the cut the publish ceiling and
    the templates see too.
    """
    return _entries(scoped_to(project, (briefing_id,)))


def _entries(scoped: Project) -> dict[str, dict[str, Any]]:
    """The dumps of every actor and source of a (scoped) project, by id."""
    return {
        "actors": {k: v.model_dump(mode="json") for k, v in sorted(scoped.actors.items())},
        "sources": {k: v.model_dump(mode="json") for k, v in sorted(scoped.sources.items())},
    }


def briefing_inputs(
    project: Project, briefing_id: str, templates: str, *, overridden: bool | None = None
) -> dict[str, Any]:
    """Everything one briefing's outputs depend on, as a JSON-like value.

    ``templates`` is :func:`templates_digest` of the project and ``overridden``
    :func:`has_template_overrides` (both computed once per build; looked up when not given).
    """
    scoped = scoped_to(project, (briefing_id,))
    settings = scoped.settings.model_dump(mode="json")
    if overridden is None:
        overridden = has_template_overrides(project.root)
    if not overridden:
        # Project templates may read any setting; the built-in briefing ones read none of these.
        settings = {k: v for k, v in settings.items() if k not in SITE_ONLY_SETTINGS}
    return {
        "key_version": KEY_VERSION,
        "tools": tool_versions(),
        # An edition's key is the same under the id build gives it ('<id>/edition-tlp-x') and
        # in its note's place on the site: publish reuses what build wrote.
        "briefing_id": scoped.editions[briefing_id][0]
        if briefing_id in scoped.editions
        else briefing_id,
        "briefing": scoped.briefings[briefing_id].model_dump(mode="json"),
        # A releasable edition (issue 14): the note it is cut from and its label.
        "edition": [scoped.editions[briefing_id][0], scoped.editions[briefing_id][1].value]
        if briefing_id in scoped.editions
        else None,
        "settings": dict(sorted(settings.items())),
        "quote_status": sorted(
            [statement, status] for (_, statement), status in scoped.quote_status.items()
        ),
        "templates": templates,
        **_entries(scoped),
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
        # The changes box and version history print from these (issue 15): a new issued
        # version, or a new approval, rebuilds.
        "versions": [
            [v.version, v.commit, list(v.approved_by)]
            for v in project.versions.get(briefing_id, ())
        ],
        "approved_by": list(project.approved_by.get(briefing_id, ())),
    }


def briefing_key(
    project: Project, briefing_id: str, templates: str, *, overridden: bool | None = None
) -> str:
    """The digest of :func:`briefing_inputs`: equal keys mean equal outputs."""
    return key_of(briefing_inputs(project, briefing_id, templates, overridden=overridden))


def key_of(inputs: dict[str, Any]) -> str:
    """The key of a briefing's :func:`briefing_inputs`."""
    text = json.dumps(inputs, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return _sha256(text.encode("ascii"))
