"""One answer to "what does this briefing refer to": the model's, and every consumer agrees.

The publish ceiling (a security boundary), the incremental build key and the unused-source
warning all call :func:`briefgen.model.references.briefing_references`; for every fixture
project in the test tree the ids each of them ends up with must be the same.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from briefgen.diagnostics import Report
from briefgen.model import Actor, Briefing, Citation, Project, Source, Tlp, briefing_references
from briefgen.model.common import Slug
from briefgen.model.references import (
    OWN_ID_FIELD,
    REFERENCE_FIELDS,
    cites_closure,
    named_in,
)
from briefgen.provenance.chains import relayed_by
from briefgen.render.inputs import briefing_inputs, used_registry_entries
from briefgen.site.ceiling import apply_ceiling
from briefgen.validate import parse_project, validate_project
from briefgen.validate.briefing_sources import cited_sources
from tests.case_runner import Case, case_folders, make_project
from tests.conftest import REPO

TESTS = REPO / "tests"
# The case suites whose cases are whole projects once laid over their base.
CASE_SUITES = (TESTS / "validate", TESTS / "provenance")
# Fixtures that must be found, so that discovery cannot quietly find nothing.
KNOWN_FIXTURES = (
    REPO,
    TESTS / "site" / "fixture",
    TESTS / "render" / "fixtures" / "full",
    TESTS / "validate" / "base",
    TESTS / "provenance" / "base",
)


# --- every fixture: the ceiling, the build key and the unused-source check agree ---------------


@cache
def fixture_projects() -> tuple[Path, ...]:
    """Every folder under tests/ holding a briefgen.yaml that validates without errors, and
    the repository's own project."""
    candidates = sorted({p.parent for p in TESTS.rglob("briefgen.yaml")} | {REPO})
    return tuple(root for root in candidates if validate_project(root).project is not None)


def clean_cases() -> list[Path]:
    """Case folders expected to exit 0: laid over their base, they are projects without errors."""
    return [
        folder
        for suite in CASE_SUITES
        for folder in case_folders(suite)
        if Case.read(folder).exit_code == 0
    ]


def _label(root: Path) -> str:
    return root.relative_to(REPO).as_posix() or "repository"


def _ids_keyed(project: Project, briefing_ids: typing.Iterable[str]) -> tuple[set[str], set[str]]:
    """(actor ids, source ids) whose dumps feed the build keys of these briefings."""
    actors: set[str] = set()
    sources: set[str] = set()
    for briefing_id in briefing_ids:
        inputs = briefing_inputs(project, briefing_id, templates="")
        # The key covers the referenced entries, with or without the project's own templates
        # (they too see only the scoped project); an older key held all "content" instead.
        entries = inputs if "content" not in inputs else used_registry_entries(project, briefing_id)
        for kind, registry in (("actors", project.actors), ("sources", project.sources)):
            dumps: dict[str, Any] = entries[kind]
            assert all(dumps[k] == registry[k].model_dump(mode="json") for k in dumps)
        actors |= set(entries["actors"])
        sources |= set(entries["sources"])
    return actors, sources


def _unused_warned(root: Path) -> set[str]:
    _, report = validate_project(root)
    unused = [d for d in report.items if d.code == "unused-source"]
    return {d.message.split("'")[1] for d in unused}


def check_one_definition(root: Path) -> None:
    """The ceiling keeps exactly the ids the build key and the unused-source check use."""
    project, report = validate_project(root)
    assert project is not None, [d.text() for d in report.sorted()]
    contexts = parse_project(root, Report()).contexts
    for ceiling in (Tlp.RED, project.settings.publish_ceiling):
        released = apply_ceiling(project, ceiling).project
        kept = (set(released.actors), set(released.sources))
        # A briefing published as its releasable edition is keyed as that edition (issue 14).
        keyed_in = released if released.editions else project
        assert kept == _ids_keyed(keyed_in, released.briefings), ceiling
        if released.editions:
            continue  # an edition cites less than its note's file: compared in tests/editions
        in_release = [c for c in contexts if c.briefing_id in released.briefings]
        assert cited_sources(in_release) == kept[1], ceiling
    # And the warning itself: with every briefing released, it names exactly the rest.
    everything = apply_ceiling(project, Tlp.RED).project
    assert _unused_warned(root) == set(project.sources) - set(everything.sources)


def test_fixture_discovery_finds_the_known_projects() -> None:
    missing = [_label(p) for p in KNOWN_FIXTURES if p not in fixture_projects()]
    assert not missing, f"fixtures that no longer validate without errors: {missing}"


