"""A build or publish with nothing changed is recalled from its record, never validated again.

Asserted on what ran (calls to validation and to the renderer, counted, not replaced) and on
what the command said, never on time. Every kind of input a build reads, changed in turn, makes
the next build a full one; so does an output edited or deleted; a record that is forged, broken
or a link is ignored (a full run), never followed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import briefgen.build
import briefgen.validate
from briefgen.build import MEMO_FILE, BuildOptions, BuildResult, build
from briefgen.editions import plan
from briefgen.editions.outputs import key_record
from tests.conftest import run_cli
from tests.site.conftest import AMBER_ID, CLEAR_IDS, FIXTURE

ALL_IDS = sorted((*CLEAR_IDS, AMBER_ID))
HTML_MD = BuildOptions(formats=("html", "md"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "project"))


@dataclasses.dataclass
class Counted:
    """How often validation and the renderer ran."""

    validations: int = 0
    renders: int = 0


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counted:
    """Count the calls of validate_project and of each briefing's render; they still run."""
    counts = Counted()
    validate, render = briefgen.validate.validate_project, plan.render_briefing

    def counting_validate(*args: object, **kwargs: object) -> object:
        counts.validations += 1
        return validate(*args, **kwargs)  # type: ignore[arg-type]

    def counting_render(*args: object, **kwargs: object) -> object:
        counts.renders += 1
        return render(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(briefgen.build, "validate_project", counting_validate)
    monkeypatch.setattr(plan, "render_briefing", counting_render)
    return counts


def _full_then_again(root: Path, counted: Counted, options: BuildOptions = HTML_MD) -> BuildResult:
    first = build(root, options)
    assert first.ok and first.rendered == ALL_IDS
    counted.validations = counted.renders = 0
    return build(root, options)


def test_a_build_with_nothing_changed_is_recalled(project: Path, counted: Counted) -> None:
    again = _full_then_again(project, counted)
    assert counted.validations == 0 and counted.renders == 0
    assert again.ok and again.rendered == [] and again.skipped == ALL_IDS
    assert (project / "output" / MEMO_FILE).is_file()


def test_the_recalled_report_is_the_full_runs(project: Path, counted: Counted) -> None:
    first = build(project, HTML_MD)
    again = build(project, HTML_MD)
    assert [d.text() for d in again.report.sorted()] == [d.text() for d in first.report.sorted()]
    assert again.report.items, "the fixture has notes: the comparison must see some"
    forced = build(project, dataclasses.replace(HTML_MD, force=True))
    assert [d.text() for d in forced.report.sorted()] == [d.text() for d in first.report.sorted()]


def _edit(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _add(relative: str, text: str) -> Callable[[Path], None]:
    def add(root: Path) -> None:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")

    return add


def _remove_output(name: str) -> Callable[[Path], None]:
    def remove(root: Path) -> None:
        (root / "output" / CLEAR_IDS[0] / name).unlink()

    return remove


def _tamper_output(root: Path) -> None:
    with (root / "output" / CLEAR_IDS[0] / "briefing.html").open("a", encoding="utf-8") as f:
        f.write("<!-- edited by hand -->")


# Each changes one thing a build depends on; the next build must validate again.
CHANGES: dict[str, Callable[[Path], None]] = {
    "a briefing's text": _edit(f"content/briefings/{CLEAR_IDS[0]}.yaml", "title: ", "title: New "),
    "a new briefing file": _add("content/briefings/zz-new.yaml", "not: [valid\n"),
    "the project settings": _edit("briefgen.yaml", "title:", "# a comment\ntitle:"),
    "a project template": _add("templates/briefing.md", "{{ briefing.title }}\n"),
    "a file anywhere in the project": _add(
        "notes/extra.txt", "read by nobody, counted all the same"
    ),
    "an output deleted": _remove_output("briefing.md"),
    "an output edited": _tamper_output,
    "the record of an output deleted": _remove_output(".briefgen-key"),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_any_change_makes_a_full_run(
    project: Path, counted: Counted, change: Callable[[Path], None]
) -> None:
    build(project, HTML_MD)
    change(project)
    counted.validations = 0
    build(project, HTML_MD)
    assert counted.validations == 1


def test_other_options_and_the_environment_make_a_full_run(
    project: Path, counted: Counted, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(project, HTML_MD)
    for options in (BuildOptions(formats=("md",)), BuildOptions(formats=("md",), strict=True)):
        counted.validations = 0
        build(project, options)
        assert counted.validations == 1
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    counted.validations = 0
    build(project, BuildOptions(formats=("md",), strict=True))
    assert counted.validations == 1


def test_force_runs_in_full(project: Path, counted: Counted) -> None:
    build(project, HTML_MD)
    counted.validations = 0
    forced = build(project, dataclasses.replace(HTML_MD, force=True))
    assert counted.validations == 1 and forced.rendered == ALL_IDS


def _git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to make a repository")
def test_a_new_commit_makes_a_full_run(project: Path, counted: Counted) -> None:
    # The version history comes from git: a commit changes it with no file of the tree changed.
    _git(project, "init", "-q")
    _git(project, "add", "content", "briefgen.yaml")
    _git(project, "commit", "-q", "-m", "first")
    build(project, HTML_MD, history=True)
    counted.validations = 0
    build(project, HTML_MD, history=True)
    assert counted.validations == 0
    _git(project, "commit", "-q", "--allow-empty", "-m", "second")
    build(project, HTML_MD, history=True)
    assert counted.validations == 1


FORGED = {
    "not JSON": b"{not json",
    "another fingerprint": None,  # made below from a real record
    "a diagnostic that is not text": None,
    "empty": b"",
}


@pytest.mark.parametrize("kind", FORGED.keys())
def test_a_forged_or_broken_record_is_ignored(project: Path, counted: Counted, kind: str) -> None:
    build(project, HTML_MD)
    record = project / "output" / MEMO_FILE
    data = FORGED[kind]
    if kind == "another fingerprint":
        data = _json_edit(lambda d: d.__setitem__("fingerprint", "0" + d["fingerprint"]))(
            record.read_bytes()
        )
    elif kind == "a diagnostic that is not text":
        data = _json_edit(lambda d: d["report"][0].__setitem__(0, 7))(record.read_bytes())
    assert data is not None
    record.write_bytes(data)
    counted.validations = 0
    again = build(project, HTML_MD)
    assert counted.validations == 1 and again.ok
    assert record.read_bytes() != data  # replaced by the full run's record


def test_a_record_that_is_a_link_is_neither_read_nor_followed(
    project: Path, counted: Counted, tmp_path: Path
) -> None:
    build(project, HTML_MD)
    record = project / "output" / MEMO_FILE
    outside = tmp_path / "outside-record"
    outside.write_bytes(record.read_bytes())
    record.unlink()
    record.symlink_to(outside)
    counted.validations = 0
    build(project, HTML_MD)
    assert counted.validations == 1  # the link was not read as a record
    assert outside.read_bytes() != b"" and not record.is_symlink()  # replaced, not written through


def test_a_record_shipped_with_a_project_is_not_taken(
    project: Path, counted: Counted, tmp_path: Path
) -> None:
    # A project that arrives with its output folder (a clone, an archive, a CI cache): the
    # record and outputs are byte for byte what a build wrote, but not this machine's files.
    build(project, HTML_MD)
    shipped = Path(shutil.copytree(project, tmp_path / "shipped", symlinks=True))
    assert (shipped / "output" / MEMO_FILE).read_bytes() == (
        project / "output" / MEMO_FILE
    ).read_bytes()
    counted.validations = 0
    again = build(shipped, HTML_MD)
    assert counted.validations == 1 and again.ok
    counted.validations = 0
    build(shipped, HTML_MD)  # its own record now
    assert counted.validations == 0


def test_a_site_put_back_byte_for_byte_is_published_again(project: Path, tmp_path: Path) -> None:
    # The same files, but not the ones this publish wrote (a site restored, or shipped).
    assert run_cli("publish", str(project), "--no-pdf").returncode == 0
    site = project / "output" / "site"
    shutil.copytree(site, tmp_path / "copy")
    shutil.rmtree(site)
    shutil.copytree(tmp_path / "copy", site)
    again = run_cli("publish", str(project), "--no-pdf")
    assert again.returncode == 0 and "nothing changed" not in again.stderr


def test_the_cli_says_the_same_when_recalled(project: Path) -> None:
    first = run_cli("build", str(project), "-f", "html,md")
    second = run_cli("build", str(project), "-f", "html,md")
    third = run_cli("build", str(project), "-f", "html,md")
    assert first.returncode == second.returncode == third.returncode == 0

    def said(stderr: str) -> str:
        return stderr.rsplit("(", 1)[0]  # without the time it took

    # The second build found everything up to date in full; the third recalled it.
    assert said(third.stderr) == said(second.stderr)
    assert "up to date, skipped" in third.stderr


def test_a_publish_with_nothing_changed_leaves_the_site_alone(project: Path) -> None:
    first = run_cli("publish", str(project))
    assert first.returncode == 0, first.stderr
    index = project / "output" / "site" / "index.html"
    before = index.stat().st_mtime_ns, index.stat().st_ino
    again = run_cli("publish", str(project))
    assert again.returncode == 0, again.stderr
    assert "nothing changed since the last publish" in again.stderr
    assert "; 0 PDFs rendered, 2 reused" in again.stderr
    assert (index.stat().st_mtime_ns, index.stat().st_ino) == before
    # A file of the site changed by hand: the next publish writes the site again.
    index.write_text("defaced", encoding="utf-8")
    third = run_cli("publish", str(project))
    assert third.returncode == 0 and "nothing changed" not in third.stderr
    assert index.read_text(encoding="utf-8") != "defaced"


def test_a_publish_after_an_edit_runs_in_full(project: Path) -> None:
    assert run_cli("publish", str(project), "--no-pdf").returncode == 0
    _edit(f"content/briefings/{CLEAR_IDS[0]}.yaml", "title: ", "title: New ")(project)
    again = run_cli("publish", str(project), "--no-pdf")
    assert again.returncode == 0 and "nothing changed" not in again.stderr
    page = project / "output" / "site" / "briefings" / f"{CLEAR_IDS[0]}.html"
    assert "New " in page.read_text(encoding="utf-8")


def test_a_record_naming_files_outside_the_output_folder_is_ignored(
    project: Path, counted: Counted, tmp_path: Path
) -> None:
    # The worst case: a record whose stamps match real files outside the project (someone who
    # could read their inode numbers and change times). Had it been taken, checking and
    # cleaning that 'output' would read and delete outside the project.
    build(project, HTML_MD)
    record = project / "output" / MEMO_FILE
    outside = tmp_path / "outside"
    outside.mkdir()
    outputs = {"briefing.html": b"<p>x</p>", "briefing.md": b"x"}
    for name, data in outputs.items():
        (outside / name).write_bytes(data)
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in outputs.items()}
    (outside / ".briefgen-key").write_bytes(key_record("forged", digests, {}))
    stale = outside / ".briefing.html.abcdefgh.tmp"
    stale.write_bytes(b"not briefgen's")
    data = json.loads(record.read_text(encoding="ascii"))
    unit = "../../outside"
    data["outputs"] = {unit: "forged"}
    data["facts"]["sources"] = {unit: []}
    data["stamps"] = {
        f"{unit}/{name}": [info.st_ino, info.st_ctime_ns, info.st_size]
        for name in (*outputs, ".briefgen-key")
        for info in [os.lstat(outside / name)]
    }
    record.write_text(json.dumps(data), encoding="ascii")
    counted.validations = 0
    build(project, HTML_MD)
    assert counted.validations == 1  # not taken
    assert stale.read_bytes() == b"not briefgen's"


def _json_edit(edit: Callable[[dict[str, Any]], object]) -> Callable[[bytes], bytes]:
    """A malformation of the record's JSON: ``edit`` changes the parsed record (or returns
    something else to stand in for it)."""

    def malform(record: bytes) -> bytes:
        data = json.loads(record)
        replaced = edit(data)
        return json.dumps(data if replaced is None else replaced).encode()

    return malform


def _nested(record: bytes) -> bytes:
    """The record with a value nested 100,000 deep in its facts (JSON parsers recurse)."""
    deep = b"[" * 100_000 + b"]" * 100_000
    nested = record.replace(b'"facts":{', b'"facts":{"deep":' + deep + b",", 1)
    assert nested != record
    return nested


def _first(mapping: dict[str, Any]) -> str:
    return sorted(mapping)[0]


# Every way a record can be malformed short of its stamps (which stay those of the real
# files, so that only the check of the record's shape stands between it and a recall).
MALFORMED: dict[str, Callable[[bytes], bytes]] = {
    "not UTF-8": lambda record: b"\xff" + record,
    "nested past any limit": lambda record: _nested(record),
    "an infinite line number": _json_edit(lambda d: d["report"][0].__setitem__(1, float("inf"))),
    "a line number that is text": _json_edit(lambda d: d["report"][0].__setitem__(1, "3")),
    "a line number that is true": _json_edit(lambda d: d["report"][0].__setitem__(1, True)),
    "an unknown severity": _json_edit(lambda d: d["report"][0].__setitem__(3, "fatal")),
    "a diagnostic row too short": _json_edit(lambda d: d["report"][0].pop()),
    "outputs as a list": _json_edit(lambda d: d.__setitem__("outputs", list(d["outputs"]))),
    "stamps as a list": _json_edit(lambda d: d.__setitem__("stamps", list(d["stamps"]))),
    "a stamp of two numbers": _json_edit(lambda d: d["stamps"][_first(d["stamps"])].pop()),
    "a stamp of fractions": _json_edit(
        lambda d: d["stamps"].__setitem__(
            _first(d["stamps"]), [n + 0.5 for n in d["stamps"][_first(d["stamps"])]]
        )
    ),
    "a name with a backslash": _json_edit(
        lambda d: d["outputs"].__setitem__("a\\..\\..\\x", "key")
    ),
    "a field more": _json_edit(lambda d: d.__setitem__("more", 1)),
    "a field less": _json_edit(lambda d: d.pop("history_note")),
    "another version": _json_edit(lambda d: d.__setitem__("version", d["version"] + 1)),
    "an unwalked file out of the project": _json_edit(
        lambda d: d["unwalked"].__setitem__("../x", "0")
    ),
    "facts of another type": _json_edit(
        lambda d: d["facts"].__setitem__(_first(d["facts"]), {"a": [1, 2]})
    ),
    "facts missing a field": _json_edit(lambda d: d["facts"].pop(_first(d["facts"]))),
    "facts with a field more": _json_edit(lambda d: d["facts"].__setitem__("more", 1)),
    "facts as a list": _json_edit(lambda d: d.__setitem__("facts", [d["facts"]])),
    "a list for the record": _json_edit(lambda d: [d]),
    "null for the record": _json_edit(lambda d: d.clear() or 0),
}


@pytest.mark.parametrize("kind", MALFORMED.keys())
def test_a_malformed_build_record_makes_a_full_build(
    project: Path, counted: Counted, kind: str
) -> None:
    build(project, HTML_MD)
    record = project / "output" / MEMO_FILE
    malformed = MALFORMED[kind](record.read_bytes())
    record.write_bytes(malformed)
    counted.validations = 0
    again = build(project, HTML_MD)  # raises nothing
    assert counted.validations == 1 and again.ok
    assert record.read_bytes() != malformed  # replaced by the full run's record


def test_a_malformed_publish_record_is_not_recalled(project: Path) -> None:
    from briefgen.site.recall import MEMO_FILE as PUBLISH_MEMO
    from briefgen.site.recall import publish_fingerprint, recall_publish

    assert run_cli("publish", str(project), "--no-pdf").returncode == 0
    site = project / "output" / "site"
    fingerprint = publish_fingerprint(project, site, {"no_pdf": True, "strict": False})
    assert recall_publish(project, site, fingerprint) is not None  # the real record holds
    record = project / "output" / PUBLISH_MEMO
    written = record.read_bytes()
    taken = []
    for kind, malform in MALFORMED.items():  # one publish for all: each is a record's shape
        record.write_bytes(malform(written))
        if recall_publish(project, site, fingerprint) is not None:  # raises nothing
            taken.append(kind)
    assert taken == []
    record.write_bytes(written)
    assert recall_publish(project, site, fingerprint) is not None
