"""``briefgen init``: a new project with example content that validates and builds at once."""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

import click

from briefgen.cli.errors import UserError
from briefgen.model.schema_export import FILE_KINDS, SCHEMA_DIR, schema_file_name, schema_text

# Which schema each scaffold file follows, for the yaml-language-server comment.
_SCHEMA_OF = {
    "briefgen.yaml": "project",
    "content/actors.yaml": "actors",
    "content/sources.yaml": "sources",
}
_RENAMES = {"gitignore": ".gitignore"}


def _scaffold_files() -> list[tuple[str, str]]:
    """(relative path, text) of every file in the packaged scaffold."""
    root = resources.files("briefgen") / "scaffold"
    found: list[tuple[str, str]] = []

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            relative = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, relative + "/")
            elif not child.name.endswith((".pyc", ".py")):
                found.append((relative, child.read_text(encoding="utf-8")))

    walk(root, "")
    return found


def _with_schema_line(relative: str, text: str) -> str:
    kind = _SCHEMA_OF.get(relative)
    if kind is None and relative.startswith("content/briefings/") and relative.endswith(".yaml"):
        kind = "briefing"
    if kind is None:
        return text
    depth = relative.count("/")
    target = "../" * depth + f"{SCHEMA_DIR}/{schema_file_name(kind)}"
    return f"# yaml-language-server: $schema={target}\n{text}"


def _project_files() -> list[tuple[str, str]]:
    """(relative path, text) of every file ``init`` writes, with the final file names."""
    files = [(p, _with_schema_line(p, t)) for p, t in _scaffold_files()]
    files += [(f"{SCHEMA_DIR}/{schema_file_name(k)}", schema_text(k)) for k in sorted(FILE_KINDS)]
    renamed = []
    for relative, text in files:
        head, _, name = relative.rpartition("/")
        name = _RENAMES.get(name, name)
        renamed.append((f"{head}/{name}" if head else name, text))
    return renamed


def _write_tree(folder: Path, files: list[tuple[str, str]]) -> None:
    for relative, text in files:
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def _check_target(directory: Path) -> list[Path]:
    """Refuse a target that is not empty or sits below a file; the folders init must create.

    Returns the missing folders, outermost first, so that a failed init can remove them.
    """
    missing: list[Path] = []
    existing = directory
    while not os.path.lexists(existing) and existing != existing.parent:
        missing.insert(0, existing)
        existing = existing.parent
    if not existing.is_dir():
        raise UserError(f"cannot create {directory}: {existing} is a file, not a folder")
    if not missing and any(directory.iterdir()):
        raise UserError(f"{directory} already exists and is not empty; init never overwrites")
    return missing


def _create(directory: Path, missing: list[Path], files: list[tuple[str, str]]) -> None:
    """Write the project into a temporary folder, then move it into place as a whole.

    A new project is written beside its target and renamed to it; into an existing empty
    folder it is written in a hidden folder inside, whose entries then move up. Either way a
    failure (a full disk, no permission) removes what was written: never a half project.
    """
    if missing:
        directory.parent.mkdir(parents=True, exist_ok=True)
    base = directory.parent if missing else directory
    try:
        staging = Path(tempfile.mkdtemp(prefix=".briefgen-init-", dir=base))
    except OSError as exc:
        # Named by the folder it was in: the temporary name would only confuse.
        raise UserError(f"cannot create a project in {directory}: {base}: {exc.strerror}") from exc
    try:
        # mkdtemp makes a private folder (0700); a project folder is an ordinary one.
        staging.chmod(0o777 & ~_umask())
        _write_tree(staging, files)
        if missing:
            staging.rename(directory)
        else:
            _move_entries(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _move_entries(staging: Path, directory: Path) -> None:
    moved: list[Path] = []
    try:
        for entry in sorted(staging.iterdir()):
            moved.append(entry.rename(directory / entry.name))
        staging.rmdir()
    except BaseException:
        for path in moved:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove_created(missing: list[Path]) -> None:
    # Only the folders init itself made, innermost first, and only while empty.
    for folder in reversed(missing):
        try:
            folder.rmdir()
        except FileNotFoundError:
            continue  # the project folder itself: only ever made by the final rename
        except OSError:
            return


@click.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def init(directory: Path) -> None:
    """Make a new briefgen project in DIRECTORY, with example content.

    \b
    The folder must not exist or must be empty: init never overwrites.
    The example validates and builds at once:
      briefgen init my-desk && cd my-desk && briefgen validate
    It also writes schemas/ (JSON Schema for editor completion), a
    .gitignore for output/, and a GitHub Actions workflow that publishes the site.
    Files are written into a temporary folder and moved into place at the end,
    so a failed init leaves nothing behind.
    """
    files = _project_files()
    try:
        missing = _check_target(directory.absolute())
        try:
            _create(directory.absolute(), missing, files)
        except BaseException:
            _remove_created(missing)
            raise
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise UserError(f"cannot create a project in {directory}: {exc.strerror}{where}") from exc
    click.echo(f"Created a briefgen project in {directory} ({len(files)} files).", err=True)
    click.echo(f"Next: cd {directory} && briefgen validate && briefgen build", err=True)
    click.echo(
        "Before the first push, set BRIEFGEN in .github/workflows/publish.yml to where pip can "
        "get briefgen (it is not on PyPI); see docs/site.md.",
        err=True,
    )
