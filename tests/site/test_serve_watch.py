"""The preview's file watcher stays inside the project: it never follows a link out of it."""

from __future__ import annotations

import threading
from pathlib import Path

from briefgen.site.serve import watch, watched_folders


def _project(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "project"
    (root / "content" / "briefings").mkdir(parents=True)
    (root / "templates" / "site").mkdir(parents=True)
    (root / "briefgen.yaml").write_text("title: x\n")
    outside = tmp_path / "outside"
    (outside / "deep" / "er").mkdir(parents=True)
    (root / "templates" / "linked").symlink_to(outside, target_is_directory=True)
    (root / "content" / "linked").symlink_to(outside / "deep", target_is_directory=True)
    return root, outside


def test_watched_folders_are_the_real_folders_below_content_and_templates(
    tmp_path: Path,
) -> None:
    root, _ = _project(tmp_path)
    assert [p.relative_to(root).as_posix() for p in watched_folders(root)] == [
        "content",
        "templates",
        "content/briefings",
        "templates/site",
    ]


def test_a_linked_content_folder_is_not_watched(tmp_path: Path) -> None:
    root, outside = _project(tmp_path)
    (root / "content" / "briefings").rmdir()
    (root / "content" / "briefings").symlink_to(outside, target_is_directory=True)
    assert root / "content" / "briefings" not in watched_folders(root)


def _wait(flag: threading.Event, seconds: float) -> bool:
    return flag.wait(seconds)


def test_changes_outside_through_a_link_do_not_rebuild(tmp_path: Path) -> None:
    root, outside = _project(tmp_path)
    changed = threading.Event()
    stop = threading.Event()
    threads = watch(root, changed.set, stop)
    try:
        (outside / "deep" / "er" / "x.txt").write_text("outside")
        (outside / "y.txt").write_text("outside")
        assert not _wait(changed, 2.5), "a change outside the project triggered a rebuild"
        (root / "content" / "briefings" / "b.yaml").write_text("title: y\n")
        assert _wait(changed, 5.0), "a change inside the project was missed"
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
