"""The publish ceiling: which briefings, actors and sources the site stage may see."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from briefgen.model import Project, Tlp
from briefgen.site.ceiling import apply_ceiling, releasable
from briefgen.validate import validate_project
from tests.site.conftest import AMBER_ID, CLEAR_IDS, FIXTURE


@pytest.fixture(scope="module")
def project() -> Project:
    loaded, report = validate_project(FIXTURE)
    assert loaded is not None, report.sorted()
    return loaded


def test_briefings_above_the_ceiling_are_withheld_with_the_reason(project: Project) -> None:
    result = apply_ceiling(project)
    assert sorted(result.project.briefings) == list(CLEAR_IDS)
    (withheld,) = result.withheld
    assert withheld.briefing_id == AMBER_ID
    assert withheld.reason == "marked TLP:AMBER, above the publish ceiling TLP:CLEAR"


def test_actors_and_sources_only_the_withheld_briefing_mentions_are_dropped(
    project: Project,
) -> None:
    released = apply_ceiling(project).project
    assert sorted(released.actors) == ["crane-guild", "lena-probe", "omar-test", "port-board"]
    assert sorted(released.sources) == [
        "bay-gazette-2024",
        "board-notice-2021",
        "board-notice-2024",
        "coast-radio-2024",
    ]
    # Shared actors and sources stay, though the withheld briefing mentions them too.
    assert "lena-probe" in released.actors and "board-notice-2024" in released.sources


def test_role_organisations_of_kept_actors_are_kept(project: Project) -> None:
    # Only Omar Test's paraphrase is left: his guild stays, as the organisation of his title.
    briefing = project.briefings["north-quay-2024"]
    statement = next(s for s in briefing.statements if s.speaker == "omar-test")
    only = briefing.model_copy(
        update={"events": [], "decisions": [], "statements": [statement], "assessments": []}
    )
    small = replace(project, briefings={"north-quay-2024": only})
    released = apply_ceiling(small).project
    assert sorted(released.actors) == ["crane-guild", "omar-test"]


def test_sources_a_kept_source_relays_are_kept(project: Project) -> None:
    briefing = project.briefings["north-quay-2024"].model_copy(
        update={
            "summary": "Only the gazette [@bay-gazette-2024].",
            "key_points": [],
            "events": [],
            "decisions": [],
            "statements": [],
            "assessments": [],
        }
    )
    released = apply_ceiling(replace(project, briefings={"north-quay-2024": briefing})).project
    assert sorted(released.sources) == ["bay-gazette-2024", "coast-radio-2024"]


def test_a_higher_ceiling_releases_more(project: Project) -> None:
    assert sorted(apply_ceiling(project, Tlp.AMBER).project.briefings) == sorted(
        [*CLEAR_IDS, AMBER_ID]
    )
    assert apply_ceiling(project, Tlp.AMBER).withheld == ()
    assert apply_ceiling(project, Tlp.GREEN).withheld[0].briefing_id == AMBER_ID


def test_quote_status_of_withheld_briefings_is_dropped(project: Project) -> None:
    statuses = {
        (AMBER_ID, "canary-statement-zq6"): "verified",
        ("north-quay-2024", "director-on-closure"): "unverified",
    }
    with_status = replace(project, quote_status=statuses)  # type: ignore[arg-type]
    kept = apply_ceiling(with_status).project.quote_status
    assert list(kept) == [("north-quay-2024", "director-on-closure")]


@pytest.mark.parametrize(
    ("marking", "ceiling", "expected"),
    [
        (Tlp.CLEAR, Tlp.CLEAR, True),
        (Tlp.GREEN, Tlp.CLEAR, False),
        (Tlp.AMBER, Tlp.AMBER_STRICT, True),
        (Tlp.AMBER_STRICT, Tlp.AMBER, False),
        (Tlp.RED, Tlp.RED, True),
    ],
)
def test_releasable(marking: Tlp, ceiling: Tlp, expected: bool) -> None:
    assert releasable(marking, ceiling) is expected


def test_publish_says_what_it_withheld_and_why(published: tuple[Path, str]) -> None:
    _, stderr = published
    assert f"withheld {AMBER_ID}: marked TLP:AMBER, above the publish ceiling TLP:CLEAR" in stderr
    assert "2 briefing(s) published, 1 withheld" in stderr
