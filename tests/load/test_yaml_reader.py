"""The YAML reader on its own: the data it returns, where golden CLI output cannot show it."""

from __future__ import annotations

from pathlib import Path

from briefgen.diagnostics import Report
from briefgen.load import read_yaml_file

LOOKALIKES = ["NO", "yes", "on", "Off", "y", "12:30", "1e3", "0777", "0x1F", ".inf", "-.nan",
              "1_000", "2023-02-04", "2023", "1.0", "+1"]  # fmt: skip


def _read(tmp_path: Path, text: str) -> tuple[object, Report]:
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8")
    report = Report()
    loaded = read_yaml_file(path, "file.yaml", report)
    return (loaded.data if loaded else None), report


def test_yaml_1_1_lookalikes_stay_the_text_written(tmp_path: Path) -> None:
    text = "values:\n" + "".join(f"  - {value}\n" for value in LOOKALIKES)
    data, report = _read(tmp_path, text)
    assert report.items == []
    assert data == {"values": LOOKALIKES}


def test_only_yaml_1_2_booleans_and_nulls_are_converted(tmp_path: Path) -> None:
    data, report = _read(tmp_path, "a: true\nb: False\nc: ~\nd:\ne: null\nf: 'true'\ng: '~'\n")
    assert report.items == []
    assert data == {"a": True, "b": False, "c": None, "d": None, "e": None, "f": "true", "g": "~"}


def test_positions_of_keys_and_values(tmp_path: Path) -> None:
    path = tmp_path / "file.yaml"
    path.write_text("top:\n  - id: x\n    list: [a, b]\n", encoding="utf-8")
    loaded = read_yaml_file(path, "file.yaml", Report())
    assert loaded is not None
    assert str(loaded.locate(("top", 0, "id"))) == "file.yaml:2:9"
    assert str(loaded.locate(("top", 0, "id"), key=True)) == "file.yaml:2:5"
    assert str(loaded.locate(("top", 0, "list", 1))) == "file.yaml:3:15"
    # An unknown path falls back to its nearest known parent.
    assert str(loaded.locate(("top", 0, "missing"))) == "file.yaml:2:5"


def test_duplicate_key_keeps_the_first_value(tmp_path: Path) -> None:
    data, report = _read(tmp_path, "a: first\nb: 1\na: second\n")
    assert data == {"a": "first", "b": "1"}
    assert [d.text() for d in report.sorted()] == [
        "file.yaml:3:1: error: duplicate key 'a' (first written on line 1; keep only one of them)"
    ]


def test_merge_key_is_reported_but_applied(tmp_path: Path) -> None:
    text = "base: &b\n  x: 1\n  y: 2\nitem:\n  <<: *b\n  y: 3\n"
    data, report = _read(tmp_path, text)
    assert data == {"base": {"x": "1", "y": "2"}, "item": {"y": "3", "x": "1"}}
    assert len(report.items) == 1
    assert "merge keys" in report.items[0].message
