"""The Jinja2 environment: project templates first, then the built-in ones.

A file in the project's ``templates/`` folder replaces the built-in template of the same name;
it can extend the one it replaces as ``builtin/<name>`` (``{% extends "builtin/briefing.html" %}``).

Templates are read only from inside these folders: a template that is a link to a file
elsewhere is refused, so a project cannot make a build copy an arbitrary file into its output.

Every template renders in Jinja's sandbox (:mod:`briefgen.render.sandbox`), bounded in time and
size; the built-in templates use nothing the sandbox refuses, so one environment serves both.
"""

from __future__ import annotations

import dataclasses
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import pass_context
from jinja2.loaders import split_template_path
from markupsafe import Markup

from briefgen.errors import TemplateError as TemplateError  # importable from here too
from briefgen.load.confine import (
    ConfineError,
    FileTooLargeError,
    LinkOutsideError,
    NotRegularFileError,
    read_inside,
)
from briefgen.load.project_files import TEMPLATES_DIR
from briefgen.model import Project
from briefgen.model.dates import EdtfDate, format_date
from briefgen.model.roles import titles_on
from briefgen.render import sandbox
from briefgen.render.narrative import citation_group_html

_TEMPLATE_SUFFIXES = (".html", ".md", ".css", ".txt", ".xml", ".j2")
# A template (or stylesheet) file is read whole into memory: no template needs more.
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
SKIPPED_FOLDER = "__pycache__"  # left out of every walk (briefgen.load.confine.walk_inside)


def builtin_templates_dir() -> Path:
    """Folder of the built-in templates and CSS.

    They live in the repository's top-level ``templates/`` and the wheel maps that folder into
    the package (``[tool.setuptools.package-dir]`` in ``pyproject.toml``), so an installed
    briefgen has them at ``briefgen/templates/`` inside site-packages: that place is looked at
    first. An editable install and a run from the source tree (``PYTHONPATH=<repo>``) import
    the package from the repository's ``briefgen/``, which holds no templates: for them it is
    the top-level ``templates/`` beside it. ``briefing.html`` marks the folder, so a stray
    empty ``briefgen/templates/`` left in a checkout is not taken for it.
    """
    package = Path(__file__).resolve().parent.parent
    installed = package / "templates"
    if (installed / "briefing.html").is_file():
        return installed
    beside = package.parent / "templates"
    return beside if (beside / "briefing.html").is_file() else installed


class ConfinedLoader(jinja2.FileSystemLoader):
    """A file-system loader that refuses a template whose real path is outside its folder.

    Templates are read like every project file (:func:`briefgen.load.confine.read_inside`): a
    link leading out of the folder (``templates/briefing.md -> /etc/passwd``), a named pipe, a
    device or a file over the size limit is an error, never a copy in the output. ``shown``
    names the folder in messages and in template file names (so errors print
    ``templates/briefing.html:3``); without it the absolute path is used.
    """

    def __init__(self, folder: Path, shown: str | None = None) -> None:
        super().__init__(folder)
        self.folder = folder  # absolute, and the real path of everything read from it
        self.shown = shown

    def _name(self, template: str) -> str:
        return f"{self.shown}/{template}" if self.shown else str(self.folder / template)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """The template's text, read by the project-file rule of :mod:`briefgen.load.confine`.

        Every folder on the way is opened without following links and the file itself with
        ``O_NOFOLLOW``, so a link swapped in after the check is refused, never read through.
        """
        parts = split_template_path(template)
        if SKIPPED_FOLDER in parts:
            # Every walk of project files leaves such folders out (Python writes them on its
            # own), so neither the build key nor the input fingerprint would see this file
            # change: its outputs would go stale.
            raise TemplateError(
                f"{self._name(template)}: a template in a {SKIPPED_FOLDER} folder is not read; "
                "move it to another folder"
            )
        try:
            data = read_inside(self.folder, "/".join(parts), MAX_TEMPLATE_BYTES)
        except FileNotFoundError:
            raise jinja2.TemplateNotFound(template) from None
        except IsADirectoryError:
            raise jinja2.TemplateNotFound(template) from None
        except ConfineError as exc:
            raise TemplateError(self._refusal(template, exc)) from None
        except OSError as exc:
            raise TemplateError(f"{self._name(template)}: {exc.strerror or exc}") from None
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError:
            raise TemplateError(f"{self._name(template)} is not UTF-8 text") from None
        path = self.folder.joinpath(*parts)
        mtime = path.lstat().st_mtime_ns
        return source, self._name(template), lambda: _unchanged(path, mtime)

    def _refusal(self, template: str, exc: ConfineError) -> str:
        name = self._name(template)
        if isinstance(exc, LinkOutsideError):
            return (
                f"{name} is a link to {exc.target}, outside {self.shown or self.folder}/; a "
                "template must be a file inside that folder (replace the link with a copy of "
                "the file)"
            )
        if isinstance(exc, NotRegularFileError):
            return f"{name} is not a regular file"
        if isinstance(exc, FileTooLargeError):
            size = f"{exc.size:,} bytes" if exc.size is not None else "too large"
            return f"{name} is {size}, more than the {MAX_TEMPLATE_BYTES:,} a template may have"
        return f"{name} {exc.message}"


def _unchanged(path: Path, mtime: int) -> bool:
    # Jinja asks before reusing a compiled template (auto_reload): same file, same time.
    try:
        return path.lstat().st_mtime_ns == mtime
    except OSError:
        return False