def test_the_unused_source_warning_is_read_back(tmp_path: Path) -> None:
    # The comparison above reads source ids out of the warnings: make sure it sees one.
    folder = TESTS / "validate" / "cases" / "warnings"
    make_project(Case.read(folder), TESTS / "validate" / "base", tmp_path / "project")
    assert _unused_warned(tmp_path / "project") == {"unused-2023-01-30"}


@pytest.mark.parametrize("root", fixture_projects(), ids=_label)
def test_ceiling_build_key_and_unused_check_use_the_same_ids(root: Path) -> None:
    check_one_definition(root)


@pytest.mark.parametrize("folder", clean_cases(), ids=lambda p: f"{p.parent.parent.name}-{p.name}")
def test_the_same_ids_in_every_clean_case(folder: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    make_project(Case.read(folder), folder.parent.parent / "base", project)
    check_one_definition(project)


# --- the definition, unit by unit -------------------------------------------------------------


def _source(source_id: str, cites: tuple[str, ...] = (), **extra: str) -> Source:
    return Source.model_validate(
        {
            "id": source_id,
            "type": "article",
            "title": "A title",
            "publisher": source_id.title(),
            "published": "2024-03-02",
            "citation_only": True,
            "cites": list(cites),
            **extra,
        }
    )


def _actor(actor_id: str, *organizations: str, **extra: str) -> Actor:
    roles = [{"title": "Member", "organization": o} for o in organizations]
    kind = "person" if organizations else "organization"
    return Actor.model_validate(
        {"id": actor_id, "name": actor_id.title(), "kind": kind, "roles": roles, **extra}
    )


def _briefing(**fields: Any) -> Briefing:
    base: dict[str, Any] = {
        "title": "A note",
        "marking": "TLP:CLEAR",
        "purpose": "information",
        "cutoff": "2024-03-05",
        "issued": "2024-03-06",
        "version": "1.0",
        "authors": ["An Analyst"],
        "summary": "Nothing cited here.",
    }
    return Briefing.model_validate(base | fields)


def _event(event_id: str, *actors: str, sources: list[Any] | None = None) -> dict[str, Any]:
    return {
        "id": event_id,
        "date": "2024-03-01",
        "title": "Something happened",
        "actors": list(actors),
        "sources": sources or [],
    }


SOURCES = {
    s.id: s
    for s in (
        _source("agency", cites=("paper",)),
        _source("paper", cites=("radio",)),
        _source("radio", cites=("agency",)),  # a cycle back to the start
        _source("wire"),
        _source("relay", cites=("origin",)),
        _source("origin"),
        _source("noted", note="Reprinted from [@wire]."),
        _source("unused"),
    )
}
ACTORS = {
    a.id: a
    for a in (
        _actor("speaker", "party"),
        _actor("party", "front"),
        _actor("front"),
        _actor("decider"),
        _actor("bystander"),
        _actor("described", description="Speaks for [@wire]."),
    )
}


def _refs(briefing: Briefing) -> tuple[set[str], set[str]]:
    found = briefing_references(briefing, ACTORS, SOURCES)
    return set(found.actors), set(found.sources)


def test_nothing_cited_refers_to_nothing() -> None:
    assert briefing_references(_briefing(), ACTORS, SOURCES).sources == frozenset()


def test_a_citing_chain_is_followed_to_its_end_and_a_cycle_ends() -> None:
    briefing = _briefing(key_points=[{"text": "A point.", "sources": ["agency"]}])
    assert _refs(briefing)[1] == {"agency", "paper", "radio"}


def test_the_middle_of_a_chain_pulls_only_what_it_relays() -> None:
    assert _refs(_briefing(key_points=[{"text": "A point.", "sources": ["radio"]}]))[1] == {
        "radio",
        "agency",
        "paper",
    }
    assert _refs(_briefing(key_points=[{"text": "A point.", "sources": ["relay"]}]))[1] == {
        "relay",
        "origin",
    }


def test_via_is_a_reference_with_its_own_chain() -> None:
    citation = {"source": "wire", "via": "relay"}
    briefing = _briefing(assessments=[_assessment("A judgement.", [citation])])
    assert _refs(briefing)[1] == {"wire", "relay", "origin"}


def _assessment(text: str, sources: list[Any]) -> dict[str, Any]:
    return {"text": text, "likelihood": "likely", "confidence": "low", "sources": sources}


@pytest.mark.parametrize(
    "fields",
    [
        {"summary": "Said on air [@wire]."},
        {"background": "Earlier [@wire]."},
        {"outlook": "Later [@wire]."},
        {"information_gaps": ["Unclear [@wire]."]},
        {"key_points": [{"text": "A point [@wire]."}]},
        {"assessments": [_assessment("Likely.", []) | {"basis": "Because [@wire]."}]},
        # Not Markdown, but every string counts (as the ceiling always counted it).
        {"events": [_event("e1") | {"title": "Raid [@wire]"}]},
    ],
    ids=lambda fields: next(iter(fields)),
)
def test_an_inline_citation_in_any_string_is_a_reference(fields: dict[str, Any]) -> None:
    assert _refs(_briefing(**fields))[1] == {"wire"}


def test_an_inline_citation_in_a_registry_entry_is_not_followed() -> None:
    # Renderers print a source's note and an actor's description as written.
    briefing = _briefing(
        summary="As reported [@noted].",
        events=[_event("e1", "described")],
    )
    assert _refs(briefing) == ({"described"}, {"noted"})


def test_actors_come_from_events_decisions_and_statements() -> None:
    briefing = _briefing(
        events=[_event("e1", "bystander")],
        decisions=[
            {
                "id": "d1",
                "actor": "decider",
                "date": "2024-03-02",
                "text": "Decided.",
                "status": "announced",
                "status_as_of": "2024-03-04",
                "reacts_to": "e1",
            }
        ],
    )
    found = briefing_references(briefing, ACTORS, SOURCES)
    assert set(found.actors) == {"bystander", "decider"}
    assert found.events == frozenset({"e1"})


def test_role_organisations_are_followed_at_any_depth() -> None:
    statement = {
        "id": "s1",
        "kind": "paraphrase",
        "text": "Said something.",
        "speaker": "speaker",
        "date": "2024-03-02",
        "medium": "Radio",
    }
    assert _refs(_briefing(statements=[statement]))[0] == {"speaker", "party", "front"}


def test_only_known_ids_are_returned_but_named_in_keeps_them_as_written() -> None:
    briefing = _briefing(
        summary="See [@ghost].",
        events=[_event("e1", "nobody", sources=[{"source": "wire", "via": "phantom"}])],
        statements=[
            {
                "id": "s1",
                "kind": "paraphrase",
                "text": "Said.",
                "attribution": "an official",
                "date": "2024-03-02",
                "medium": "Radio",
                "reacts_to": "no-such-event",
            }
        ],
    )
    found = briefing_references(briefing, ACTORS, SOURCES)
    assert (set(found.actors), set(found.sources), set(found.events)) == (set(), {"wire"}, set())
    written = named_in(briefing)
    assert set(written.sources) == {"ghost", "wire", "phantom"}
    assert set(written.actors) == {"nobody"}
    assert set(written.events) == {"no-such-event"}


def test_cites_closure_keeps_unknown_ids_and_relayed_by_is_it_without_the_start() -> None:
    sources = {"a": _source("a", cites=("b", "missing")), "b": _source("b", cites=("a",))}
    assert cites_closure(["a"], sources) == {"a", "b", "missing"}
    assert relayed_by("a", sources) == {"b", "missing"}
    assert relayed_by("missing", sources) == set()


# --- a field added to the model later is covered -----------------------------------------------

_SLUG_METADATA = typing.get_args(Slug)[1:]


def _holds_an_id(annotation: Any) -> bool:
    """True when ``annotation`` is an id (Slug), or a list or optional of ids."""
    if typing.get_origin(annotation) is typing.Annotated:
        inner, *metadata = typing.get_args(annotation)
        return any(m in metadata for m in _SLUG_METADATA) or _holds_an_id(inner)
    return any(_holds_an_id(arg) for arg in typing.get_args(annotation))


def _nested_models(annotation: Any) -> Iterator[type[BaseModel]]:
    """The models inside an annotation: itself, list items, optional values."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _nested_models(arg)


def _id_fields(model: type[BaseModel], seen: set[type[BaseModel]]) -> Mapping[str, str]:
    """'Model.field' -> field name, for every id field of ``model`` and the models it holds."""
    seen.add(model)
    found: dict[str, str] = {}
    for name, info in model.model_fields.items():
        holds_id = any(m in info.metadata for m in _SLUG_METADATA)
        if holds_id or _holds_an_id(info.annotation):
            found[f"{model.__name__}.{name}"] = name
        for nested in _nested_models(info.annotation):
            if nested not in seen:
                found.update(_id_fields(nested, seen))
    return found


def test_every_id_field_of_the_models_is_a_known_reference_or_an_own_id() -> None:
    fields: dict[str, str] = {}
    for model in (Briefing, Actor, Source, Citation):
        fields.update(_id_fields(model, set()))
    assert "Event.actors" in fields and "Role.organization" in fields  # the search works
    known = {*REFERENCE_FIELDS, OWN_ID_FIELD}
    unclassified = [where for where, name in fields.items() if name not in known]
    assert not unclassified, (
        f"id fields {unclassified} are not in briefgen.model.references.REFERENCE_FIELDS: "
        "say what they refer to, so the ceiling, the build key and the unused-source check see them"
    )
