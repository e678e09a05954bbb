"""Nothing outside the project is read, and nothing outside its output folder is written.

A project is untrusted: symbolic links in it must not let briefgen read a file elsewhere
(``content/actors.yaml -> ~/.ssh/id_rsa``) or write, rename or delete one
(``output/site -> ~/Documents``). Every test keeps a canary folder beside the project and
checks that its files and times are unchanged and that its bytes appear in no output. Other
files that are not regular (a FIFO, a device, a folder where a file should be) and oversized
files end in a located error, never a hang or a traceback.

A few cases run the real CLI; the rest call the build and the validator in this process.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from briefgen.load.confine import FileTooLargeError, NotRegularFileError, read_bounded
from briefgen.validate import validate_project
from tests.conftest import REPO, run_cli

SECRET = b"CANARY-SECRET-3c9e1f"
HTML_MD = BuildOptions(formats=("html", "md"))
BRIEFING = "content/briefings/example.yaml"


@pytest.fixture
def project(init_template: Path, tmp_path: Path) -> Path:
    """A fresh project in ``tmp_path/desk``, beside the canary folder."""
    return Path(shutil.copytree(init_template, tmp_path / "desk", symlinks=True))


_SEALED: dict[Path, dict[str, tuple[bytes | str, int]]] = {}


@pytest.fixture
def canary(tmp_path: Path) -> Iterator[Path]:
    """A folder outside the project; after the test it must be exactly as it was."""
    folder = tmp_path / "canary"
    folder.mkdir()
    (folder / "secret.yaml").write_bytes(b"secret: " + SECRET + b"\n")
    (folder / "index.html").write_bytes(b"<p>" + SECRET + b"</p>")
    (folder / "assets").mkdir()
    (folder / "assets" / "site.css").write_bytes(b"/* " + SECRET + b" */")
    _seal(folder)
    yield folder
    assert _snapshot(folder) == _SEALED.pop(folder), "the canary outside the project changed"


def _seal(folder: Path) -> None:
    """Take the canary's snapshot again, after a test put more files in it."""
    _SEALED[folder] = _snapshot(folder)


def _snapshot(folder: Path) -> dict[str, tuple[bytes | str, int]]:
    found: dict[str, tuple[bytes | str, int]] = {}
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in [*dirnames, *filenames]:
            path = Path(dirpath) / name
            info = path.lstat()
            regular = stat.S_ISREG(info.st_mode) and info.st_size < 2**20
            content: bytes | str = (
                path.read_bytes() if regular else f"{info.st_mode}/{info.st_size}"
            )
            found[path.relative_to(folder).as_posix()] = (content, info.st_mtime_ns)
    return found


def _no_secret_in(folder: Path) -> None:
    for dirpath, _, filenames in os.walk(folder, followlinks=False):
        for name in filenames:
            path = Path(dirpath) / name
            if stat.S_ISREG(path.lstat().st_mode):
                assert SECRET not in path.read_bytes(), path