def make_environment(project_root: Path) -> jinja2.Environment:
    """The Jinja2 environment for a project: its ``templates/`` over the built-in templates.

    ``StrictUndefined`` (a misspelt variable is an error, not an empty string); autoescaping
    for ``.html`` and ``.xml`` templates only, so Markdown templates print text as it is.
    Sandboxed (:class:`~briefgen.render.sandbox.BriefgenSandbox`): project templates are
    untrusted, and built-in and project templates share one environment so that an override
    can extend ``builtin/<name>``.
    """
    builtin = ConfinedLoader(builtin_templates_dir())
    # The project's real folder, but not its templates/ resolved: a templates/ that is itself
    # a link to elsewhere is refused like a linked file.
    project = ConfinedLoader(project_root.resolve() / TEMPLATES_DIR, TEMPLATES_DIR)
    loader = jinja2.ChoiceLoader([project, jinja2.PrefixLoader({"builtin": builtin}), builtin])
    env = sandbox.BriefgenSandbox(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        date=date_filter,
        cite=cite_filter,
        cite_md=cite_md_filter,
        actor_title=actor_title_filter,
        md_escape=md_escape_filter,
    )
    env.guard_filters()
    return env


def date_filter(value: EdtfDate | str) -> str:
    """``{{ date | date }}``: an EDTF date (or its text) in words, at its own precision."""
    return format_date(value if isinstance(value, EdtfDate) else EdtfDate.parse(value))


def _numbers(citations: Any) -> list[int]:
    # Two citations of one source (say, different paragraphs) show its number once; numbers
    # in order, as a reader expects of "[1][3]".
    return sorted({c.number for c in citations})


def cite_filter(citations: Any) -> Markup:
    """``{{ fact.citations | cite }}``: superscript endnote numbers for HTML, as "1,3"."""
    return citation_group_html(_numbers(citations))


def cite_md_filter(citations: Any) -> str:
    """``{{ fact.citations | cite_md }}``: endnote numbers as ``[1][3]`` for Markdown."""
    return "".join(f"[{n}]" for n in _numbers(citations))


@pass_context
def actor_title_filter(context: Any, actor_id: str, on: EdtfDate | str) -> str:
    """``{{ "abbas" | actor_title("2023-02-04") }}``: 'Name, Title held on that date'.

    Needs ``project`` in the template context (briefgen always provides it).
    """
    project: Project = context["project"]
    actor = project.actors[actor_id]
    day = on if isinstance(on, EdtfDate) else EdtfDate.parse(on)
    return ", ".join((actor.name, *titles_on(actor, day, project.actors)))


def md_escape_filter(value: str) -> str:
    """``{{ text | md_escape }}``: plain text made safe inside Markdown."""
    from briefgen.render.narrative import escape_markdown_text

    return escape_markdown_text(str(value))


def template_location(exc: BaseException, default: str = "template") -> str:
    """'templates/briefing.html:12' for the innermost template frame of a render error."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"{exc.filename or exc.name}:{exc.lineno}"
    frames = traceback.extract_tb(exc.__traceback__ or sys.exc_info()[2])
    for frame in reversed(frames):
        name = frame.filename
        if name.endswith(_TEMPLATE_SUFFIXES) or name.startswith(f"{TEMPLATES_DIR}/"):
            return f"{name}:{frame.lineno}"
    return default


def _describe(exc: BaseException) -> str:
    """What went wrong, for a person who wrote a template (no Python traceback)."""
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"template not found: {exc.name}"
    if isinstance(exc, jinja2.TemplateError):
        return exc.message or type(exc).__name__
    if isinstance(exc, TemplateError):
        return str(exc)
    if isinstance(exc, RecursionError):
        return "templates include, extend or call each other too deeply (endless recursion?)"
    if isinstance(exc, MemoryError):
        return "out of memory while rendering"
    return f"{type(exc).__name__}: {exc}"


def render_template(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render one template; any problem becomes a :class:`TemplateError` naming file and line.

    The render runs under a fresh :func:`~briefgen.render.sandbox.render_budget` (time, steps,
    characters written) and its output is collected piece by piece, so a render that writes
    too much stops there instead of filling memory.
    """
    shown = name
    project = context.get("project")
    if isinstance(project, Project):
        # Templates never learn where the project is on disk: printing the project (its
        # repr) would otherwise write the absolute path into a published file.
        context["project"] = dataclasses.replace(project, root=Path("."))
    try:
        template = env.get_template(name)
        shown = template.filename or name
        with sandbox.render_budget() as budget:
            return _collect(template.generate(**context), budget.limits.output_chars)
    except TemplateError as exc:
        # The loader's own errors already name the file; say where it was included from.
        where = template_location(exc, "")
        raise TemplateError(f"{where}: {exc}" if where else str(exc)) from exc
    except jinja2.TemplateNotFound as exc:
        where = template_location(exc, "")
        raise TemplateError(f"{where}: {_describe(exc)}" if where else _describe(exc)) from exc
    except Exception as exc:  # every failure of an untrusted template is located
        raise TemplateError(f"{template_location(exc, shown)}: {_describe(exc)}") from exc


def _collect(chunks: Iterator[str], limit: int) -> str:
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise sandbox.RenderLimitError(
                f"the output is longer than {limit:,} characters, the most one render may write"
            )
        parts.append(chunk)
    return "".join(parts)
