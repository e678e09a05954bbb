"""What a build can take over from its last successful run (:mod:`briefgen.editions.memo`).

Two cases, both only while every output the record names is still the very file written
(:func:`outputs_hold`):

- nothing changed (the same whole fingerprint): the whole outcome;
- only some briefing files changed, nothing else (the same shared fingerprint, the same
  briefing files): the outcome of the others (:func:`kept_part`). Checking a briefing looks
  at nothing of another briefing but the sources it cites (the check for unused sources), so
  the others' diagnostics, keys and cited sources stand; the changed ones are checked and
  built again, with everything shared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.diagnostics import Diagnostic
from briefgen.editions.fingerprint import Fingerprint
from briefgen.editions.memo import Memo, RecordFacts, stamps_hold
from briefgen.editions.outputs import remove_stale_temporaries, up_to_date
from briefgen.load.project_files import BRIEFINGS_DIR


class BuildFacts(RecordFacts):
    """What a build's record keeps besides its outputs, for a later :func:`kept_part`."""

    shared: str  # Fingerprint.shared
    briefings: dict[str, str]  # Fingerprint.briefings
    sources: dict[str, tuple[str, ...]]  # the sources each output unit refers to


BuildMemo = Memo[BuildFacts]


@dataclass
class KeptPart:
    """The outcome of the unchanged briefings, from the last build."""

    changed: set[str]
    keys: dict[str, str] = field(default_factory=dict)  # by output unit ('<id>/edition-…' too)
    unit_sources: dict[str, tuple[str, ...]] = field(default_factory=dict)  # each one cites
    sources: set[str] = field(default_factory=set)  # cited by any of them
    diagnostics: list[Diagnostic] = field(default_factory=list)  # found in their files


def outputs_hold(memo: BuildMemo, out_dir: Path, base: Path, names: Sequence[str]) -> bool:
    """True when each output the record names is the very file written, and as written.

    Stale temporary files of an interrupted build are removed from each folder, as a full
    build does.
    """
    if not stamps_hold(out_dir, memo):
        return False
    for unit, key in memo.outputs.items():
        # trusted: stamps_hold found each file (key records too) the one this machine recorded.
        if not up_to_date(out_dir / unit, key, names, base, exact=True, trusted=True):
            return False
    for unit in memo.outputs:
        remove_stale_temporaries(out_dir / unit, base)
    return True


def build_facts(fingerprint: Fingerprint, sources: Mapping[str, Sequence[str]]) -> BuildFacts:
    """What a build's record keeps besides its outputs, for a later :func:`kept_part`."""
    return BuildFacts(
        shared=fingerprint.shared,
        briefings=fingerprint.briefings,
        sources={unit: tuple(ids) for unit, ids in sources.items()},
    )


def recorded_sources(memo: BuildMemo) -> dict[str, tuple[str, ...]] | None:
    """The sources each output unit of a build's record refers to; None if not for each."""
    sources = memo.facts.sources
    return dict(sources) if set(sources) == set(memo.outputs) else None


def kept_part(memo: BuildMemo, fingerprint: Fingerprint) -> KeptPart | None:
    """The outcome of the briefings that did not change; None when anything else changed."""
    briefings, sources = memo.facts.briefings, recorded_sources(memo)
    if memo.facts.shared != fingerprint.shared or sources is None:
        return None
    if set(briefings) != set(fingerprint.briefings):
        return None
    changed = {i for i, digest in fingerprint.briefings.items() if briefings[i] != digest}
    kept = KeptPart(changed)
    for unit, key in memo.outputs.items():
        if unit.split("/")[0] not in changed:
            kept.keys[unit] = key
            kept.unit_sources[unit] = sources[unit]
            kept.sources.update(sources[unit])
    changed_files = {f"{BRIEFINGS_DIR}/{i}.yaml" for i in changed}
    briefing_files = {f"{BRIEFINGS_DIR}/{i}.yaml" for i in briefings}
    kept.diagnostics = [
        d
        for d in memo.report.items
        if d.location.path in briefing_files and d.location.path not in changed_files
    ]
    return kept