def _clean(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert "internal error" not in result.stderr, result.stderr


def _messages(root: Path) -> str:
    _, report = validate_project(root)
    return "\n".join(f"{d.location}: {d.message} ({d.hint})" for d in report.items)


def _run(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The CLI with a short timeout (a hang is a failure) and a memory ceiling."""
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *args],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        preexec_fn=_limit_memory,
    )


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))


# --- reading: content linked out of the project --------------------------------------------


def test_briefing_linked_outside_is_refused_by_the_cli(project: Path, canary: Path) -> None:
    shutil.copy(project / BRIEFING, canary / "leak.yaml")
    with (canary / "leak.yaml").open("a") as handle:
        handle.write(f"# {SECRET.decode()}\n")
    _seal(canary)
    (project / "content/briefings/leak.yaml").symlink_to(canary / "leak.yaml")
    result = run_cli("build", "--format", "html,md", cwd=project)
    _clean(result)
    assert result.returncode == 1
    assert (
        "content/briefings/leak.yaml:1:1: error: file is a symbolic link to "
        f"{canary / 'leak.yaml'}, outside the project" in result.stdout
    )
    assert not (project / "output").exists()


@pytest.mark.parametrize("relative", ["briefgen.yaml", "content/actors.yaml", BRIEFING])
def test_project_file_linked_outside_is_refused(project: Path, canary: Path, relative: str) -> None:
    (canary / "copy.yaml").write_bytes((project / relative).read_bytes())
    _seal(canary)
    (project / relative).unlink()
    (project / relative).symlink_to(canary / "copy.yaml")
    messages = _messages(project)
    assert f"{relative}:1:1: file is a symbolic link to {canary / 'copy.yaml'}" in messages


@pytest.mark.parametrize("folder", ["content", "content/briefings"])
def test_content_folder_linked_outside_is_refused(project: Path, canary: Path, folder: str) -> None:
    moved = canary / "moved"
    shutil.move(project / folder, moved)
    (moved / "secret-name.yaml").write_bytes(b"x: 1\n")
    _seal(canary)
    (project / folder).symlink_to(moved)
    messages = _messages(project)
    assert f"'{folder}' is a symbolic link to {moved}, outside the project" in messages
    assert "secret-name" not in messages  # the folder outside is not even listed
    result = build(project, HTML_MD)
    assert not result.valid and not (project / "output").exists()


def test_link_inside_the_project_is_followed(project: Path) -> None:
    shared = project / "shared"
    shared.mkdir()
    shutil.move(project / BRIEFING, shared / "example.yaml")
    (project / BRIEFING).symlink_to("../../shared/example.yaml")
    project_obj, report = validate_project(project)
    assert project_obj is not None, [str(d) for d in report.items]
    assert "example" in project_obj.briefings


def test_link_loop_is_an_error(project: Path) -> None:
    loop = project / "content/briefings/loop.yaml"
    loop.symlink_to("loop.yaml")
    messages = _messages(project)
    assert "content/briefings/loop.yaml:1:1: file is a symbolic link in a loop" in messages


def test_dangling_link_outside_is_named_as_a_link(project: Path, tmp_path: Path) -> None:
    (project / "content/actors.yaml").unlink()
    (project / "content/actors.yaml").symlink_to(tmp_path / "nowhere.yaml")
    messages = _messages(project)
    assert "content/actors.yaml:1:1: file is a symbolic link to" in messages


# --- reading: files that are not regular, and size ---------------------------------------


def test_fifo_briefing_does_not_hang(project: Path) -> None:
    os.mkfifo(project / "content/briefings/pipe.yaml")
    result = _run("validate", cwd=project, timeout=60)
    _clean(result)
    assert result.returncode == 1
    assert (
        "content/briefings/pipe.yaml:1:1: error: is a named pipe (FIFO), not a regular file"
        in result.stdout
    )


def test_link_to_a_device_is_refused(project: Path) -> None:
    (project / "content/briefings/zero.yaml").symlink_to("/dev/zero")
    result = _run("validate", cwd=project, timeout=60)
    _clean(result)
    assert result.returncode == 1
    assert "content/briefings/zero.yaml:1:1: error: file is a symbolic link to /dev/zero" in (
        result.stdout
    )


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_device_inside_the_project_is_refused(project: Path) -> None:
    os.mknod(project / "content/briefings/zero.yaml", 0o600 | stat.S_IFCHR, os.makedev(1, 5))
    result = _run("validate", cwd=project, timeout=60)  # in a child: it might read forever
    _clean(result)
    assert result.returncode == 1
    assert "content/briefings/zero.yaml:1:1: error: is a device, not a regular file" in (
        result.stdout
    )


def test_folder_named_like_a_briefing_is_refused(project: Path) -> None:
    (project / "content/briefings/folder.yaml").mkdir()
    messages = _messages(project)
    assert "content/briefings/folder.yaml:1:1: is a folder, not a regular file" in messages


def test_size_is_bounded_by_reading_not_by_stat(tmp_path: Path) -> None:
    # /proc files say they are empty and are not.
    with pytest.raises(FileTooLargeError) as raised:
        read_bounded(Path("/proc/self/maps"), 10)
    assert raised.value.size is None
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * 101)
    with pytest.raises(FileTooLargeError):
        read_bounded(big, 100)
    assert read_bounded(big, 101) == b"x" * 101
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(NotRegularFileError):
        read_bounded(tmp_path / "fifo", 100)  # without a writer: must not block


# --- reading: the templates digest -----------------------------------------------------------


def _digest_in_child(project: Path) -> subprocess.CompletedProcess[str]:
    """Both template functions in a child limited to 1 GiB of memory and a minute."""
    code = (
        "import sys, resource; from pathlib import Path; "
        "resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30)); "
        "from briefgen.render.inputs import templates_digest, has_template_overrides; "
        "print(templates_digest(Path(sys.argv[1])), has_template_overrides(Path(sys.argv[1])))"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(project)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _unreadable_files(folder: Path) -> None:
    """Files that cannot be read without harm: a FIFO (blocks) and a 4 GiB sparse file."""
    os.mkfifo(folder / "pipe.css")
    with (folder / "huge.css").open("wb") as handle:
        handle.truncate(4 * 2**30)
    _seal(folder)


def test_templates_digest_does_not_read_through_links_out(project: Path, canary: Path) -> None:
    _unreadable_files(canary)
    templates = project / "templates"
    templates.mkdir()
    (templates / "extra.css").symlink_to(canary / "pipe.css")
    (templates / "big.css").symlink_to(canary / "huge.css")
    (templates / "loop").symlink_to(".")
    (templates / "up").symlink_to("..")  # inside the project: followed, once
    result = _digest_in_child(project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "True"


def test_templates_folder_linked_outside_is_not_read(project: Path, canary: Path) -> None:
    _unreadable_files(canary)
    (project / "templates").symlink_to(canary)
    result = _digest_in_child(project)
    assert result.returncode == 0, result.stderr


def test_templates_digest_follows_a_link_inside_the_project(project: Path) -> None:
    from briefgen.render.inputs import templates_digest

    (project / "theme.css").write_text("p { color: red }\n")
    (project / "templates").mkdir()
    (project / "templates" / "briefing.css").symlink_to("../theme.css")
    before = templates_digest(project)
    (project / "theme.css").write_text("p { color: blue }\n")
    assert templates_digest(project) != before


# --- writing: build ---------------------------------------------------------------------------


def _first_build(project: Path) -> dict[str, bytes]:
    result = build(project, HTML_MD)
    assert result.ok, result.failures
    folder = project / "output" / "example"
    # Files only: init's example also writes its TLP:CLEAR edition's folder here (issue 14).
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_output_linked_outside_is_refused_by_the_cli(project: Path, canary: Path) -> None:
    (project / "output").symlink_to(canary)
    result = run_cli("build", "--format", "html,md", "--force", cwd=project)
    _clean(result)
    assert result.returncode == 1
    assert (
        f"example: error: output is a symbolic link (to {canary}); briefgen writes only inside "
        "the project's output folder: remove the link (previous outputs kept)" in result.stderr
    )


def test_output_linked_elsewhere_inside_is_refused(project: Path) -> None:
    (project / "elsewhere").mkdir()
    (project / "output").symlink_to("elsewhere")
    result = build(project, HTML_MD)
    refused = (
        "output is a symbolic link (to elsewhere); briefgen writes only inside the "
        "project's output folder: remove the link"
    )
    # init's example and its TLP:CLEAR edition (issue 14), each refused
    assert result.failures == {"example": refused, "example/edition-tlp-clear": refused}
    assert not any((project / "elsewhere").iterdir())


def test_briefing_folder_linked_outside_is_refused(project: Path, canary: Path) -> None:
    (project / "output").mkdir()
    (project / "output/example").symlink_to(canary)
    for force in (False, True):
        result = build(project, BuildOptions(formats=("html", "md"), force=force))
        assert "output/example is a symbolic link" in result.failures["example"]
        assert not result.written


@pytest.mark.parametrize("name", ["briefing.html", ".briefgen-key"])
def test_output_file_linked_outside_is_refused(project: Path, canary: Path, name: str) -> None:
    before = _first_build(project)
    target = project / "output/example" / name
    (canary / name).write_bytes(before[name])  # the very bytes: an up-to-date check would pass
    _seal(canary)
    target.unlink()
    target.symlink_to(canary / name)
    for force in (False, True):
        result = build(project, BuildOptions(formats=("html", "md"), force=force))
        assert f"output/example/{name} is a symbolic link" in result.failures["example"]
        assert "example" not in result.skipped  # (its edition's own folder is up to date)
    folder = project / "output/example"
    others = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert {k: v for k, v in others.items() if k != name} == {
        k: v for k, v in before.items() if k != name
    }


def test_hard_linked_output_keeps_the_other_name_unchanged(project: Path, canary: Path) -> None:
    _first_build(project)
    target = project / "output/example/briefing.md"
    outside = canary / "hard.md"
    target.unlink()
    os.link(canary / "secret.yaml", target)
    outside_bytes = (canary / "secret.yaml").read_bytes()
    result = build(project, BuildOptions(formats=("html", "md"), force=True))
    assert result.ok, result.failures
    assert (canary / "secret.yaml").read_bytes() == outside_bytes
    assert target.stat().st_ino != (canary / "secret.yaml").stat().st_ino
    assert not outside.exists()


def test_out_folder_given_by_the_user_may_be_a_link(project: Path, tmp_path: Path) -> None:
    real = tmp_path / "real-out"
    real.mkdir()
    (tmp_path / "out-link").symlink_to(real)
    result = build(project, BuildOptions(formats=("html", "md"), out_dir=tmp_path / "out-link"))
    assert result.ok, result.failures
    assert (real / "example/briefing.html").is_file()


def test_links_below_a_user_out_folder_are_refused(
    project: Path, tmp_path: Path, canary: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "example").symlink_to(canary)
    result = run_cli("build", "--format", "html,md", "--out", str(out), cwd=project)
    _clean(result)
    assert result.returncode == 1
    assert f"{out}/example is a symbolic link (to {canary})" in result.stderr


# --- writing: publish -------------------------------------------------------------------------


def test_site_linked_outside_is_refused_by_the_cli(project: Path, canary: Path) -> None:
    (project / "output").mkdir()
    (project / "output/site").symlink_to(canary)
    result = run_cli("publish", "--no-pdf", cwd=project)
    _clean(result)
    assert result.returncode == 1  # as build: the project's output folder is in the way
    assert (
        f"output/site is a symbolic link (to {canary}); briefgen writes only inside the "
        "project's output folder: remove the link" in result.stderr
    )
    assert (project / "output/site").is_symlink()
    assert [p.name for p in (project / "output").iterdir()] == ["site"]


def _publish(project: Path, out: Path | None = None) -> None:
    from briefgen.site.publish import build_site, write_site

    site_project, report = validate_project(project)
    assert site_project is not None, [str(d) for d in report.items]
    site = build_site(site_project, pdf=False)
    write_site(site.files, out or project / "output/site")


def test_output_folder_linked_outside_is_refused_by_publish(project: Path, canary: Path) -> None:
    from briefgen.site.publish import SiteOutputError

    (project / "output").symlink_to(canary)
    with pytest.raises(SiteOutputError, match=r"^output is a symbolic link \(to "):
        _publish(project)


def test_links_inside_the_old_site_are_removed_not_followed(project: Path, canary: Path) -> None:
    _publish(project)
    site = project / "output/site"
    (site / "linked-folder").symlink_to(canary)
    (site / "linked-file.html").symlink_to(canary / "index.html")
    _publish(project)
    assert not (site / "linked-folder").exists() and (site / "index.html").is_file()
    _no_secret_in(project / "output")


def test_site_marker_that_is_a_link_is_not_a_site(project: Path, canary: Path) -> None:
    from briefgen.site.publish import SiteOutputError

    site = project / "output/site"
    site.mkdir(parents=True)
    (site / "index.html").symlink_to(canary / "index.html")
    (site / "assets").symlink_to(canary / "assets")
    with pytest.raises(SiteOutputError, match=r"^output/site/index\.html is a symbolic link"):
        _publish(project)


def test_publish_to_a_user_out_folder_that_is_a_link(project: Path, tmp_path: Path) -> None:
    real = tmp_path / "public"
    real.mkdir()
    (tmp_path / "public-link").symlink_to(real)
    _publish(project, tmp_path / "public-link")
    assert (real / "index.html").is_file()


def test_outputs_never_hold_the_canary(project: Path, canary: Path) -> None:
    text = (project / BRIEFING).read_text(encoding="utf-8")
    (canary / "leak.yaml").write_text(
        text.replace("title: ", f"title: {SECRET.decode()} ", 1), encoding="utf-8"
    )
    _seal(canary)
    (project / "content/briefings/leak.yaml").symlink_to(canary / "leak.yaml")
    build(project, HTML_MD)
    if (project / "output").exists():
        _no_secret_in(project / "output")


@pytest.mark.parametrize("linked", ["content/briefings", "content"])
def test_new_never_writes_through_a_linked_folder(project: Path, canary: Path, linked: str) -> None:
    target = project / linked
    shutil.copytree(target, canary / "moved")
    shutil.rmtree(target)
    target.symlink_to(canary / "moved", target_is_directory=True)
    _seal(canary)  # the moved folder is part of what must not change
    result = run_cli("new", "fresh-note", str(project))
    _clean(result)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{linked} is a symbolic link (to {canary / 'moved'}); briefgen new writes only" in (
        result.stderr
    )
    assert not (canary / "moved" / "fresh-note.yaml").exists()
    assert not (canary / "moved" / "briefings" / "fresh-note.yaml").exists()
