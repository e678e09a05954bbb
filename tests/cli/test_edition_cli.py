"""``build --edition`` and ``publish`` of a briefing released as an edition, as a user runs them."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import run_cli

PROJECT = Path(__file__).parents[1] / "editions" / "canary"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "desk"
    shutil.copytree(PROJECT, root)
    return root


def test_build_edition_writes_only_that_edition(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    done = run_cli("build", str(root), "--edition", "TLP:GREEN", "--format", "md")
    assert done.returncode == 0, done.stderr
    folder = root / "output" / "halt"
    assert sorted(p.name for p in folder.iterdir()) == ["edition-tlp-green"]
    text = (folder / "edition-tlp-green" / "briefing.md").read_text(encoding="utf-8")
    assert text.startswith("**TLP:GREEN**\n*Releasable edition TLP:GREEN of this note")
    assert "canary" not in text.lower()
    assert "for 1 briefing(s)" in done.stderr


def test_build_edition_with_a_misspelt_label_is_a_usage_error(tmp_path: Path) -> None:
    done = run_cli("build", str(_copy(tmp_path)), "--edition", "TLP:WHITE")
    assert done.returncode == 2
    assert "'TLP:WHITE' is the TLP 1.0 name; TLP 2.0 calls it TLP:CLEAR" in done.stderr
    assert "Traceback" not in done.stderr


def test_build_edition_that_cannot_stand_is_a_located_error(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    briefing = root / "content" / "briefings" / "halt.yaml"
    # The TLP:CLEAR decision reacts to 'raid'; with 'raid' unmarked (so TLP:AMBER), the
    # TLP:CLEAR edition would print a reaction without its cause.
    text = briefing.read_text(encoding="utf-8")
    text = text.replace(
        "    title: Raid in Jenin\n    marking: TLP:CLEAR\n", "    title: Raid in Jenin\n"
    )
    text = text.replace("editions: [TLP:CLEAR]\n", "")
    briefing.write_text(text, encoding="utf-8")
    assert run_cli("validate", str(root)).returncode == 0  # the full note is fine
    done = run_cli("build", str(root), "--edition", "TLP:CLEAR")
    assert done.returncode == 1
    assert (
        "content/briefings/halt.yaml:49:16: error: in edition TLP:CLEAR: this decision reacts "
        "to 'raid', an event the edition leaves out" in done.stdout
    )
    assert not (root / "output").exists()


def test_publish_says_a_briefing_is_published_as_its_edition(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    done = run_cli("publish", str(root))
    assert done.returncode == 0, done.stderr
    assert "edition halt: marked TLP:AMBER, published as its edition TLP:CLEAR" in done.stderr
    assert "1 briefing(s) published (1 as an edition), 0 withheld" in done.stderr
    page = (root / "output" / "site" / "briefings" / "halt.html").read_text(encoding="utf-8")
    assert "Releasable edition TLP:CLEAR of this note" in page
