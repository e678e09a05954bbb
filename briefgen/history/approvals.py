"""Approvals: a reviewer's sign-off bound to a digest of a briefing's content.

``briefgen approve ID --by NAME`` records, in ``content/approvals.yaml``, who approved which
version, the digest of the whole briefing and a digest of each of its parts (each fact by id
or place, each section, each field of the briefing's own). With ``require_approval: true`` in
briefgen.yaml, ``publish`` refuses a briefing with no approval, one approved only by its own
authors, or one changed after its approval, naming the parts that changed (the parts whose
digests differ). The file is the project's: committed and reviewed like everything else.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from briefgen.diagnostics import Diagnostic, Location, Report, Severity
from briefgen.load.approvals_edit import APPROVALS_FILE
from briefgen.load.yaml_reader import read_yaml_file
from briefgen.model import Project
from briefgen.model.briefings import Briefing
from briefgen.model.common import Slug, StrictModel, Text
from briefgen.model.facts import FACT_LISTS

ID_KEYED = frozenset({"events", "decisions", "statements"})


class Approval(StrictModel):
    """One reviewer's approval of one state of a briefing."""

    by: Text = Field(description="Who approved it (not one of the briefing's authors).")
    version: Text = Field(description="The briefing's version when it was approved.")
    date: Text = Field(description="When it was approved (UTC date).")
    digest: Text = Field(description="sha256 of the whole briefing as approved.")
    parts: dict[Text, Text] = Field(
        default_factory=dict, description="sha256 (first 16 digits) of each part, by its name."
    )


class ApprovalsFile(StrictModel):
    """content/approvals.yaml: the approvals of each briefing, oldest first."""

    approvals: dict[Slug, list[Approval]] = Field(default_factory=dict)


def _digest(value: Any) -> str:
    data = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def content_digest(briefing: Briefing) -> str:
    """'sha256:…' of the whole briefing, every field included."""
    return "sha256:" + _digest(briefing.model_dump(mode="json"))


def part_digests(briefing: Briefing) -> dict[str, str]:
    """A short digest of each part: 'title', 'events/<id>', 'assessments/2', 'summary'…"""
    data = briefing.model_dump(mode="json")
    parts: dict[str, str] = {}
    for name, value in data.items():
        if name in FACT_LISTS or (isinstance(value, list) and name != "authors"):
            for index, item in enumerate(value):
                key = item["id"] if name in ID_KEYED else str(index + 1)
                parts[f"{name}/{key}"] = _digest(item)[:16]
        else:
            parts[name] = _digest(value)[:16]
    return parts


def changed_parts(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """'events/x (added)', 'assessments/1 (changed)', 'statements/y (removed)', file order."""
    out = [f"{k} ({'changed' if k in old else 'added'})" for k in new if old.get(k) != new[k]]
    return out + [f"{k} (removed)" for k in old if k not in new]


def _same_person(name: str, authors: list[str]) -> bool:
    folded = " ".join(name.split()).casefold()
    return any(" ".join(a.split()).casefold() == folded for a in authors)


def is_author(name: str, briefing: Briefing) -> bool:
    """True when ``name`` is one of the briefing's authors (case and spacing aside)."""
    return _same_person(name, briefing.authors)


@dataclass(frozen=True)
class Verdict:
    """What the approvals say of a briefing: the valid approval, or the problem."""

    approval: Approval | None
    problem: str | None


def verdict(briefing: Briefing, approvals: list[Approval]) -> Verdict:
    """The newest valid approval of the briefing as it is, or why there is none."""
    digest = content_digest(briefing)
    matching = [a for a in approvals if a.digest == digest]
    valid = [a for a in matching if not is_author(a.by, briefing)]
    if valid:
        return Verdict(valid[-1], None)
    if matching:
        return Verdict(None, f"was approved only by its own author ({matching[-1].by})")
    if not approvals:
        return Verdict(None, "has no approval")
    last = approvals[-1]
    changes = ", ".join(changed_parts(last.parts, part_digests(briefing))) or "its content"
    return Verdict(
        None, f"changed after its approval by {last.by} (version {last.version}): {changes}"
    )


def read_approvals(root: Path, report: Report) -> dict[str, list[Approval]]:
    """The approvals in content/approvals.yaml (none if there is no such file).

    Problems go to ``report``, located in the file; a file with problems counts as none.
    """
    path = root / APPROVALS_FILE
    if not path.exists() and not path.is_symlink():
        return {}
    loaded = read_yaml_file(path, APPROVALS_FILE, report, root=root)
    if loaded is None:
        return {}
    try:
        return ApprovalsFile.model_validate(loaded.data).approvals
    except ValidationError as exc:
        for error in exc.errors():
            where: Location = loaded.locate(tuple(error["loc"]))
            report.error(where, f"{APPROVALS_FILE}: {error['msg']}")
        return {}


SETTING = "require_approval"


def unapproved(project: Project, briefing_ids: Iterable[str], report: Report) -> None:
    """One error in ``report`` for each of ``briefing_ids`` without a valid approval."""
    approvals = read_approvals(project.root, report)
    for briefing_id in briefing_ids:
        result = verdict(project.briefings[briefing_id], approvals.get(briefing_id, []))
        if result.problem is None:
            continue
        report.items.append(
            Diagnostic(
                Location(f"content/briefings/{briefing_id}.yaml", 1, 1),
                Severity.ERROR,
                f"'{briefing_id}' {result.problem}, and publish requires an approval "
                f"('{SETTING}: true' in briefgen.yaml)",
                f"have a reviewer who is not an author run 'briefgen approve {briefing_id} "
                "--by NAME', and commit content/approvals.yaml",
                code="approval-required",
            )
        )
