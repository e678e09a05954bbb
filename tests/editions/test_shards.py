"""``build --shard K/N``: a stable, balanced partition, and a site assembled from the shards.

The partition is checked on many made-up ids; the assembly with the real CLI, as N CI
machines would run it: each shard builds in its own copy of the project, their ``output/``
folders are merged into one, and ``publish --trust-outputs`` there renders no PDF and writes
the same site, byte for byte, as a publish after a full build. Without ``--trust-outputs`` the
gathered files, which this machine did not write, are rendered again.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

from briefgen.build import MEMO_FILE as BUILD_MEMO
from briefgen.editions.shards import Shard, parse_shard, shard_of
from briefgen.site.recall import MEMO_FILE as PUBLISH_MEMO
from tests.conftest import run_cli
from tests.editions.outputs_bytes import comparable
from tests.site.conftest import CLEAR_IDS, FIXTURE

IDS = [f"briefing-{n:04d}" for n in range(1000)]
COPIES = [f"{CLEAR_IDS[1]}-copy{n}" for n in range(1, 5)]


def test_every_briefing_is_in_exactly_one_shard() -> None:
    for count in range(1, 8):
        shards = [Shard(k, count).select(IDS) for k in range(1, count + 1)]
        together = [i for shard in shards for i in shard]
        assert sorted(together) == IDS  # each once: none lost, none twice


def test_a_briefing_keeps_its_shard_when_others_are_added() -> None:
    more = IDS + [f"added-{n}" for n in range(300)]
    for count in (2, 3, 4, 8):
        before = {i: shard_of(i, count) for i in IDS}
        after = {i: shard_of(i, count) for i in more}
        assert all(after[i] == shard for i, shard in before.items())


def test_shards_are_balanced() -> None:
    # A hash spreads T ids over N shards as T/N give or take a few times sqrt(T/N).
    for count in (2, 3, 4, 8):
        sizes = [len(Shard(k, count).select(IDS)) for k in range(1, count + 1)]
        expected = len(IDS) / count
        assert all(abs(size - expected) <= 3 * math.sqrt(expected) for size in sizes), sizes


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0/3", "K must be between 1 and 3"),
        ("4/3", "K must be between 1 and 3"),
        ("1/0", "N, the number of shards, must be at least 1"),
        ("2", "is not K/N"),
        ("a/b", "is not K/N"),
        ("-1/2", "is not K/N"),
    ],
)
def test_a_bad_shard_is_a_usage_error(value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_shard(value)


def test_the_command_line_refuses_a_bad_shard(tmp_path: Path) -> None:
    result = run_cli("build", str(FIXTURE), "--shard", "3/2", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "--shard" in result.stderr and "'3/2': K must be between 1 and 2" in result.stderr
    assert not (tmp_path / "out").exists()


def _project(target: Path) -> Path:
    """The site fixture with four more copies of a released briefing (seven in all)."""
    project = Path(shutil.copytree(FIXTURE, target))
    briefings = project / "content" / "briefings"
    for copy in COPIES:
        shutil.copy(briefings / f"{CLEAR_IDS[1]}.yaml", briefings / f"{copy}.yaml")
    return project


def _run(*args: str) -> str:
    result = run_cli(*args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stderr


# The records of the last build and publish in output/: each machine's own (see memo.py).
RECORDS = {BUILD_MEMO, PUBLISH_MEMO}


def _files(folder: Path) -> dict[str, bytes]:
    """Every output file by its path, without the records of the last build and publish, and
    each key record without the stamps of the machine that wrote the files."""
    return {
        p.relative_to(folder).as_posix(): comparable(p)
        for p in folder.rglob("*")
        if p.is_file() and p.name not in RECORDS
    }


def test_shards_assemble_into_the_full_build_and_site(tmp_path: Path) -> None:
    full = _project(tmp_path / "full")
    _run("build", str(full))
    assembled = _project(tmp_path / "assembled")
    for k in (1, 2, 3):  # three machines, each with its own checkout
        machine = _project(tmp_path / f"shard{k}")
        _run("build", str(machine), "--shard", f"{k}/3")
        built = sorted(p.name for p in (machine / "output").iterdir() if p.is_dir())
        everything = (p.name for p in (full / "output").iterdir() if p.is_dir())
        assert built == sorted(Shard(k, 3).select(everything))
        shutil.copytree(machine / "output", assembled / "output", dirs_exist_ok=True)
    # The union of the shards is the full build, byte for byte.
    assert _files(assembled / "output") == _files(full / "output")
    released = len(CLEAR_IDS) + len(COPIES)
    trusted = _run("publish", str(assembled), "--trust-outputs")
    assert f"; 0 PDFs rendered, {released} reused" in trusted
    assert f"; 0 PDFs rendered, {released} reused" in _run("publish", str(full))
    assert _files(assembled / "output" / "site") == _files(full / "output" / "site")
