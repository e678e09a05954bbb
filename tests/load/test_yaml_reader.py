"""The YAML reader on its own: the data it returns, where golden CLI output cannot show it."""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_what_is_thrown_away_or_merged_in_has_no_position_of_its_own(tmp_path: Path) -> None:
    # Positions are kept in the order written (briefgen.load.positions), not by path: a value
    # the data does not hold (a duplicate's) or holds without writing it (merged in) must
    # still locate as a table by path would.
    path = tmp_path / "file.yaml"
    text = "base: &b\n  x: 1\nitem:\n  <<: *b\n  y: [3, 4]\na: 1\na: {z: 2}\nlast: 5\n"
    path.write_text(text, encoding="utf-8")
    loaded = read_yaml_file(path, "file.yaml", Report())
    assert loaded is not None
    assert loaded.data["item"] == {"y": ["3", "4"], "x": "1"}
    assert str(loaded.locate(("item", "x"))) == "file.yaml:4:3"  # merged in: at its mapping
    assert str(loaded.locate(("item", "y", 1))) == "file.yaml:5:10"
    assert str(loaded.locate(("item", "y", 2))) == "file.yaml:5:6"
    assert str(loaded.locate(("a", "z"))) == "file.yaml:6:4"  # the duplicate's value is not read
    assert str(loaded.locate(("last",), key=True)) == "file.yaml:8:1"
    assert loaded.written(("item", "y", 1))
    assert not loaded.written(("item", "x"))
    assert not loaded.written(("a", "z"))
    assert loaded.value_positions[("item", "<<")] == (4, 7)
    assert ("item", "<<") not in loaded.key_positions


def test_str_tag_keeps_text_even_when_empty(tmp_path: Path) -> None:
    data, report = _read(tmp_path, "a: !!str\nb: !!str true\nc: !!str ~\n")
    assert report.items == []
    assert data == {"a": "", "b": "true", "c": "~"}


def test_trailing_spaces_of_a_block_survive_a_missing_last_line_break(tmp_path: Path) -> None:
    data, report = _read(tmp_path, "a: |\n  x\n   ")
    assert report.items == []
    assert data == {"a": "x\n \n"}


def test_a_value_used_through_an_alias_is_located_at_the_alias(tmp_path: Path) -> None:
    path = tmp_path / "file.yaml"
    path.write_text("base: &b\n  x: 1\nitem: *b\nlist: [*b]\n", encoding="utf-8")
    loaded = read_yaml_file(path, "file.yaml", Report())
    assert loaded is not None
    assert loaded.data["item"] == {"x": "1"}
    assert loaded.data["item"] is not loaded.data["base"]
    assert str(loaded.locate(("item",))) == "file.yaml:3:7"
    assert str(loaded.locate(("item", "x"))) == "file.yaml:3:7"
    assert str(loaded.locate(("item", "x"), key=True)) == "file.yaml:3:7"
    assert str(loaded.locate(("list", 0, "x"))) == "file.yaml:4:8"
    assert str(loaded.locate(("base", "x"))) == "file.yaml:2:6"


def test_an_error_on_an_aliased_key_is_at_the_alias(tmp_path: Path) -> None:
    _, report = _read(tmp_path, "a: &k [1]\nb:\n  *k : 2\n")
    assert [d.text() for d in report.sorted()] == [
        "file.yaml:3:3: error: a key must be plain text "
        "(a list or mapping cannot be a key; check for a stray '?' or braces)"
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('a: "x\ty"\n', "x\ty"),  # in quoted text
        ("a: x\ty\n", "x\ty"),  # between words: libyaml reads it, PyYAML would not
        ("a: |\n  \tcode\n", "\tcode\n"),  # a block's first line: PyYAML reads it, libyaml not
        ("a: |2\n  \tcode\n", "\tcode\n"),
        ("a: |\n  x\n  \tcode\n", "x\n\tcode\n"),
        ("a: x  # a\tcomment\n", "x"),
    ],
)
def test_tabs_inside_text_are_text(tmp_path: Path, text: str, value: str) -> None:
    data, report = _read(tmp_path, text)
    assert report.items == []
    assert data == {"a": value}


def test_hash_inside_text_is_text(tmp_path: Path) -> None:
    text = "a: C#\nb: https://example.org/#part\nc: 'x'  # a comment\nd: [a#b]\n"
    data, report = _read(tmp_path, text)
    assert report.items == []
    assert data == {"a": "C#", "b": "https://example.org/#part", "c": "x", "d": ["a#b"]}


def test_both_parsers_read_the_reference_content_alike() -> None:
    """libyaml (the fast path) and the pure-Python parser give the same data and positions."""
    import yaml

    from briefgen.load.yaml_build import Builder, events

    root = Path(__file__).resolve().parents[2] / "content"
    files = [root / "actors.yaml", root / "sources.yaml", *sorted(root.glob("briefings/*.yaml"))]
    for file in files:
        text = file.read_text(encoding="utf-8")
        built = []
        for loader in (yaml.CSafeLoader, yaml.SafeLoader):
            builder = Builder(text)
            builder.run(events(text, loader))
            built.append(builder)
        fast, pure = built
        assert fast.problems == pure.problems == [], file
        assert fast.data == pure.data, file
        assert fast.value_positions == pure.value_positions, file
        assert fast.key_positions == pure.key_positions, file
        assert fast.spans == pure.spans, file
