"""The site's timeline orders same-day facts as the briefing does, not by id.

On one date a fact that reacts to another comes after it, and otherwise facts keep the order
they are written in (one definition: :func:`briefgen.render.view.chronological`).
"""

from __future__ import annotations

import re
from pathlib import Path

from briefgen.model.briefings import Event, Statement
from briefgen.render.view import chronological
from tests.conftest import run_cli
from tests.site.conftest import copy_fixture

BRIEFING = "content/briefings/north-quay-2024.yaml"

# Written after the quay closure and sorting before it by id, on the same day.
EXTRA_EVENT = """\
  - id: board-meeting
    date: "2024-03-04"
    title: Port board meets after the closure
    actors: [port-board]
    sources: [board-notice-2024]
"""

# A second reaction to the closure, sorting before the first by id.
EXTRA_STATEMENT = """\
  - id: a-second-word
    kind: paraphrase
    text: The director added that the closure would be reviewed weekly.
    speaker: lena-probe
    date: "2024-03-04"
    medium: Written notice
    reacts_to: quay-closed
    sources: [board-notice-2024]
"""


def _anchors(page: str, day: str) -> list[str]:
    """The anchors of the facts on ``day`` (a datetime value), in page order."""
    found = []
    for item in re.findall(r'<li class="fact fact--.*?</li>', page, flags=re.DOTALL):
        if f'datetime="{day}"' in item:
            found += re.findall(r"#((?:event|decision|statement)-[a-z0-9-]+)\"", item)
    return found


def test_same_day_facts_follow_the_briefing_not_the_ids(tmp_path: Path) -> None:
    project = copy_fixture(tmp_path)
    path = project / BRIEFING
    text = path.read_text(encoding="utf-8")
    text = text.replace("decisions:\n", EXTRA_EVENT + "decisions:\n", 1)
    text = text.replace("  - id: guild-reaction\n", EXTRA_STATEMENT + "  - id: guild-reaction\n")
    path.write_text(text, encoding="utf-8")

    result = run_cli("publish", "--no-pdf", "-q", str(project))
    assert result.returncode == 0, result.stdout + result.stderr
    page = (project / "output/site/timeline.html").read_text(encoding="utf-8")

    assert _anchors(page, "2024-03-04") == [
        "event-quay-closed",
        "event-board-meeting",
        "decision-close-quay",
        "statement-director-on-closure",
        "statement-a-second-word",
    ]
    # The briefing's own timeline lists the two events in the same order.
    briefing_page = (project / "output/site/briefings/north-quay-2024.html").read_text("utf-8")
    assert briefing_page.index('id="event-quay-closed"') < briefing_page.index(
        'id="event-board-meeting"'
    )


def test_a_reaction_comes_after_what_it_reacts_to_on_the_same_day() -> None:
    raid = Event.model_validate(
        {"id": "raid", "date": "2023-01-26", "title": "Raid", "actors": [], "sources": ["s"]}
    )
    reaction = Statement.model_validate(
        {
            "id": "a-reaction",
            "kind": "paraphrase",
            "text": "They condemned it.",
            "attribution": "a spokesman",
            "date": "2023-01-26",
            "medium": "Radio",
            "reacts_to": "raid",
            "sources": ["s"],
        }
    )
    earlier = Statement.model_validate(
        {
            "id": "z-earlier",
            "kind": "paraphrase",
            "text": "Said the day before.",
            "attribution": "a spokesman",
            "date": "2023-01-25",
            "medium": "Radio",
            "sources": ["s"],
        }
    )
    # Written with the reaction first: the reaction still follows the raid, and the earlier
    # day comes first whatever its place.
    written: list[Event | Statement] = [reaction, raid, earlier]
    assert [f.id for f in chronological(written)] == [
        "z-earlier",
        "raid",
        "a-reaction",
    ]
